package io.frontier.bench;

import io.frontier.protocol.hellox.X25519;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;

/** The edge's HelloX key of {@code --hellox true} runs: fixed, since a benchmark needs no secret. */
final class HelloXKey {
    static final byte[] PRIVATE = HexFormat.of().parseHex("a8abababababababababababababababababababababababababababababab6b");
    static final byte[] PUBLIC = X25519.publicKey(PRIVATE);
    // PKCS#8 of an X25519 key (RFC 8410): this prefix, then the 32 bytes of the key.
    private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b656e04220420");

    private HelloXKey() {
    }

    /** Writes the key as the edge reads it (PEM, PKCS#8) to a file of its own and returns its path. */
    static Path write() throws IOException {
        byte[] der = new byte[PKCS8_PREFIX.length + PRIVATE.length];
        System.arraycopy(PKCS8_PREFIX, 0, der, 0, PKCS8_PREFIX.length);
        System.arraycopy(PRIVATE, 0, der, PKCS8_PREFIX.length, PRIVATE.length);
        Path file = Files.createTempFile("bench-hellox", ".pem");
        Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END PRIVATE KEY-----\n", StandardCharsets.US_ASCII);
        return file;
    }
}
