package io.frontier.cli;

import io.frontier.api.v1.AdminServiceGrpc;
import io.frontier.api.v1.DeleteRouteReply;
import io.frontier.api.v1.DeleteRouteRequest;
import io.frontier.api.v1.ListRoutesReply;
import io.frontier.api.v1.ListRoutesRequest;
import io.frontier.api.v1.RouteEntry;
import io.frontier.api.v1.SetRouteReply;
import io.frontier.api.v1.SetRouteRequest;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/** An Admin API on loopback that keeps routes as they are set, the way a gateway does. */
final class FakeAdminService extends AdminServiceGrpc.AdminServiceImplBase implements AutoCloseable {
    final Map<Integer, String> routes = new ConcurrentSkipListMap<>();
    private final LoopbackServer server;

    FakeAdminService() throws IOException {
        server = new LoopbackServer(this);
    }

    /** Returns the {@code --target} of this service. */
    String target() {
        return server.target();
    }

    @Override
    public void listRoutes(ListRoutesRequest request, StreamObserver<ListRoutesReply> responseObserver) {
        ListRoutesReply.Builder reply = ListRoutesReply.newBuilder();
        routes.forEach((service, target) -> reply.addRoutes(RouteEntry.newBuilder().setService(service).setTarget(target)));
        responseObserver.onNext(reply.build());
        responseObserver.onCompleted();
    }

    @Override
    public void setRoute(SetRouteRequest request, StreamObserver<SetRouteReply> responseObserver) {
        routes.put(request.getRoute().getService(), request.getRoute().getTarget());
        responseObserver.onNext(SetRouteReply.getDefaultInstance());
        responseObserver.onCompleted();
    }

    @Override
    public void deleteRoute(DeleteRouteRequest request, StreamObserver<DeleteRouteReply> responseObserver) {
        boolean found = routes.remove(request.getService()) != null;
        responseObserver.onNext(DeleteRouteReply.newBuilder().setFound(found).build());
        responseObserver.onCompleted();
    }

    @Override
    public void close() throws InterruptedException {
        server.close();
    }
}
