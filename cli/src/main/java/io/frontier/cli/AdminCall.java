package io.frontier.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.frontier.api.v1.AdminServiceGrpc;
import io.frontier.api.v1.PushServiceGrpc;
import io.grpc.ClientInterceptor;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Model.CommandSpec;

/**
 * One command's calls of the gateway's gRPC API: the channel, the bearer token from
 * the environment, and what a failed call prints and exits with.
 */
final class AdminCall {
    /** The environment variable the Admin API's token comes from. */
    static final String ADMIN_TOKEN_ENV = "FRONTIER_ADMIN_TOKEN";
    /** The environment variable the Push API's token comes from. */
    static final String PUSH_TOKEN_ENV = "FRONTIER_PUSH_TOKEN";
    /** The deadline of one call. */
    static final Duration DEADLINE = Duration.ofSeconds(10);

    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    // JsonFormat escapes = < > & ' as Gson does by default, for HTML (timeout\u003d2s): this prints them as they are.
    private static final Gson PLAIN_JSON = new GsonBuilder().disableHtmlEscaping().setPrettyPrinting().create();
    // What grpc-java says when the peer answered with something other than HTTP/2.
    private static final String NOT_HTTP2 = "http2 exception";

    /** A call's body, which may fail with the gateway's status. */
    @FunctionalInterface
    interface Body<T> {
        int run(T stub) throws InterruptedException;
    }

    private AdminCall() {
    }

    /** Runs {@code body} with an Admin API stub and returns its exit code, or the exit code of its failure. */
    static int admin(CommandSpec spec, HostPort target, Body<AdminServiceGrpc.AdminServiceBlockingStub> body)
            throws InterruptedException {
        ManagedChannel channel = open(target);
        try {
            AdminServiceGrpc.AdminServiceBlockingStub stub = AdminServiceGrpc.newBlockingStub(channel)
                    .withInterceptors(token(spec, ADMIN_TOKEN_ENV))
                    .withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            return body.run(stub);
        } catch (StatusRuntimeException e) {
            return failed(spec, target, ADMIN_TOKEN_ENV, e.getStatus());
        } finally {
            close(channel);
        }
    }

    /**
     * Runs {@code body} with a Push API stub whose call has {@code deadline}, and returns its
     * exit code: 4 for a refused token, 3 for any other failure, its status printed.
     */
    static int push(CommandSpec spec, HostPort target, Duration deadline,
                    Body<PushServiceGrpc.PushServiceBlockingStub> body) throws InterruptedException {
        ManagedChannel channel = open(target);
        try {
            return body.run(PushServiceGrpc.newBlockingStub(channel)
                    .withInterceptors(token(spec, PUSH_TOKEN_ENV))
                    .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS));
        } catch (StatusRuntimeException e) {
            Status status = e.getStatus();
            if (status.getCode() == Status.Code.UNAUTHENTICATED || notGrpc(status)) {
                return failed(spec, target, PUSH_TOKEN_ENV, status);
            }
            StringBuilder message = new StringBuilder(command(spec)).append(" failed: ").append(status.getCode());
            if (status.getDescription() != null) {
                message.append(": ").append(status.getDescription());
            }
            if (status.getCode() == Status.Code.UNAVAILABLE || status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
                message.append(" (is the gateway running on ").append(target).append("?)");
            }
            spec.commandLine().getErr().println(message);
            return FrontierCtl.UNREACHABLE;
        } finally {
            close(channel);
        }
    }

    private static String command(CommandSpec spec) {
        return spec.qualifiedName().replaceFirst("^frontier ctl ", "");
    }

    static ManagedChannel open(HostPort target) {
        return Grpc.newChannelBuilderForAddress(target.host(), target.port(), InsecureChannelCredentials.create()).build();
    }

    static void close(ManagedChannel channel) throws InterruptedException {
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
    }

    /** Returns an interceptor that sends the token of {@code env} when it is set, and nothing otherwise. */
    static ClientInterceptor token(CommandSpec spec, String env) {
        String token = ((FrontierCtl) spec.root().userObject()).env().get(env);
        Metadata headers = new Metadata();
        if (token != null && !token.isEmpty()) {
            headers.put(AUTHORIZATION, "Bearer " + token);
        }
        return MetadataUtils.newAttachHeadersInterceptor(headers);
    }

    /**
     * Prints what went wrong and what to do, and returns the exit code: 4 for a refused
     * token, 1 for an unknown edge, 2 for a request the gateway found invalid, 3 otherwise.
     */
    static int failed(CommandSpec spec, HostPort target, String tokenEnv, Status status) {
        PrintWriter err = spec.commandLine().getErr();
        String what = command(spec);
        if (notGrpc(status)) {
            err.println(what + " failed: " + target + " does not speak gRPC: is it the gateway's gRPC port (--grpc-port)?");
            return FrontierCtl.UNREACHABLE;
        }
        String description = status.getDescription() == null ? "" : ": " + status.getDescription();
        switch (status.getCode()) {
            case UNAUTHENTICATED, PERMISSION_DENIED -> {
                boolean set = ((FrontierCtl) spec.root().userObject()).env().get(tokenEnv) != null;
                err.println(what + " refused: " + status.getCode() + description + " ("
                        + (set ? "check that " + tokenEnv + " holds the gateway's token"
                                : "export " + tokenEnv + " with the gateway's token") + ")");
                return FrontierCtl.ACCESS_DENIED;
            }
            case NOT_FOUND -> {
                err.println(what + ": " + status.getDescription());
                return FrontierCtl.NOT_DONE;
            }
            case INVALID_ARGUMENT -> {
                err.println(what + " rejected by the gateway: " + status.getDescription());
                return FrontierCtl.USAGE;
            }
            case UNAVAILABLE, DEADLINE_EXCEEDED -> {
                err.println(what + " failed: " + status.getCode() + description + " (is the gateway running on "
                        + target + "? --target names another)");
                return FrontierCtl.UNREACHABLE;
            }
            default -> {
                err.println(what + " failed: " + status.getCode() + description);
                return FrontierCtl.UNREACHABLE;
            }
        }
    }

    /**
     * Returns whether the call failed because the peer does not speak HTTP/2: a device port (TCP
     * or WebSocket) rather than the gateway's gRPC port.
     */
    private static boolean notGrpc(Status status) {
        return status.getCode() == Status.Code.INTERNAL && NOT_HTTP2.equals(status.getDescription());
    }

    /** Prints {@code reply} in the protobuf JSON mapping, with every field, defaults included. */
    static void printJson(MessageOrBuilder reply, PrintWriter out) {
        try {
            out.println(PLAIN_JSON.toJson(JsonParser.parseString(
                    JsonFormat.printer().alwaysPrintFieldsWithNoPresence().print(reply))));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a reply of the gateway does not map to JSON", e);
        }
    }
}
