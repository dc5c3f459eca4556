package io.frontier.edge.internal.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.frontier.edge.EdgeConfig;
import io.frontier.edge.Tokens;
import io.frontier.edge.internal.auth.JwtAuthenticator;
import io.frontier.edge.internal.routing.UpstreamRouter;
import io.frontier.edge.internal.session.SessionContext;
import io.frontier.edge.internal.session.SessionRegistry;
import io.frontier.edge.internal.transport.Listener;
import io.frontier.edge.routing.RouteTable;
import io.frontier.edge.session.SessionListener;
import io.frontier.edge.transport.IoTransport;
import io.frontier.protocol.ConnIds;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.python.core.PyString;
import org.python.util.PythonInterpreter;

/**
 * Fuzzes the WebSocket stack with the Autobahn|Testsuite fuzzing client (its Python
 * sources under Jython, as packaged by autobahntestsuite-maven-plugin). The pipeline is
 * the production one of {@link WsServerInitializer}, authentication before the upgrade
 * included, with {@link WsEchoHandler} in place of the session.
 *
 * <p>The plugin's own goal cannot be used: it connects to {@code ws://HOST:PORT} without a
 * path or a token, on the machine's address rather than loopback. This test calls the
 * same suite with the URL our upgrade needs.
 *
 * <p>The report lands in {@code target/autobahntestsuite-reports} ({@code index.html}).
 */
class AutobahnFuzzingIT {
    private static final String AGENT = "frontier-edge";
    /**
     * The outcomes that pass: NON-STRICT conforms to RFC 6455 but is lenient, INFORMATIONAL is
     * not judged. The closing handshake must be OK or INFORMATIONAL too (stricter than the
     * plugin's goal, which lets a wrong close code pass).
     */
    private static final List<String> PASSING = List.of("OK", "NON-STRICT", "INFORMATIONAL");

