package io.frontier.bench;

import io.frontier.api.v1.TcpHello;
import io.frontier.cli.DevTokens;
import java.time.Clock;
import java.time.Duration;

/**
 * Devices {@code from .. from+count-1}: user {@code u<i>}, device {@code d<i>}, each with
 * a token minted up front so that signing stays out of every timed section.
 */
final class Credentials {
    private final int from;
    private final String[] tokens;

    private Credentials(int from, String[] tokens) {
        this.from = from;
        this.tokens = tokens;
    }

    static Credentials mint(String secret, int from, int count) {
        String[] tokens = new String[count];
        Clock clock = Clock.systemUTC();
        for (int i = 0; i < count; i++) {
            int id = from + i;
            tokens[i] = DevTokens.mint(secret, "u" + id, "d" + id, Duration.ofHours(6), clock);
        }
        return new Credentials(from, tokens);
    }

    /** Devices {@code from .. from+count-1} of these, with their tokens. */
    Credentials range(int from, int count) {
        return new Credentials(from, java.util.Arrays.copyOfRange(tokens, from - this.from, from - this.from + count));
    }

    int from() {
        return from;
    }

    int count() {
        return tokens.length;
    }

    String token(int device) {
        return tokens[device - from];
    }

    static String deviceId(int device) {
        return "d" + device;
    }

    byte[] tcpHello(int device) {
        return TcpHello.newBuilder().setToken(token(device)).setDeviceId(deviceId(device)).setAppVersion("bench").build()
                .toByteArray();
    }
}
