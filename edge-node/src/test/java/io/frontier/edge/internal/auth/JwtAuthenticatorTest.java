package io.frontier.edge.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import io.frontier.api.v1.ClientType;
import io.frontier.edge.EdgeConfig;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokens signed by keys of a JWKS file, the issuer, audience and time rules, and a key rotated in the file. */
class JwtAuthenticatorTest {
    private static final Instant NOW = Instant.parse("2030-01-02T03:04:05Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String SECRET = "a-secret-of-at-least-32-bytes-long!!";

    @TempDir
    Path dir;

    private final KeyPair rsa = keyPair("RSA", 2048);
    private final KeyPair ec = ecKeyPair();
    private final List<JwtAuthenticator> started = new ArrayList<>();

    @AfterEach
    void close() {
        started.forEach(JwtAuthenticator::close);
    }

    @Test
    void rs256AndEs256Tokens_areVerifiedByTheKeyTheirKidNames() throws IOException {
        JwtAuthenticator auth = start(jwks(rsaKey("r1", rsa), ecKey("e1", ec)), null, null, Duration.ZERO, null);

        assertThat(identity(auth, token("r1").sign(rsa256(rsa)))).isEqualTo(new Identity("alice", "phone-1"));
        assertThat(identity(auth, token("e1").sign(es256(ec)))).isEqualTo(new Identity("alice", "phone-1"));
        assertThat(refusal(auth, token("nobody").sign(rsa256(rsa)))).isEqualTo("token key is not known");
        assertThat(refusal(auth, token("r1").sign(es256(ec)))).isEqualTo("token algorithm is not its key's");
        KeyPair other = keyPair("RSA", 2048);
        assertThat(refusal(auth, token("r1").sign(rsa256(other))))
                .isEqualTo("token signature does not verify");
        assertThat(refusal(auth, JWT.create().withSubject("alice").withExpiresAt(NOW.plusSeconds(60))
                .sign(Algorithm.HMAC256(SECRET)))).as("no secret given").isEqualTo("HS256 tokens are not accepted here");
        assertThat(refusal(auth, "x".repeat(2000) + ".y.z")).isEqualTo("token is not a JWT");
    }

    @Test
    void issuerAndAudience_whenConfigured_mustMatch() throws IOException {
        JwtAuthenticator auth = start(jwks(rsaKey("r1", rsa)), "https://login.example.com", "frontier", Duration.ZERO,
                null);
        JWTCreator.Builder good = token("r1").withIssuer("https://login.example.com").withAudience("frontier");

        assertThat(identity(auth, good.sign(rsa256(rsa)))).isEqualTo(new Identity("alice", "phone-1"));
        assertThat(refusal(auth, token("r1").withIssuer("https://evil.example.com").withAudience("frontier")
                .sign(rsa256(rsa)))).isEqualTo("token iss claim is not accepted");
        assertThat(refusal(auth, token("r1").withIssuer("https://login.example.com").withAudience("other")
                .sign(rsa256(rsa)))).isEqualTo("token aud claim is not accepted");
        assertThat(refusal(auth, token("r1").withAudience("frontier").sign(rsa256(rsa))))
                .isEqualTo("token has no iss claim");
    }

    @Test
    void notBeforeAndExpiry_areHonouredWithinTheLeeway() throws IOException {
        JwtAuthenticator strict = start(jwks(rsaKey("r1", rsa)), null, null, Duration.ZERO, null);
        JwtAuthenticator lenient = start(jwks(rsaKey("r1", rsa)), null, null, Duration.ofSeconds(30), null);
        String early = token("r1").withNotBefore(NOW.plusSeconds(20)).sign(rsa256(rsa));
        String late = JWT.create().withKeyId("r1").withSubject("alice").withClaim("did", "phone-1")
                .withExpiresAt(NOW.minusSeconds(20)).sign(rsa256(rsa));

        assertThat(refusal(strict, early)).isEqualTo("token nbf claim is not accepted");
        assertThat(refusal(strict, late)).isEqualTo("token expired");
        assertThat(identity(lenient, early)).isEqualTo(new Identity("alice", "phone-1"));
        assertThat(identity(lenient, late)).isEqualTo(new Identity("alice", "phone-1"));
    }

    @Test
    void aKeyRotatedInTheFile_isTakenWithoutARestart() throws IOException {
        Path file = jwks(rsaKey("old", rsa));
        JwtAuthenticator auth = start(file, null, null, Duration.ZERO, SECRET);
        KeyPair next = ecKeyPair();
        String signedByNext = token("new").sign(es256(next));
        assertThat(refusal(auth, signedByNext)).isEqualTo("token key is not known");

        Files.writeString(file, "{\"keys\": [" + ecKey("new", next) + "]}");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));