    /** The transport a production edge picks here, so that the fuzzing runs on it. */
    private final IoTransport transport = IoTransport.AUTO.resolve();
    private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, transport.handlerFactory());
    private final EventLoopGroup workers = new MultiThreadIoEventLoopGroup(2, transport.handlerFactory());
    private Listener listener;

    @BeforeEach
    void startEchoServer() throws Exception {
        // The largest message the config accepts (the 9.x cases send up to 16 MiB), and compression
        // on, as a production edge may run: Netty's decoder then leaves RSV bits to the pipeline.
        EdgeConfig config = EdgeConfig.builder()
                .jwtSecret(Tokens.SECRET)
                .wsHost("127.0.0.1")
                .wsPort(0)
                .maxWsMessage(16 * 1024 * 1024)
                .wsCompression(true)
                .build();
        AtomicReference<SessionContext> context = new AtomicReference<>();
        listener = Listener.bind("fuzzing echo", config.ws().host(), config.ws().port(), transport, boss, workers,
                new WsServerInitializer(context::get, ctx -> new WsEchoHandler()));
        ConnIds connIds = new ConnIds(listener.localAddress(), System::currentTimeMillis);
        context.set(new SessionContext(config, new SessionRegistry(4, connIds),
                new JwtAuthenticator(config.auth().jwtSecret(), Clock.systemUTC()),
                new UpstreamRouter(new RouteTable(Map.of(), config.upstream().deadline(), target -> null)),
                SessionListener.NONE, connIds, Clock.systemUTC()));
    }

    @AfterEach
    void stopEchoServer() {
        if (listener != null) {
            listener.close();
        }
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void everyCase_endsOkNonStrictOrInformational() throws Exception {
        Path reportDir = Path.of(System.getProperty("autobahn.reportDir", "target/autobahntestsuite-reports"))
                .toAbsolutePath();
        deleteRecursively(reportDir);
        Files.createDirectories(reportDir);
        String url = "ws://127.0.0.1:" + listener.localAddress().getPort() + WsUpgradeHandler.WS_PATH
                + "?device_id=fuzzer&token=" + Tokens.valid("autobahn", "fuzzer");
        long started = System.nanoTime();
        int cases = runFuzzingClient(url, reportDir);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);

        Map<String, String> outcomes = outcomes(reportDir.resolve("index.json"));
        Map<String, Integer> counts = new TreeMap<>();
        outcomes.values().forEach(outcome -> counts.merge(outcome, 1, Integer::sum));
        // On the console whatever the log level: the one line a build log should show of the run.
        System.out.printf("Autobahn: %d cases in %d s: %s; report %s%n", outcomes.size(), seconds, counts,
                reportDir.resolve("index.html"));
        assertThat(outcomes).as("cases reported").hasSize(cases);
        Map<String, String> failed = new TreeMap<>(outcomes);
        failed.values().removeIf(PASSING::contains);
        assertThat(failed).as("cases that did not end OK, NON-STRICT or INFORMATIONAL (see %s)",
                reportDir.resolve("index.html")).isEmpty();
    }

    /** Runs every case against {@code url}; returns the number of cases the suite has once it is done. */
    private static int runFuzzingClient(String url, Path reportDir) throws Exception {
        Properties props = new Properties();
        props.setProperty("python.import.site", "false");
        props.setProperty("python.cachedir.skip", "true");
        props.setProperty("python.console.encoding", "UTF-8");
        PythonInterpreter.initialize(System.getProperties(), props, new String[0]);
        try (PythonInterpreter python = new PythonInterpreter();
             OutputStream out = Files.newOutputStream(reportDir.resolve("fuzzingclient.log"))) {
            // The suite prints a line per case: into a file beside the report, not the build log.
            python.setOut(out);
            python.setErr(out);
            python.set("spec_json", new PyString(spec(url, reportDir.toString())));
            // io first: left to Twisted's own "from io import BytesIO", io fails to resolve to the
            // standard module on this classpath, whose Java packages io.frontier and io.netty share its name.
            python.exec("import io\n"
                    + "import json\n"
                    + "from autobahntestsuite import wstest\n"
                    + "from autobahntestsuite.case import Cases\n"
                    + "wstest.start({'mode': 'fuzzingclient'}, json.loads(spec_json))\n");
            return python.get("Cases").__len__();
        }
    }

    private static String spec(String url, String outdir) {
        JsonObject server = new JsonObject();
        server.addProperty("agent", AGENT);
        server.addProperty("url", url);
        JsonObject spec = new JsonObject();
        spec.addProperty("outdir", outdir);
        spec.add("servers", array(server));
        spec.add("cases", array("*"));
        spec.add("exclude-cases", new JsonArray());
        spec.add("exclude-agent-cases", new JsonObject());
        return spec.toString();
    }

    private static JsonArray array(Object... elements) {
        JsonArray array = new JsonArray();
        for (Object element : elements) {
            if (element instanceof JsonElement json) {
                array.add(json);
            } else {
                array.add(element.toString());
            }
        }
        return array;
    }

    /** Removes the report of an earlier run, so that a run that writes none cannot pass on the old one. */
    private static void deleteRecursively(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** Returns each case's outcome, e.g. {@code "6.4.1" -> "NON-STRICT"}, from the suite's index. */
    private static Map<String, String> outcomes(Path index) throws Exception {
        try (Reader reader = Files.newBufferedReader(index)) {
            JsonObject agent = JsonParser.parseReader(reader).getAsJsonObject().getAsJsonObject(AGENT);
            Map<String, String> outcomes = new TreeMap<>();
            for (Map.Entry<String, JsonElement> entry : agent.entrySet()) {
                JsonObject result = entry.getValue().getAsJsonObject();
                String behavior = result.get("behavior").getAsString();
                String close = result.get("behaviorClose").getAsString();
                // A case passes only when its messages and its closing handshake both do.
                outcomes.put(entry.getKey(), PASSING.contains(behavior) && !PASSING.contains(close)
                        ? behavior + "/close " + close : behavior);
            }
            return outcomes;
        }
    }
}
