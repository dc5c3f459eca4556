package io.frontier.status;

import java.util.List;
import java.util.Objects;

/**
 * What {@link UserStatus#reconcile} changed.
 *
 * <p>For a {@code REPLACED} conflict the caller closes {@code other}. For a {@code STALE} one, {@code other}
 * is the newer connection that stays, and the caller closes the snapshot's connections of the same
 * (user id, client type, device id) that are not {@code other}.
 *
 * @param added how many snapshot entries were applied with outcome {@code ADDED} or {@code REPLACED}
 * @param removed how many entries of the edge were removed because the snapshot no longer holds them
 * @param conflicts the results with outcome {@code REPLACED} or {@code STALE}
 */
public record ReconcileResult(int added, int removed, List<ConnectResult> conflicts) {

    /**
     * Checks the counts and copies {@code conflicts}.
     *
     * @throws IllegalArgumentException if a count is negative
     */
    public ReconcileResult {
        if (added < 0) {
            throw new IllegalArgumentException("added: " + added + " (expected: >= 0)");
        }
        if (removed < 0) {
            throw new IllegalArgumentException("removed: " + removed + " (expected: >= 0)");
        }
        conflicts = List.copyOf(Objects.requireNonNull(conflicts, "conflicts: null (expected: a list)"));
    }
}
