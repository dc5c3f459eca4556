package io.frontier.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tokens signed by a key of a JWKS file, with an issuer and an audience required, on a gateway of the
 * distribution: the right token brings a device online and its push arrives; a token of another audience, an
 * unknown key, or an HS256 token the gateway has no secret for is refused with Bye 401 and a fixed reason.
 */
class TokensIT {
    private static final String ISSUER = "https://login.example.com";

    @TempDir
    Path dir;

    private StandaloneGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void rs256TokenOfTheJwksFile_withTheIssuerAndAudience_isTheOnlyOneTaken() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair key = generator.generateKeyPair();
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, "{\"keys\":[" + Jwt.jwk("2030-01", (RSAPublicKey) key.getPublic()) + "]}");
        gateway = StandaloneGateway.start(Map.of("FRONTIER_JWT_SECRET", ""), "--jwks-file", jwks.toString(),
                "--jwt-issuer", ISSUER, "--jwt-audience", "frontier", "--jwt-leeway", "30s");
        long exp = Instant.now().plusSeconds(600).getEpochSecond();
        String good = Jwt.rs256(key.getPrivate(), "2030-01", "\"sub\":\"jwks-alice\",\"did\":\"phone-1\",\"iss\":\""
                + ISSUER + "\",\"aud\":\"frontier\",\"exp\":" + exp);

        assertThat(byeReason(Jwt.rs256(key.getPrivate(), "2030-01", "\"sub\":\"jwks-alice\",\"iss\":\"" + ISSUER
                + "\",\"aud\":\"another\",\"exp\":" + exp))).isEqualTo("token aud claim is not accepted");
        assertThat(byeReason(Jwt.rs256(key.getPrivate(), "2029-12", "\"sub\":\"jwks-alice\",\"exp\":" + exp)))
                .isEqualTo("token key is not known");
        assertThat(byeReason(Jwt.mint(StandaloneGateway.SECRET, "jwks-alice", "phone-1")))
                .isEqualTo("HS256 tokens are not accepted here");

        try (RawTcpDevice device = RawTcpDevice.online(gateway.tcpPort(), good, "phone-1").autoAck()) {
            Ctl.Result push = gateway.ctl("push", "--target", gateway.grpcTarget(), "--user", "jwks-alice", "--text",
                    "signed by the JWKS key", "--wait-ack");
            assertThat(push.exit()).as("%s", push).isZero();
            assertThat(device.pushes()).contains("signed by the JWKS key");
        }
    }

    private String byeReason(String token) {
        try (RawTcpDevice device = RawTcpDevice.connect(gateway.tcpPort())) {
            RawTcpDevice.Frame reply = device.hello(token, "phone-1");
            assertThat(reply.cmd()).as("%s", reply).isEqualTo(RawTcpDevice.BYE);
            assertThat(reply.byeCode()).isEqualTo(401);
            return Protobuf.string(reply.fields(), 2);
        }
    }
}
