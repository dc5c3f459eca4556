package io.frontier.control.admin;

import io.frontier.api.v1.AdminKickReply;
import io.frontier.api.v1.AdminKickRequest;
import io.frontier.api.v1.AdminServiceGrpc;
import io.frontier.api.v1.ConnectionInfo;
import io.frontier.api.v1.DeleteRouteReply;
import io.frontier.api.v1.DeleteRouteRequest;
import io.frontier.api.v1.DrainEdgeReply;
import io.frontier.api.v1.DrainEdgeRequest;
import io.frontier.api.v1.EdgeInfo;
import io.frontier.api.v1.EdgeRecord;
import io.frontier.api.v1.GetUserReply;
import io.frontier.api.v1.GetUserRequest;
import io.frontier.api.v1.KickRequest;
import io.frontier.api.v1.ListConnectionsReply;
import io.frontier.api.v1.ListConnectionsRequest;
import io.frontier.api.v1.ListEdgesReply;
import io.frontier.api.v1.ListEdgesRequest;
import io.frontier.api.v1.ListRoutesReply;
import io.frontier.api.v1.ListRoutesRequest;
import io.frontier.api.v1.RouteEntry;
import io.frontier.api.v1.SetRouteReply;
import io.frontier.api.v1.SetRouteRequest;
import io.frontier.api.v1.UndrainEdgeReply;
import io.frontier.api.v1.UndrainEdgeRequest;
import io.frontier.control.Descriptions;
import io.frontier.control.StoreFailures;
import io.frontier.control.edges.EdgeGateway;
import io.frontier.protocol.ConnIds;
import io.frontier.protocol.StatusCode;
import io.frontier.status.DeviceEntry;
import io.frontier.status.UserStatus;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The Admin API: a user's connections, an edge's connections and counts, kicks, the
 * edges, draining, and upstream routes. Reads UserStatus for users and asks edges for
 * what only they know (last activity, counts, draining).
 */
public final class AdminServiceImpl extends AdminServiceGrpc.AdminServiceImplBase {
    private static final String KICK_REASON = "kicked by an administrator";

    private final UserStatus status;
    private final EdgeGateway edges;
    private final RouteStore routes;
    private final Clock clock;

    public AdminServiceImpl(UserStatus status, EdgeGateway edges, RouteStore routes, Clock clock) {
        this.status = status;
        this.edges = edges;
        this.routes = routes;
        this.clock = clock;
    }

    @Override
    public void getUser(GetUserRequest request, StreamObserver<GetUserReply> observer) {
        answer(observer, () -> {
            String user = AdminRequests.id("user_id", request.getUserId());
            return storeRead(status.devices(user, Set.of())).thenCompose(entries -> withActivity(user, entries));
        });
    }

