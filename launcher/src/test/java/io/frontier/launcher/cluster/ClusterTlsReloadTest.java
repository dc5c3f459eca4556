package io.frontier.launcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frontier.edge.tls.FileReloads;
import io.frontier.testing.ThrowawayCa;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a check of a node's TLS files loads, and what it keeps when the files on disk cannot be used. */
class ClusterTlsReloadTest {
    @TempDir
    Path dir;

    private final ThrowawayCa ca = ThrowawayCa.create("cluster-ca");
    private final AdvancedTlsX509KeyManager keys = new AdvancedTlsX509KeyManager();
    private final AdvancedTlsX509TrustManager trust = trustManager();

    @Test
    void aCertificateWhoseKeyHasNotArrivedYet_keepsTheOldPair_untilTheKeyComes() throws Exception {
        ClusterCredentials.TlsFiles files = files(ca.issue("edge-1", dir.resolve("now")));
        ClusterLinks.load(files, keys, trust);
        FileReloads reloader = FileReloads.manual("TLS files", java.util.List.of(files.cert(), files.key(), files.ca()),
                () -> ClusterLinks.load(files, keys, trust));
        reloader.check();
        ThrowawayCa.Identity renewed = ca.issue("edge-1-renewed", dir.resolve("renewed"));

        copy(renewed.cert(), files.cert(), 1);
        reloader.check();
        assertThat(subject()).as("the new certificate with the old key would break every handshake").isEqualTo("CN=edge-1");

        copy(renewed.key(), files.key(), 2);
        reloader.check();
        assertThat(subject()).isEqualTo("CN=edge-1-renewed");
    }

    @Test
    void filesThatDoNotHoldWhatTheyShould_areRefusedAtStart() throws Exception {
        ClusterCredentials.TlsFiles files = files(ca.issue("edge-1", dir));
        Files.writeString(files.ca(), "not a certificate");

        assertThatThrownBy(() -> ClusterLinks.load(files, keys, trust))
                .isInstanceOf(GeneralSecurityException.class);
    }

    private ClusterCredentials.TlsFiles files(ThrowawayCa.Identity identity) {
        return new ClusterCredentials.TlsFiles(identity.cert(), identity.key(),
                ca.writeCertificate(identity.cert().resolveSibling("ca.pem")));
    }

    /** Copies a file over another, with a modification time {@code step} seconds ahead, as a renewal would. */
    private static void copy(Path from, Path to, int step) throws Exception {
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(to, FileTime.from(Instant.now().plusSeconds(step)));
    }

    private String subject() {
        String alias = keys.getServerAliases("EC", null)[0];
        return keys.getCertificateChain(alias)[0].getSubjectX500Principal().getName();
    }

    private static AdvancedTlsX509TrustManager trustManager() {
        try {
            return AdvancedTlsX509TrustManager.newBuilder()
                    .setVerification(AdvancedTlsX509TrustManager.Verification.CERTIFICATE_ONLY_VERIFICATION).build();
        } catch (java.security.cert.CertificateException e) {
            throw new IllegalStateException(e);
        }
    }
}
