package io.frontier.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenCommandTest {
    private static final String SECRET = "an-hs256-secret-of-at-least-32-bytes";
    private static final Map<String, String> ENV = Map.of(DevTokens.SECRET_ENV, SECRET);

    private static DecodedJWT verify(String token) {
        return JWT.require(Algorithm.HMAC256(SECRET)).build().verify(token);
    }

    @Test
    void token_printsAJwtTheGatewayCanVerify() {
        Ctl ctl = Ctl.run(ENV, "token", "--user", "alice", "--device", "phone-1", "--ttl", "15m");

        assertThat(ctl.exitCode()).as("%s", ctl).isZero();
        assertThat(ctl.outLines()).hasSize(1);
        DecodedJWT jwt = verify(ctl.out().strip());
        assertThat(jwt.getAlgorithm()).isEqualTo("HS256");
        assertThat(jwt.getSubject()).isEqualTo("alice");
        assertThat(jwt.getClaim(DevTokens.DEVICE_CLAIM).asString()).isEqualTo("phone-1");
        assertThat(Duration.between(jwt.getIssuedAtAsInstant(), jwt.getExpiresAtAsInstant()))
                .isEqualTo(Duration.ofMinutes(15));
        assertThat(jwt.getIssuedAtAsInstant()).isBetween(Instant.now().minusSeconds(60), Instant.now());
    }

    @Test
    void token_withoutDevice_hasNoDeviceClaim_andLastsAnHour() {
        Ctl ctl = Ctl.run(ENV, "token", "--user", "bob");

        assertThat(ctl.exitCode()).as("%s", ctl).isZero();
        DecodedJWT jwt = verify(ctl.out().strip());
        assertThat(jwt.getClaim(DevTokens.DEVICE_CLAIM).isMissing()).isTrue();
        assertThat(jwt.getClaims()).containsOnlyKeys("sub", "iat", "exp");
        assertThat(Duration.between(jwt.getIssuedAtAsInstant(), jwt.getExpiresAtAsInstant()))
                .isEqualTo(Duration.ofHours(1));
    }

    @Test
    void token_acceptsThirtyDays() {
        Ctl ctl = Ctl.run(ENV, "token", "--user", "bob", "--ttl", "30d");

        assertThat(ctl.exitCode()).as("%s", ctl).isZero();
        DecodedJWT jwt = verify(ctl.out().strip());
        assertThat(Duration.between(jwt.getIssuedAtAsInstant(), jwt.getExpiresAtAsInstant()))
                .isEqualTo(Duration.ofDays(30));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void token_withoutSecret_failsWithUsageError(String secret) {
        Map<String, String> env = secret.isEmpty() ? Map.of() : Map.of(DevTokens.SECRET_ENV, secret);

        Ctl ctl = Ctl.run(env, "token", "--user", "alice");

        assertThat(ctl.exitCode()).isEqualTo(2);
        assertThat(ctl.out()).isEmpty();
        assertThat(ctl.err().strip())
                .isEqualTo("FRONTIER_JWT_SECRET is not set: export the secret the gateway uses");
    }

    @Test
    void token_withShortSecret_failsWithoutPrintingIt() {
        Ctl ctl = Ctl.run(Map.of(DevTokens.SECRET_ENV, "too-short-secret"), "token", "--user", "alice");

        assertThat(ctl.exitCode()).isEqualTo(2);
        assertThat(ctl.out()).isEmpty();
        assertThat(ctl.err().strip())
                .isEqualTo("FRONTIER_JWT_SECRET: 16 bytes (expected: at least 32, the HS256 key size)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2x", "0s", "31d", "-1h", "500ms", "1.5h", "h"})
    void token_withBadTtl_failsWithTheExpectedForm(String ttl) {
        Ctl ctl = Ctl.run(ENV, "token", "--user", "alice", "--ttl", ttl);

        assertThat(ctl.exitCode()).isEqualTo(2);
        assertThat(ctl.out()).isEmpty();
        assertThat(ctl.err()).contains("--ttl", ttl + " (expected: ", "30s, 15m, 1h or 7d", "at most 30d");
    }

    @Test
    void token_withoutUser_failsWithUsageError() {
        Ctl ctl = Ctl.run(ENV, "token");

        assertThat(ctl.exitCode()).isEqualTo(2);
        assertThat(ctl.err()).contains("--user");
    }

    @Test
    void mint_setsTheClaimsFromTheClock() {
        Instant now = Instant.parse("2030-01-02T03:04:05.678Z");
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);

        String token = DevTokens.mint(SECRET, "alice", "phone-1", Duration.ofDays(7), clock);

        DecodedJWT jwt = JWT.decode(token);
        Algorithm.HMAC256(SECRET).verify(jwt);
        assertThat(jwt.getClaim(DevTokens.USER_CLAIM).asString()).isEqualTo("alice");
        assertThat(jwt.getClaim(DevTokens.DEVICE_CLAIM).asString()).isEqualTo("phone-1");
        assertThat(jwt.getClaim("iat").asLong()).isEqualTo(Instant.parse("2030-01-02T03:04:05Z").getEpochSecond());
        assertThat(jwt.getClaim("exp").asLong()).isEqualTo(Instant.parse("2030-01-09T03:04:05Z").getEpochSecond());
    }

    @Test
    void mint_rejectsWhatTheGatewayWouldNot() {
        Clock clock = Clock.systemUTC();
        assertThatThrownBy(() -> DevTokens.mint("x".repeat(31), "alice", null, Duration.ofHours(1), clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("secret: 31 bytes (expected: at least 32, the HS256 key size)");
        assertThatThrownBy(() -> DevTokens.mint(SECRET, " ", null, Duration.ofHours(1), clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("userId: ");
        assertThatThrownBy(() -> DevTokens.mint(SECRET, "alice", "", Duration.ofHours(1), clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("deviceId: ");
        assertThatThrownBy(() -> DevTokens.mint(SECRET, "alice", null, Duration.ZERO, clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ttl: PT0S (expected: at least 1s)");
    }
}