    /** Adds what each device's edge knows; a device whose edge does not answer keeps last activity 0. */
    private CompletableFuture<GetUserReply> withActivity(String user, List<DeviceEntry> entries) {
        Map<String, CompletableFuture<Map<String, ConnectionInfo>>> byEdge = new LinkedHashMap<>();
        for (DeviceEntry entry : entries) {
            byEdge.computeIfAbsent(entry.edgeId(), edgeId -> safely(() -> edges.listConnections(edgeId,
                            ListConnectionsRequest.newBuilder().setUserId(user).setPageSize(AdminRequests.MAX_PAGE_SIZE).build()))
                    .handle((reply, error) -> {
                        Map<String, ConnectionInfo> known = new HashMap<>();
                        if (error == null) {
                            reply.getConnectionsList().forEach(info -> known.put(info.getConnId(), info));
                        }
                        return known;
                    }));
        }
        return CompletableFuture.allOf(byEdge.values().toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            GetUserReply.Builder reply = GetUserReply.newBuilder();
            for (DeviceEntry entry : entries) {
                ConnectionInfo.Builder info = info(entry).toBuilder();
                ConnectionInfo fromEdge = byEdge.get(entry.edgeId()).join().get(entry.connId());
                if (fromEdge != null) {
                    info.setLastActivityMs(fromEdge.getLastActivityMs()).setAppVersion(fromEdge.getAppVersion());
                }
                reply.addConnections(info);
            }
            return reply.build();
        });
    }

    @Override
    public void listConnections(ListConnectionsRequest request, StreamObserver<ListConnectionsReply> observer) {
        answer(observer, () -> {
            String edgeId = knownEdge(request.getEdgeId());
            AdminRequests.optionalId("user_id", request.getUserId());
            AdminRequests.clientType("client_type", request.getClientType());
            AdminRequests.pageSize(request.getPageSize());
            return edgeCall(edges.listConnections(edgeId, request));
        });
    }

    @Override
    public void kick(AdminKickRequest request, StreamObserver<AdminKickReply> observer) {
        answer(observer, () -> {
            AdminRequests.reason(request.getReason());
            String reason = request.getReason().isEmpty() ? KICK_REASON : request.getReason();
            return switch (request.getTargetCase()) {
                case CONN_ID -> kickConnection(request.getConnId(), reason);
                case USER_ID -> storeRead(status.devices(AdminRequests.id("user_id", request.getUserId()), Set.of()))
                        .thenCompose(entries -> kickEntries(entries, reason));
                case DEVICE -> {
                    String user = AdminRequests.id("device.user_id", request.getDevice().getUserId());
                    String device = AdminRequests.id("device.device_id", request.getDevice().getDeviceId());
                    request.getDevice().getClientTypesList().forEach(t -> AdminRequests.clientType("device.client_types", t));
                    yield storeRead(status.device(user, device, Set.copyOf(request.getDevice().getClientTypesList())))
                            .thenCompose(entries -> kickEntries(entries, reason));
                }
                default -> throw new IllegalArgumentException(
                        "target: none (expected: conn_id, user_id, or device with user_id and device_id)");
            };
        });
    }

    private CompletableFuture<AdminKickReply> kickConnection(String connId, String reason) {
        Optional<String> edgeId = edges.edgeAt(ConnIds.edgeAddress(AdminRequests.id("conn_id", connId)));
        if (edgeId.isEmpty()) {
            return CompletableFuture.completedFuture(AdminKickReply.getDefaultInstance());
        }
        ConnectionInfo info = ConnectionInfo.newBuilder().setConnId(connId).setEdgeId(edgeId.get()).build();
        return edgeCall(edges.kick(edgeId.get(), kickRequest(connId, reason))).thenApply(reply -> reply.getFound()
                ? AdminKickReply.newBuilder().addKicked(info).build() : AdminKickReply.getDefaultInstance());
    }

    private CompletableFuture<AdminKickReply> kickEntries(List<DeviceEntry> entries, String reason) {
        List<CompletableFuture<Optional<ConnectionInfo>>> kicks = new ArrayList<>(entries.size());
        for (DeviceEntry entry : entries) {
            // An edge that cannot be reached holds no usable connection: nothing to kick there.
            kicks.add(safely(() -> edges.kick(entry.edgeId(), kickRequest(entry.connId(), reason)))
                    .handle((reply, error) -> error == null && reply.getFound() ? Optional.of(info(entry)) : Optional.empty()));
        }
        return CompletableFuture.allOf(kicks.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            AdminKickReply.Builder reply = AdminKickReply.newBuilder();
            kicks.forEach(kick -> kick.join().ifPresent(reply::addKicked));
            return reply.build();
        });
    }

    private static KickRequest kickRequest(String connId, String reason) {
        return KickRequest.newBuilder().setConnId(connId).setCode(StatusCode.KICKED).setReason(reason).build();
    }

    @Override
    public void listEdges(ListEdgesRequest request, StreamObserver<ListEdgesReply> observer) {
        answer(observer, () -> {
            List<EdgeRecord> records = edges.edges();
            List<CompletableFuture<EdgeInfo>> infos = new ArrayList<>(records.size());
            long now = clock.millis();
            for (EdgeRecord record : records) {
                EdgeInfo.Builder info = EdgeInfo.newBuilder()
                        .setEdgeId(record.getEdgeId())
                        .setGrpcAddress(record.getGrpcAddress())
                        .setTcpAddress(record.getTcpAddress())
                        .setWsAddress(record.getWsAddress())
                        .setVersion(record.getVersion())
                        .setStartedAtMs(record.getStartedAtMs())
                        .setUptimeMs(Math.max(0, now - record.getStartedAtMs()))
                        .setDraining(record.getDraining());
                infos.add(safely(() -> edges.stats(record.getEdgeId())).handle((stats, error) -> error != null
                        ? info.setReachable(false).build()
                        : info.setReachable(true).setCounts(stats.getCounts()).setDraining(stats.getDraining()).build()));
            }
            return CompletableFuture.allOf(infos.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
                ListEdgesReply.Builder reply = ListEdgesReply.newBuilder();
                infos.forEach(info -> reply.addEdges(info.join()));
                return reply.build();
            });
        });
    }

    @Override
    public void drainEdge(DrainEdgeRequest request, StreamObserver<DrainEdgeReply> observer) {
        answer(observer, () -> {
            String edgeId = knownEdge(request.getEdgeId());
            AdminRequests.drainWindow(request.getWindowMs());
            return edgeCall(edges.drain(edgeId, request));
        });
    }

    @Override
    public void undrainEdge(UndrainEdgeRequest request, StreamObserver<UndrainEdgeReply> observer) {
        answer(observer, () -> edgeCall(edges.undrain(knownEdge(request.getEdgeId()))));
    }

    @Override
    public void listRoutes(ListRoutesRequest request, StreamObserver<ListRoutesReply> observer) {
        answer(observer, () -> routeCall(routes.list()).thenApply(table -> {
            ListRoutesReply.Builder reply = ListRoutesReply.newBuilder();
            table.forEach((service, target) -> reply.addRoutes(RouteEntry.newBuilder().setService(service).setTarget(target)));
            return reply.build();
        }));
    }

    @Override
    public void setRoute(SetRouteRequest request, StreamObserver<SetRouteReply> observer) {
        answer(observer, () -> {
            if (!request.hasRoute()) {
                throw new IllegalArgumentException("route: none (expected: a service id and a target)");
            }
            int service = AdminRequests.service(request.getRoute().getService());
            String target = AdminRequests.target(request.getRoute().getTarget());
            return routeCall(routes.put(service, target)).thenApply(ignored -> SetRouteReply.getDefaultInstance());
        });
    }

    @Override
    public void deleteRoute(DeleteRouteRequest request, StreamObserver<DeleteRouteReply> observer) {
        answer(observer, () -> routeCall(routes.delete(AdminRequests.service(request.getService())))
                .thenApply(found -> DeleteRouteReply.newBuilder().setFound(found).build()));
    }

    /** Returns the edge id when an edge of that id is registered; NOT_FOUND otherwise. */
    private String knownEdge(String edgeId) {
        AdminRequests.id("edge_id", edgeId);
        if (edges.edges().stream().noneMatch(edge -> edge.getEdgeId().equals(edgeId))) {
            throw new NotFound("edge_id: " + edgeId + " (expected: a registered edge; 'ctl edges' lists them)");
        }
        return edgeId;
    }

    private static ConnectionInfo info(DeviceEntry entry) {
        return ConnectionInfo.newBuilder()
                .setConnId(entry.connId())
                .setUserId(entry.userId())
                .setDeviceId(entry.deviceId())
                .setClientType(entry.clientType())
                .setClientAddr(entry.clientAddr())
                .setEdgeId(entry.edgeId())
                .setConnectedAtMs(entry.connectedAtMs())
                .build();
    }

    private static <T> CompletableFuture<T> storeRead(CompletionStage<T> stage) {
        return failWith(stage, StoreFailures::status);
    }

    private static <T> CompletableFuture<T> routeCall(CompletableFuture<T> future) {
        return failWith(future, cause -> unavailable("route store unavailable: ", cause));
    }

    private static <T> CompletableFuture<T> edgeCall(CompletableFuture<T> future) {
        return failWith(future, cause -> unavailable("", cause));
    }

    /** Turns a failure into the Status {@code status} gives its cause. */
    private static <T> CompletableFuture<T> failWith(CompletionStage<T> stage, Function<Throwable, Status> status) {
        return stage.toCompletableFuture().handle((value, error) -> {
            if (error == null) {
                return value;
            }
            throw new CompletionException(status.apply(StoreFailures.cause(error)).asException());
        });
    }

    /** UNAVAILABLE, except a rejected argument, which stays INVALID_ARGUMENT. */
    private static Status unavailable(String prefix, Throwable cause) {
        return cause instanceof IllegalArgumentException
                ? Status.INVALID_ARGUMENT.withDescription(cause.getMessage())
                : Status.UNAVAILABLE.withDescription(prefix + Descriptions.brief(cause)).withCause(cause);
    }

    private static <T> CompletableFuture<T> safely(Supplier<CompletableFuture<T>> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Validates and starts a call in {@code call}, and answers with its result or its failure as a Status. */
    private static <T> void answer(StreamObserver<T> observer, Supplier<CompletableFuture<T>> call) {
        CompletableFuture<T> result;
        try {
            result = call.get();
        } catch (NotFound e) {
            observer.onError(Status.NOT_FOUND.withDescription(e.getMessage()).asException());
            return;
        } catch (IllegalArgumentException e) {
            observer.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asException());
            return;
        } catch (RuntimeException e) {
            observer.onError(Status.UNAVAILABLE.withDescription(Descriptions.brief(e)).withCause(e).asException());
            return;
        }
        result.whenComplete((reply, error) -> {
            if (error == null) {
                observer.onNext(reply);
                observer.onCompleted();
                return;
            }
            Throwable cause = StoreFailures.cause(error);
            observer.onError(cause instanceof StatusException status ? status
                    : Status.UNAVAILABLE.withDescription(Descriptions.brief(cause)).withCause(cause).asException());
        });
    }

    /** An edge id that names no registered edge. */
    private static final class NotFound extends RuntimeException {
        NotFound(String message) {
            super(message, null, false, false);
        }
    }
}
