package io.frontier.edge.tls;

import io.grpc.util.CertificateUtils;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;

/**
 * A TLS identity read from PEM files: a certificate chain, its own certificate first, and the private key
 * (PKCS#8; EC, RSA or Ed25519) that goes with that certificate. Reading checks that they go together, so that a
 * certificate renewed on disk before its key is never taken with the old key.
 *
 * @param chain the certificates, the node's own first
 * @param key   its private key
 */
public record PemIdentity(X509Certificate[] chain, PrivateKey key) {
    private static final byte[] PROBE = "frontier key check".getBytes(StandardCharsets.US_ASCII);

    /**
     * Reads the files.
     *
     * @throws IOException              when a file cannot be read
     * @throws GeneralSecurityException when a file does not hold what it should, or the key is not the
     *                                  certificate's
     */
    public static PemIdentity read(Path certFile, Path keyFile) throws IOException, GeneralSecurityException {
        X509Certificate[] chain = certificates(certFile);
        PrivateKey key;
        try (InputStream in = Files.newInputStream(keyFile)) {
            key = CertificateUtils.getPrivateKey(in);
        }
        if (!matches(key, chain[0])) {
            throw new GeneralSecurityException(keyFile + " is not the key of " + certFile);
        }
        return new PemIdentity(chain, key);
    }

    /**
     * Reads the certificates of a PEM file.
     *
     * @throws GeneralSecurityException when it holds none
     */
    public static X509Certificate[] certificates(Path file) throws IOException, GeneralSecurityException {
        X509Certificate[] certificates;
        try (InputStream in = Files.newInputStream(file)) {
            certificates = CertificateUtils.getX509Certificates(in);
        }
        if (certificates.length == 0) {
            throw new GeneralSecurityException(file + " holds no certificate");
        }
        return certificates;
    }

    /** Returns the node's own certificate. */
    public X509Certificate certificate() {
        return chain[0];
    }

    /** Returns whether {@code key} signs what the certificate's public key verifies. */
    private static boolean matches(PrivateKey key, X509Certificate certificate) throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new GeneralSecurityException("a key of type " + key.getAlgorithm()
                    + " (expected: EC, RSA or Ed25519)");
        };
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(PROBE);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(PROBE);
        return verifier.verify(signature);
    }
}
