package io.frontier.protocol.hellox;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The handshake {@code Noise_NK_25519_ChaChaPoly_SHA256} of the Noise Protocol Framework
 * (revision 34), sections 5 and 7: the initiator knows the responder's static key and
 * sends {@code e, es}, the responder answers {@code e, ee}. Each side is one object used
 * once, in the order of its methods; neither is thread-safe.
 */
public final class NoiseNk {
    /** The protocol name, 32 bytes: it is the initial handshake hash as it stands. */
    public static final String PROTOCOL_NAME = "Noise_NK_25519_ChaChaPoly_SHA256";
    /** Bytes of an authentication tag. */
    public static final int TAG_LENGTH = 16;
    private static final int HASH_LENGTH = 32;

    private NoiseNk() {
    }

    /** The two keys a finished handshake gives one side, and the handshake hash. */
    public record Keys(byte[] send, byte[] receive, byte[] handshakeHash) {
    }

    /** Starts the initiator's side, which knows {@code responderStatic} (the pinned key). */
    public static Initiator initiator(byte[] prologue, byte[] responderStatic, byte[] ephemeralPrivate) {
        return new Initiator(prologue, responderStatic, ephemeralPrivate);
    }

    /** Starts the responder's side with its static key pair. */
    public static Responder responder(byte[] prologue, byte[] staticPrivate, byte[] staticPublic) {
        return new Responder(prologue, staticPrivate, staticPublic);
    }

    /** The device's side. */
    public static final class Initiator {
        private final SymmetricState state;
        private final byte[] responderStatic;
        private final byte[] ephemeral;

        private Initiator(byte[] prologue, byte[] responderStatic, byte[] ephemeralPrivate) {
            this.state = new SymmetricState(prologue);
            this.responderStatic = responderStatic.clone();
            this.ephemeral = ephemeralPrivate.clone();
            state.mixHash(this.responderStatic);
        }

        /** Returns message 1: the ephemeral key, then {@code payload} encrypted. */
        public byte[] writeMessage1(byte[] payload) throws GeneralSecurityException {
            byte[] e = X25519.publicKey(ephemeral);
            state.mixHash(e);
            state.mixKey(X25519.agree(ephemeral, responderStatic));
            byte[] sealed = state.encryptAndHash(payload);
            return concat(e, sealed);
        }

        /**
         * Reads message 2 and returns its payload.
         *
         * @throws GeneralSecurityException when it is too short or does not decrypt
         */
        public byte[] readMessage2(byte[] message) throws GeneralSecurityException {
            if (message.length < X25519.KEY_LENGTH + TAG_LENGTH) {
                throw new AEADBadTagException("message 2 of " + message.length + " bytes");
            }
            byte[] re = Arrays.copyOf(message, X25519.KEY_LENGTH);
            state.mixHash(re);
            state.mixKey(X25519.agree(ephemeral, re));
            return state.decryptAndHash(Arrays.copyOfRange(message, X25519.KEY_LENGTH, message.length));
        }

        /** Returns the keys: {@code send} is the initiator's to the responder. */
        public Keys split() throws GeneralSecurityException {
            byte[][] keys = state.split();
            return new Keys(keys[0], keys[1], state.h.clone());
        }
    }

    /** The server's side. */
    public static final class Responder {
        private final SymmetricState state;
        private final byte[] staticPrivate;
        private byte[] initiatorEphemeral;

        private Responder(byte[] prologue, byte[] staticPrivate, byte[] staticPublic) {
            this.state = new SymmetricState(prologue);
            this.staticPrivate = staticPrivate.clone();
            state.mixHash(staticPublic);
        }

        /**
         * Reads message 1 and returns its payload.
         *
         * @throws GeneralSecurityException when it is too short, its key is of small order,
         *     or it does not decrypt (another static key, a changed byte)
         */
        public byte[] readMessage1(byte[] message) throws GeneralSecurityException {
            if (message.length < X25519.KEY_LENGTH + TAG_LENGTH) {
                throw new AEADBadTagException("message 1 of " + message.length + " bytes");
            }
            initiatorEphemeral = Arrays.copyOf(message, X25519.KEY_LENGTH);
            state.mixHash(initiatorEphemeral);
            state.mixKey(X25519.agree(staticPrivate, initiatorEphemeral));
            return state.decryptAndHash(Arrays.copyOfRange(message, X25519.KEY_LENGTH, message.length));
        }

        /** Returns message 2: a fresh ephemeral key (from {@code ephemeralPrivate}), then {@code payload} encrypted. */
        public byte[] writeMessage2(byte[] payload, byte[] ephemeralPrivate) throws GeneralSecurityException {
            byte[] e = X25519.publicKey(ephemeralPrivate);
            state.mixHash(e);
            state.mixKey(X25519.agree(ephemeralPrivate, initiatorEphemeral));
            return concat(e, state.encryptAndHash(payload));
        }

        /** Returns the keys: {@code send} is the responder's to the initiator. */
        public Keys split() throws GeneralSecurityException {
            byte[][] keys = state.split();
            return new Keys(keys[1], keys[0], state.h.clone());
        }
    }

    /** Noise's SymmetricState with its CipherState (sections 5.1 and 5.2). */
    private static final class SymmetricState {
        private byte[] ck;
        private byte[] h;
        private byte[] k;
        private long n;

        SymmetricState(byte[] prologue) {
            h = PROTOCOL_NAME.getBytes(StandardCharsets.US_ASCII);
            ck = h.clone();
            mixHash(prologue);
        }

        void mixHash(byte[] data) {
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                sha.update(h);
                sha.update(data);
                h = sha.digest();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK has no SHA-256", e);
            }
        }

        void mixKey(byte[] inputKeyMaterial) throws GeneralSecurityException {
            byte[][] out = hkdf(ck, inputKeyMaterial);
            ck = out[0];
            k = out[1];
            n = 0;
        }

        byte[] encryptAndHash(byte[] plaintext) throws GeneralSecurityException {
            Cipher cipher = FrameCipher.chaCha(Cipher.ENCRYPT_MODE, k, n++);
            cipher.updateAAD(h);
            byte[] ciphertext = cipher.doFinal(plaintext);
            mixHash(ciphertext);
            return ciphertext;
        }

        byte[] decryptAndHash(byte[] ciphertext) throws GeneralSecurityException {
            Cipher cipher = FrameCipher.chaCha(Cipher.DECRYPT_MODE, k, n++);
            cipher.updateAAD(h);
            byte[] plaintext = cipher.doFinal(ciphertext);
            mixHash(ciphertext);
            return plaintext;
        }

        byte[][] split() throws GeneralSecurityException {
            return hkdf(ck, new byte[0]);
        }

        /** HKDF of section 4.3 with two outputs. */
        private static byte[][] hkdf(byte[] chainingKey, byte[] inputKeyMaterial) throws GeneralSecurityException {
            byte[] temp = hmac(chainingKey, inputKeyMaterial);
            byte[] first = hmac(temp, new byte[] {1});
            byte[] second = hmac(temp, concat(first, new byte[] {2}));
            return new byte[][] {first, second};
        }

        private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] out = mac.doFinal(data);
            if (out.length != HASH_LENGTH) {
                throw new IllegalStateException("HMAC-SHA256 of " + out.length + " bytes");
            }
            return out;
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Returns Noise's ChaChaPoly nonce for counter {@code n}: 4 zero bytes, then n little-endian. */
    static IvParameterSpec nonce(long n) {
        byte[] nonce = new byte[12];
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (n >>> (8 * i));
        }
        return new IvParameterSpec(nonce);
    }
}
