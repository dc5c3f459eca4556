package io.frontier.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The duration syntax of the command line: a whole number and a unit, as in {@code 30s}, {@code 15m}. */
public final class Durations {
    private static final Pattern SYNTAX = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    private Durations() {
    }

    /** Returns the duration {@code text} spells, or null when it does not follow the syntax. */
    static Duration parse(String text) {
        Matcher m = SYNTAX.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    /** Converts any positive duration, in ms, s, m, h or d. */
    public static final class Positive implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration duration = parse(value);
            if (duration == null || duration.isZero()) {
                throw new TypeConversionException(
                        value + " (expected: a whole number above 0 and a unit ms, s, m, h or d, such as 500ms, 10s or 20m)");
            }
            return duration;
        }
    }

    /** Converts any duration, 0 included, in ms, s, m, h or d. */
    public static final class NonNegative implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration duration = parse(value);
            if (duration == null) {
                throw new TypeConversionException(
                        value + " (expected: a whole number and a unit ms, s, m, h or d, such as 0s, 30s or 2m)");
            }
            return duration;
        }
    }

    /** Converts {@code --ttl}: 1s to 30d, in s, m, h or d. */
    static final class Ttl implements ITypeConverter<Duration> {
        static final Duration MAX = Duration.ofDays(30);

        @Override
        public Duration convert(String value) {
            Duration ttl = value.endsWith("ms") ? null : parse(value);
            if (ttl == null || ttl.isZero() || ttl.compareTo(MAX) > 0) {
                throw new TypeConversionException(
                        value + " (expected: a whole number and a unit s, m, h or d, such as 30s, 15m, 1h or 7d; "
                                + "more than 0 and at most 30d)");
            }
            return ttl;
        }
    }

    /** Converts {@code --ack-timeout}: 1ms to 60s, the bounds of {@code PushRequest.ack_timeout_ms}. */
    static final class AckTimeout implements ITypeConverter<Duration> {
        static final Duration MAX = Duration.ofSeconds(60);

        @Override
        public Duration convert(String value) {
            Duration timeout = parse(value);
            if (timeout == null || timeout.isZero() || timeout.compareTo(MAX) > 0) {
                throw new TypeConversionException(
                        value + " (expected: a whole number and a unit ms, s or m, such as 500ms or 5s; "
                                + "more than 0 and at most 60s)");
            }
            return timeout;
        }
    }

    /** Converts {@code --window} and {@code --drain-window}: 0s to 1h. */
    public static final class DrainWindow implements ITypeConverter<Duration> {
        static final Duration MAX = Duration.ofHours(1);

        @Override
        public Duration convert(String value) {
            Duration window = parse(value);
            if (window == null || window.compareTo(MAX) > 0) {
                throw new TypeConversionException(value + " (expected: 0s to 1h)");
            }
            return window;
        }
    }
}