        Awaitility.await("the new key").atMost(Duration.ofSeconds(10)).until(() -> accepted(auth, signedByNext));
        assertThat(refusal(auth, token("old").sign(rsa256(rsa)))).isEqualTo("token key is not known");
        assertThat(identity(auth, JWT.create().withSubject("alice").withClaim("did", "phone-1")
                .withExpiresAt(NOW.plusSeconds(60)).sign(Algorithm.HMAC256(SECRET))))
                .as("HS256 with the secret still").isEqualTo(new Identity("alice", "phone-1"));
    }

    @Test
    void aJwksFileThatCannotBeUsed_isRefusedAtStart_sayingWhy() throws IOException {
        assertThatThrownBy(() -> start(jwks(rsaKey("weak", keyPair("RSA", 1024))), null, null, Duration.ZERO, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key weak: RSA of 1024 bits (expected: at least 2048)");
        Path noKid = dir.resolve("no-kid.json");
        Files.writeString(noKid, "{\"keys\": [" + rsaKey("x", rsa).replace("\"kid\": \"x\", ", "") + "]}");
        assertThatThrownBy(() -> start(noKid, null, null, Duration.ZERO, null))
                .hasMessageContaining("a key without \"kid\"");
        Path notJson = dir.resolve("not.json");
        Files.writeString(notJson, "keys");
        assertThatThrownBy(() -> start(notJson, null, null, Duration.ZERO, null)).hasMessageContaining("is not JSON");
    }

    private JwtAuthenticator start(Path jwks, String issuer, String audience, Duration leeway, String secret) {
        EdgeConfig.Auth config = new EdgeConfig.Auth(secret, null, Duration.ofSeconds(3), jwks, issuer, audience, leeway);
        JwtAuthenticator auth = JwtAuthenticator.start(config, CLOCK, Duration.ofMillis(50));
        started.add(auth);
        return auth;
    }

    private static JWTCreator.Builder token(String kid) {
        return JWT.create().withKeyId(kid).withSubject("alice").withClaim("did", "phone-1")
                .withExpiresAt(NOW.plusSeconds(600));
    }

    private static Identity identity(JwtAuthenticator auth, String token) {
        return auth.authenticate(credentials(token)).join();
    }

    private static boolean accepted(JwtAuthenticator auth, String token) {
        return auth.authenticate(credentials(token)).handle((identity, error) -> error == null).join();
    }

    private static Credentials credentials(String token) {
        return new Credentials(token, "phone-1", ClientType.CLIENT_TYPE_TCP, "192.0.2.1:40000", "1.0");
    }

    private static String refusal(JwtAuthenticator auth, String token) {
        try {
            auth.authenticate(credentials(token)).join();
        } catch (CompletionException e) {
            return e.getCause().getMessage();
        }
        throw new AssertionError("accepted: " + token);
    }

    private Path jwks(String... keys) throws IOException {
        Path file = Files.createTempFile(dir, "jwks", ".json");
        Files.writeString(file, "{\"keys\": [" + String.join(", ", keys) + "]}");
        return file;
    }

    private static String rsaKey(String kid, KeyPair pair) {
        RSAPublicKey key = (RSAPublicKey) pair.getPublic();
        return "{\"kty\": \"RSA\", \"kid\": \"" + kid + "\", \"use\": \"sig\", \"alg\": \"RS256\", \"n\": \""
                + base64(key.getModulus()) + "\", \"e\": \"" + base64(key.getPublicExponent()) + "\"}";
    }

    private static String ecKey(String kid, KeyPair pair) {
        ECPublicKey key = (ECPublicKey) pair.getPublic();
        return "{\"kty\": \"EC\", \"kid\": \"" + kid + "\", \"crv\": \"P-256\", \"x\": \""
                + base64(fixed(key.getW().getAffineX())) + "\", \"y\": \"" + base64(fixed(key.getW().getAffineY())) + "\"}";
    }

    private static Algorithm rsa256(KeyPair pair) {
        return Algorithm.RSA256((RSAPublicKey) pair.getPublic(), (RSAPrivateKey) pair.getPrivate());
    }

    private static Algorithm es256(KeyPair pair) {
        return Algorithm.ECDSA256((ECPublicKey) pair.getPublic(), (ECPrivateKey) pair.getPrivate());
    }

    /** A P-256 coordinate as the 32 bytes a JWK holds, without BigInteger's sign byte or with its zeros. */
    private static byte[] fixed(BigInteger coordinate) {
        byte[] raw = coordinate.toByteArray();
        byte[] out = new byte[32];
        int from = Math.max(0, raw.length - 32);
        System.arraycopy(raw, from, out, 32 - (raw.length - from), raw.length - from);
        return out;
    }

    private static String base64(BigInteger value) {
        byte[] raw = value.toByteArray();
        if (raw.length > 1 && raw[0] == 0) {
            raw = java.util.Arrays.copyOfRange(raw, 1, raw.length);
        }
        return base64(raw);
    }

    private static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static KeyPair keyPair(String algorithm, int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            generator.initialize(bits);
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair ecKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
