package io.frontier.protocol.hellox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import org.junit.jupiter.api.Test;

/** The handshake against the Noise_NK_25519_ChaChaPoly_SHA256 vector of the Cacophony suite. */
class NoiseNkTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] PROLOGUE = hex("4a6f686e2047616c74");
    private static final byte[] INIT_EPHEMERAL = hex("893e28b9dc6ca8d611ab664754b8ceb7bac5117349a4439a6b0569da977c464a");
    private static final byte[] RESP_STATIC_PUBLIC = hex("31e0303fd6418d2f8c0e78b91f22e8caed0fbe48656dcf4767e4834f701b8f62");
    private static final byte[] RESP_STATIC = hex("4a3acbfdb163dec651dfa3194dece676d437029c62a408b4c5ea9114246e4893");
    private static final byte[] RESP_EPHEMERAL = hex("bbdb4cdbd309f1a1f2e1456967fe288cadd6f712d65dc7b7793d5e63da6b375b");
    private static final String[][] MESSAGES = {
        {"4c756477696720766f6e204d69736573",
            "ca35def5ae56cec33dc2036731ab14896bc4c75dbb07a61f879f8e3afa4c79448134d00711fdb390a0d178fa008f6d47d2891e5ea18ae136c3b4c23ac384efb0"},
        {"4d757272617920526f746862617264",
            "95ebc60d2b1fa672c1f46a8aa265ef51bfe38e7ccb39ec5be34069f1448088438ea16e3701bc0d77744f117bee22451c9afa7f4cdbbcff00c04a8ee0913c88"},
        {"462e20412e20486179656b", "a62de29ce27cb80245d440d986ed816c156e9d757d7008df2198b0"},
        {"4361726c204d656e676572", "174a35f11c689f4530d7208618e0564ae12f2f50ba8eb4df5382ff"},
        {"4a65616e2d426170746973746520536179", "337e475ebb8eae60f91974c4e455a5af38d1d8628d1803b160d60442874b0a1777"},
        {"457567656e2042f6686d20766f6e2042617765726b", "047e80e060b7bb08b53c5a23dfe9920cae135b9d1dc6302fc475003062723700366346ac9d"},
    };

    @Test
    void cacophonyVector_bothSides() throws Exception {
        assertArrayEquals(RESP_STATIC_PUBLIC, X25519.publicKey(RESP_STATIC));
        NoiseNk.Initiator initiator = NoiseNk.initiator(PROLOGUE, RESP_STATIC_PUBLIC, INIT_EPHEMERAL);
        NoiseNk.Responder responder = NoiseNk.responder(PROLOGUE, RESP_STATIC, RESP_STATIC_PUBLIC);

        byte[] message1 = initiator.writeMessage1(hex(MESSAGES[0][0]));
        assertEquals(MESSAGES[0][1], HEX.formatHex(message1));
        assertArrayEquals(hex(MESSAGES[0][0]), responder.readMessage1(message1));

        byte[] message2 = responder.writeMessage2(hex(MESSAGES[1][0]), RESP_EPHEMERAL);
        assertEquals(MESSAGES[1][1], HEX.formatHex(message2));
        assertArrayEquals(hex(MESSAGES[1][0]), initiator.readMessage2(message2));

        NoiseNk.Keys device = initiator.split();
        NoiseNk.Keys server = responder.split();
        assertArrayEquals(device.send(), server.receive());
        assertArrayEquals(device.receive(), server.send());
        assertArrayEquals(device.handshakeHash(), server.handshakeHash());
        // Transport messages with empty associated data, alternating directions, as the suite has them.
        assertEquals(MESSAGES[2][1], transport(device.send(), 0, MESSAGES[2][0]));
        assertEquals(MESSAGES[3][1], transport(server.send(), 0, MESSAGES[3][0]));
        assertEquals(MESSAGES[4][1], transport(device.send(), 1, MESSAGES[4][0]));
        assertEquals(MESSAGES[5][1], transport(server.send(), 1, MESSAGES[5][0]));
    }

    @Test
    void message1_forAnotherStaticKey_doesNotDecrypt() throws Exception {
        byte[] otherStatic = X25519.publicKey(RESP_EPHEMERAL);
        byte[] message1 = NoiseNk.initiator(PROLOGUE, otherStatic, INIT_EPHEMERAL).writeMessage1(new byte[] {1});
        NoiseNk.Responder responder = NoiseNk.responder(PROLOGUE, RESP_STATIC, RESP_STATIC_PUBLIC);
        assertThrows(AEADBadTagException.class, () -> responder.readMessage1(message1));
    }

    @Test
    void message1_withAnotherPrologue_doesNotDecrypt() throws Exception {
        byte[] message1 = NoiseNk.initiator(new byte[] {1}, RESP_STATIC_PUBLIC, INIT_EPHEMERAL).writeMessage1(new byte[0]);
        NoiseNk.Responder responder = NoiseNk.responder(PROLOGUE, RESP_STATIC, RESP_STATIC_PUBLIC);
        assertThrows(AEADBadTagException.class, () -> responder.readMessage1(message1));
    }

    @Test
    void message1_tooShort_orOfSmallOrder_isRefused() {
        NoiseNk.Responder shortOne = NoiseNk.responder(PROLOGUE, RESP_STATIC, RESP_STATIC_PUBLIC);
        assertThrows(GeneralSecurityException.class, () -> shortOne.readMessage1(new byte[47]));
        NoiseNk.Responder zeroKey = NoiseNk.responder(PROLOGUE, RESP_STATIC, RESP_STATIC_PUBLIC);
        assertThrows(GeneralSecurityException.class, () -> zeroKey.readMessage1(new byte[48]));
    }

    private static String transport(byte[] key, long n, String payload) throws GeneralSecurityException {
        Cipher cipher = FrameCipher.chaCha(Cipher.ENCRYPT_MODE, key, n);
        return HEX.formatHex(cipher.doFinal(hex(payload)));
    }

    private static byte[] hex(String hex) {
        return HEX.parseHex(hex);
    }
}
