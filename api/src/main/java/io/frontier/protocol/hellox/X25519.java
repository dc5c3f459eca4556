package io.frontier.protocol.hellox;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;

/**
 * X25519 (RFC 7748) on raw 32-byte keys, as Noise and devices exchange them, done by the
 * JDK's {@code XDH} provider.
 */
public final class X25519 {
    /** Bytes of a private or public key. */
    public static final int KEY_LENGTH = 32;
    private static final byte[] BASE_POINT = new byte[KEY_LENGTH];

    static {
        BASE_POINT[0] = 9;
    }

    private X25519() {
    }

    /** Returns a fresh private key from {@code random}. */
    public static byte[] generatePrivate(SecureRandom random) {
        byte[] key = new byte[KEY_LENGTH];
        random.nextBytes(key);
        return key;
    }

    /** Returns the public key of {@code privateKey}. */
    public static byte[] publicKey(byte[] privateKey) {
        try {
            return agree(privateKey, BASE_POINT);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 of the base point failed", e);
        }
    }

    /**
     * Returns the shared secret of {@code privateKey} and {@code publicKey}.
     *
     * @throws GeneralSecurityException when the public key is of small order (the secret
     *     would be all zeros) or the JDK has no X25519
     */
    public static byte[] agree(byte[] privateKey, byte[] publicKey) throws GeneralSecurityException {
        checkLength("private key", privateKey);
        checkLength("public key", publicKey);
        KeyFactory factory = KeyFactory.getInstance("XDH");
        PrivateKey own = factory.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, privateKey));
        PublicKey other = factory.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, u(publicKey)));
        KeyAgreement agreement = KeyAgreement.getInstance("X25519");
        agreement.init(own);
        agreement.doPhase(other, true);
        byte[] secret = agreement.generateSecret();
        int any = 0;
        for (byte b : secret) {
            any |= b;
        }
        if (any == 0) {
            throw new InvalidKeyException("public key of small order");
        }
        return secret;
    }

    /** Reads a little-endian u-coordinate, its top bit masked as RFC 7748 5 says. */
    private static BigInteger u(byte[] publicKey) {
        byte[] bigEndian = new byte[KEY_LENGTH];
        for (int i = 0; i < KEY_LENGTH; i++) {
            bigEndian[i] = publicKey[KEY_LENGTH - 1 - i];
        }
        bigEndian[0] &= 0x7F;
        return new BigInteger(1, bigEndian);
    }

    private static void checkLength(String what, byte[] key) {
        if (key.length != KEY_LENGTH) {
            throw new IllegalArgumentException(what + ": " + key.length + " bytes (expected: " + KEY_LENGTH + ")");
        }
    }
}
