package io.frontier.status;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@link UserStatus#connected(DeviceEntry)} did with an entry.
 *
 * @param outcome what happened
 * @param other the entry the caller must act on: present exactly for {@link Outcome#REPLACED} and
 *              {@link Outcome#STALE}
 */
public record ConnectResult(Outcome outcome, Optional<DeviceEntry> other) {

    private static final ConnectResult ADDED = new ConnectResult(Outcome.ADDED, Optional.empty());
    private static final ConnectResult SAME = new ConnectResult(Outcome.SAME, Optional.empty());

    /** What happened to a reported connection. */
    public enum Outcome {
        /** No entry was there; the reported one is now recorded. */
        ADDED,
        /**
         * The reported entry replaced {@code other}, an older connection of the same device, which the
         * caller must now close with Bye 409.
         */
        REPLACED,
        /** This very connection was already recorded (an idempotent re-send); nothing changed. */
        SAME,
        /**
         * {@code other}, a newer connection of the same device, is recorded; nothing changed and the caller
         * should close the connection it reported.
         */
        STALE;

        boolean hasOther() {
            return this == REPLACED || this == STALE;
        }

        boolean recordsReported() {
            return this == ADDED || this == REPLACED;
        }
    }

    /**
     * Checks that {@code other} is present exactly when the outcome names one.
     *
     * @throws IllegalArgumentException if it is not
     */
    public ConnectResult {
        Objects.requireNonNull(outcome, "outcome: null (expected: non-null)");
        Objects.requireNonNull(other, "other: null (expected: an Optional)");
        if (outcome.hasOther() != other.isPresent()) {
            throw new IllegalArgumentException("other: " + other + " (expected: "
                    + (outcome.hasOther() ? "present" : "empty") + " for " + outcome + ")");
        }
    }

    /** Returns the result of an entry recorded where none was. */
    public static ConnectResult added() {
        return ADDED;
    }

    /** Returns the result of an entry that replaced {@code previous}. */
    public static ConnectResult replaced(DeviceEntry previous) {
        return new ConnectResult(Outcome.REPLACED, Optional.of(previous));
    }

    /** Returns the result of a connection reported again. */
    public static ConnectResult same() {
        return SAME;
    }

    /** Returns the result of a connection older than {@code newer}, which stays recorded. */
    public static ConnectResult stale(DeviceEntry newer) {
        return new ConnectResult(Outcome.STALE, Optional.of(newer));
    }
}
