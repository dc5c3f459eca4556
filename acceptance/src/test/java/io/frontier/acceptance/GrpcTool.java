package io.frontier.acceptance;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code src/test/node/grpc-tool.mjs}: a Push API caller and an offline notifier on {@code @grpc/grpc-js},
 * written against the distribution's {@code proto/} folder only. Its events are the JSON lines it prints.
 */
final class GrpcTool extends OsProcess {
    static final Path NODE_DIR = Path.of("src/test/node").toAbsolutePath();

    private GrpcTool(String name, List<String> args) {
        super(name, command(args), Map.of(), NODE_DIR);
    }

    private static List<String> command(List<String> args) {
        List<String> command = new ArrayList<>(List.of("node", "grpc-tool.mjs"));
        command.add(args.get(0));
        command.add("--proto-dir");
        command.add(Distribution.home().resolve("proto").toString());
        command.addAll(args.subList(1, args.size()));
        return command;
    }

    /** Serves OfflineNotifier on {@code port}; returns once it listens. */
    static GrpcTool notifier(int port) {
        GrpcTool tool = new GrpcTool("notifier", List.of("notifier", "--port", "" + port));
        tool.start().awaitOutput("\"event\":\"listening\"", FrontierNode.START);
        return tool;
    }

    /** Starts pushing {@code m-0 .. m-(count-1)} to {@code user}, round robin over {@code targets}. */
    static GrpcTool pushStream(String user, int count, int intervalMs, String... targets) {
        return pushStream(user, count, intervalMs, 10_000, 0, targets);
    }

    /**
     * As {@link #pushStream(String, int, int, String...)}, each push with a deadline of {@code deadlineMs}
     * (0: none) and a payload padded to {@code size} bytes.
     */
    static GrpcTool pushStream(String user, int count, int intervalMs, long deadlineMs, int size, String... targets) {
        GrpcTool tool = new GrpcTool("push-stream", List.of("push-stream", "--target", String.join(",", targets),
                "--user", user, "--count", "" + count, "--interval-ms", "" + intervalMs, "--deadline-ms", "" + deadlineMs,
                "--size", "" + size));
        tool.start();
        return tool;
    }

    /** One Push of {@code requestJson} (a PushRequest with proto field names); {@code deadlineMs} 0 sets none. */
    static JsonObject push(String target, String requestJson, long deadlineMs, Duration wait) {
        try (GrpcTool tool = new GrpcTool("push", List.of("push", "--target", target, "--request", requestJson,
                "--deadline-ms", "" + deadlineMs))) {
            tool.start().awaitOutput("\"event\":\"push\"", wait);
            return tool.events("push").get(0);
        }
    }

    /**
     * Attaches to the EdgeLink at {@code target} as {@code edgeId} with an empty snapshot, bringing
     * {@code credentials} (options of the tool: {@code --token}, {@code --tls-ca}, {@code --tls-cert},
     * {@code --tls-key}); returns the first thing the control plane answered: an "acked" or an "ended" event.
     */
    static JsonObject linkAttach(String target, String edgeId, List<String> credentials) {
        List<String> args = new ArrayList<>(List.of("link-attach", "--target", target, "--edge-id", edgeId,
                "--deadline-ms", "10000"));
        args.addAll(credentials);
        try (GrpcTool tool = new GrpcTool("link-attach", args)) {
            tool.start().awaitOutput("\"event\":\"(acked|ended)\"", Duration.ofSeconds(20));
            List<JsonObject> events = tool.events("acked");
            return events.isEmpty() ? tool.events("ended").get(0) : events.get(0);
        }
    }

    /** Calls EdgeService.ListConnections at {@code target} with {@code credentials}; returns the "reply" event. */
    static JsonObject edgeCall(String target, List<String> credentials) {
        List<String> args = new ArrayList<>(List.of("edge-call", "--target", target, "--deadline-ms", "10000"));
        args.addAll(credentials);
        try (GrpcTool tool = new GrpcTool("edge-call", args)) {
            tool.start().awaitOutput("\"event\":\"reply\"", Duration.ofSeconds(20));
            return tool.events("reply").get(0);
        }
    }

    /** The JSON lines printed so far whose event is {@code name}. */
    List<JsonObject> events(String name) {
        List<JsonObject> events = new ArrayList<>();
        for (String line : output().split("\n")) {
            if (line.startsWith("{")) {
                JsonObject event = JsonParser.parseString(line).getAsJsonObject();
                if (event.get("event").getAsString().equals(name)) {
                    events.add(event);
                }
            }
        }
        return events;
    }
}
