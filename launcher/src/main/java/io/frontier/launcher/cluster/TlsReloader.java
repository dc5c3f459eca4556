package io.frontier.launcher.cluster;

import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
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
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a node's TLS files into the key and trust managers of its links, and again whenever a check finds that
 * one of them changed. A change that cannot be used (a file half written, a key that does not match the new
 * certificate while the other file is still on its way) keeps what was loaded before and is tried again at
 * the next check. gRPC's own file watching was not used: it checks once a minute at the most often.
 */
final class TlsReloader implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(TlsReloader.class);
    private static final byte[] PROBE = "frontier key check".getBytes(StandardCharsets.US_ASCII);

    private final ClusterCredentials.TlsFiles files;
    private final AdvancedTlsX509KeyManager keys;
    private final AdvancedTlsX509TrustManager trust;
    // The check's thread only, after the first load.
    private List<Long> loaded;
    private List<Long> failed;

    TlsReloader(ClusterCredentials.TlsFiles files, AdvancedTlsX509KeyManager keys, AdvancedTlsX509TrustManager trust) {
        this.files = files;
        this.keys = keys;
        this.trust = trust;
    }

    /**
     * Loads the files now; returns the node's certificate.
     *
     * @throws IOException              when a file cannot be read
     * @throws GeneralSecurityException when a file does not hold what it should, or the key does not match
     */
    X509Certificate load() throws IOException, GeneralSecurityException {
        List<Long> times = modified();
        X509Certificate[] chain = certificates(files.cert());
        PrivateKey key;
        try (InputStream in = Files.newInputStream(files.key())) {
            key = CertificateUtils.getPrivateKey(in);
        }
        if (chain.length == 0) {
            throw new GeneralSecurityException(files.cert() + " holds no certificate");
        }
        if (!matches(key, chain[0])) {
            throw new GeneralSecurityException(files.key() + " is not the key of " + files.cert());
        }
        X509Certificate[] authorities = certificates(files.ca());
        if (authorities.length == 0) {
            throw new GeneralSecurityException(files.ca() + " holds no certificate");
        }
        keys.updateIdentityCredentials(chain, key);
        trust.updateTrustCredentials(authorities);
        loaded = times;
        return chain[0];
    }

    /** Loads the files again if one changed since the last load. */
    @Override
    public void run() {
        List<Long> times;
        try {
            times = modified();
        } catch (IOException e) {
            logOnce(null, "TLS files not read again ({}): the ones loaded before stay", e.toString());
            return;
        }
        if (times.equals(loaded)) {
            return;
        }
        try {
            X509Certificate certificate = load();
            failed = null;
            log.info("TLS files read again: {}, valid until {}", files.cert(), certificate.getNotAfter().toInstant());
        } catch (IOException | GeneralSecurityException e) {
            logOnce(times, "TLS files changed but cannot be used ({}): the ones loaded before stay", e.getMessage());
        }
    }

    private void logOnce(List<Long> times, String message, String reason) {
        if (times == null || !times.equals(failed)) {
            log.warn(message, reason);
        }
        failed = times;
    }

    private List<Long> modified() throws IOException {
        return List.of(Files.getLastModifiedTime(files.cert()).toMillis(), Files.getLastModifiedTime(files.key()).toMillis(),
                Files.getLastModifiedTime(files.ca()).toMillis());
    }

    private static X509Certificate[] certificates(Path file) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            return CertificateUtils.getX509Certificates(in);
        }
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
