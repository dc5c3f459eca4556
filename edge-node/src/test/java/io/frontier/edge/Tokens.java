package io.frontier.edge;

import io.frontier.cli.DevTokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/** Tokens for tests, minted the way {@code frontier ctl token} mints them. */
public final class Tokens {
    public static final String SECRET = "test-secret-of-at-least-32-bytes-long!";

    private Tokens() {
    }

    public static String valid(String user, String device) {
        return DevTokens.mint(SECRET, user, device, Duration.ofHours(1), Clock.systemUTC());
    }

    public static String expired(String user) {
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC);
        return DevTokens.mint(SECRET, user, null, Duration.ofHours(1), past);
    }

    public static String signedWith(String secret, String user) {
        return DevTokens.mint(secret, user, null, Duration.ofHours(1), Clock.systemUTC());
    }
}
