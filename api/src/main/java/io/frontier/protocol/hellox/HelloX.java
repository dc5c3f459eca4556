package io.frontier.protocol.hellox;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The layout of HelloX (PROTOCOL.md 1.6). The device's HelloX payload is
 *
 * <pre>
 *   version (1) = 1 | key id (4) | Noise message 1: e (32), tag (16)
 * </pre>
 *
 * and the server's answer, a HelloX of the same seq, carries Noise message 2: its
 * ephemeral key (32) and a tag (16). Both messages have empty payloads: the Hello comes
 * after, sealed. The prologue binds the label, the version and the key id.
 */
public final class HelloX {
    /** The one version of HelloX. */
    public static final int VERSION = 1;
    /** Bytes of a key id: the first bytes of the SHA-256 of the server's static public key. */
    public static final int KEY_ID_LENGTH = 4;
    /** Bytes before Noise message 1 in the device's payload. */
    public static final int PREFIX_LENGTH = 1 + KEY_ID_LENGTH;
    /** Bytes of the payload of a device's HelloX. */
    public static final int REQUEST_LENGTH = PREFIX_LENGTH + X25519.KEY_LENGTH + NoiseNk.TAG_LENGTH;
    /** Bytes of the payload of the server's answer. */
    public static final int ANSWER_LENGTH = X25519.KEY_LENGTH + NoiseNk.TAG_LENGTH;
    private static final byte[] LABEL = "frontier-hellox".getBytes(StandardCharsets.US_ASCII);

    private HelloX() {
    }

    /** Returns the key id of a static public key. */
    public static byte[] keyId(byte[] staticPublic) {
        try {
            return Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(staticPublic), KEY_ID_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** Returns a key id as 8 hex digits, as operators see it. */
    public static String keyIdHex(byte[] keyId) {
        return HexFormat.of().formatHex(keyId);
    }

    /** Returns the prologue: the label "frontier-hellox", the version byte, the key id. */
    public static byte[] prologue(int version, byte[] keyId) {
        byte[] prologue = Arrays.copyOf(LABEL, LABEL.length + 1 + keyId.length);
        prologue[LABEL.length] = (byte) version;
        System.arraycopy(keyId, 0, prologue, LABEL.length + 1, keyId.length);
        return prologue;
    }

    /** Returns the payload of a device's HelloX: version, key id, Noise message 1. */
    public static byte[] request(byte[] keyId, byte[] message1) {
        byte[] payload = new byte[PREFIX_LENGTH + message1.length];
        payload[0] = VERSION;
        System.arraycopy(keyId, 0, payload, 1, KEY_ID_LENGTH);
        System.arraycopy(message1, 0, payload, PREFIX_LENGTH, message1.length);
        return payload;
    }
}
