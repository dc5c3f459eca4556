package io.frontier.control.push;

import io.frontier.api.v1.ClientType;
import io.frontier.api.v1.DeviceOutcome;
import io.frontier.api.v1.DeviceOutcome.Outcome;
import io.frontier.api.v1.OfflineNotification;
import io.frontier.api.v1.PushReply;
import io.frontier.api.v1.PushRequest;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * What happens to a push for a device that is not online: a feature phone's is dropped
 * (OFFLINE); a smartphone's goes to the offline notifier when one is configured
 * (OFFLINE_NOTIFIED once it accepted it). Only a device known to be a smartphone is handed
 * over: one whose entry says WS, or a device target whose client types are WS alone (the
 * status store keeps nothing of offline devices, so any other may be a feature phone). For a
 * user target with no device online at all the notifier gets the push for the user's
 * smartphones as a whole (empty device id); a user with a device online gets nothing more.
 * Connection targets are never handed over.
 */
final class OfflineHandling {
    private final OfflineNotifier notifier;
    private final Duration bound;

    /** Creates the handling; {@code notifier} is null when none is configured, and has {@code bound} to answer. */
    OfflineHandling(OfflineNotifier notifier, Duration bound) {
        this.notifier = notifier;
        this.bound = bound;
    }

    CompletableFuture<PushReply> apply(PushRequest request, PushReply reply) {
        if (notifier == null || request.getTargetCase() == PushRequest.TargetCase.CONNECTION) {
            return CompletableFuture.completedFuture(reply);
        }
        List<CompletableFuture<DeviceOutcome>> outcomes = new ArrayList<>(reply.getOutcomesCount() + 1);
        for (DeviceOutcome outcome : reply.getOutcomesList()) {
            // An offline device target carries WS only when its client types were WS alone.
            if (outcome.getClientType() == ClientType.CLIENT_TYPE_WS && outcome.getOutcome() == Outcome.OFFLINE) {
                outcomes.add(notify(request, outcome));
            } else {
                outcomes.add(CompletableFuture.completedFuture(outcome));
            }
        }
        if (request.getTargetCase() == PushRequest.TargetCase.USER && reply.getOutcomesCount() == 0
                && allowsSmartphones(request.getUser().getClientTypesList())) {
            outcomes.add(notify(request, DeviceOutcome.newBuilder()
                    .setUserId(request.getUser().getUserId())
                    .setClientType(ClientType.CLIENT_TYPE_WS)
                    .setOutcome(Outcome.OFFLINE)
                    .setReason("no device online")
                    .build()));
        }
        return CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            PushReply.Builder result = PushReply.newBuilder();
            outcomes.forEach(outcome -> result.addOutcomes(outcome.join()));
            return result.build();
        });
    }

    /** Returns whether a user target's filter lets its smartphones be notified. */
    static boolean allowsSmartphones(List<ClientType> filter) {
        return filter.isEmpty() || filter.contains(ClientType.CLIENT_TYPE_WS);
    }

    private CompletableFuture<DeviceOutcome> notify(PushRequest request, DeviceOutcome offline) {
        OfflineNotification notification = OfflineNotification.newBuilder()
                .setUserId(offline.getUserId())
                .setDeviceId(offline.getDeviceId())
                .setPayload(request.getPayload())
                .setPayloadType(request.getPayloadType())
                .setService(request.getService())
                .setLogid(request.getLogid())
                .build();
        CompletableFuture<DeviceOutcome> result;
        try {
            result = Timeouts.within(notifier.notify(notification), bound,
                    () -> "did not answer within " + Timeouts.text(bound)).handle((reply, error) -> {
                DeviceOutcome.Builder outcome = offline.toBuilder().setClientType(ClientType.CLIENT_TYPE_WS);
                if (error != null) {
                    Throwable cause = EdgeCalls.cause(error);
                    return outcome.setReason(offline.getReason() + "; offline notifier failed: "
                            + (cause instanceof TimeoutException ? cause.getMessage()
                            : Status.fromThrowable(cause).getCode())).build();
                }
                if (!reply.getAccepted()) {
                    return outcome.setReason(offline.getReason() + "; offline notifier refused it: " + reply.getReason())
                            .build();
                }
                return outcome.setOutcome(Outcome.OFFLINE_NOTIFIED).build();
            });
        } catch (RuntimeException e) {
            result = CompletableFuture.completedFuture(offline.toBuilder()
                    .setReason(offline.getReason() + "; offline notifier failed: " + e.getMessage()).build());
        }
        return result;
    }
}
