package io.frontier.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A generator process of its own: one process may hold at most as many connections as
 * it may open files, so the devices of a machine-wide run come from several agents.
 * An agent connects its slice of devices, prints {@code READY open failures}, holds
 * them until its standard input closes, and exits.
 */
final class Agent {
    private Agent() {
    }

    static void run(Args args) throws Exception {
        LoadGenerator.Targets targets = new LoadGenerator.Targets(addresses(args.string("tcp", "")),
                addresses(args.string("ws", "")), Main.protocol(args));
        Credentials devices = Credentials.mint(args.string("secret", ""), args.integer("from", 0),
                args.integer("count", 0));
        try (LoadGenerator gen = new LoadGenerator(args.integer("threads", 1), targets, args.integer("sources", 4),
                args.integer("source-base", 2), true)) {
            gen.open(devices, args.integer("in-flight", 200), 600);
            System.out.println("READY " + gen.open() + " " + gen.failures.get());
            System.out.flush();
            while (System.in.read() >= 0) {
                // held until the parent closes our input
            }
        }
    }

    private static List<InetSocketAddress> addresses(String csv) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            if (!s.isBlank()) {
                int colon = s.lastIndexOf(':');
                out.add(new InetSocketAddress(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1))));
            }
        }
        return out;
    }

    private static String csv(List<InetSocketAddress> list) {
        StringBuilder sb = new StringBuilder();
        for (InetSocketAddress a : list) {
            sb.append(sb.isEmpty() ? "" : ",").append(a.getHostString()).append(':').append(a.getPort());
        }
        return sb.toString();
    }

    /** Several agents, each a process, holding {@code n} devices between them. */
    static final class Fleet implements AutoCloseable {
        /** Called once half the agents are ready, with the connections they hold. */
        interface Checkpoint {
            void reached(int open) throws Exception;
        }

        private final List<Process> agents = new ArrayList<>();
        private int open;
        private int failures;

        /**
         * Starts {@code count} agents, one after the other (connecting is CPU-bound here), and
         * waits until all are ready; {@code atHalf} runs once half of them are.
         */
        static Fleet start(Args args, LoadGenerator.Targets targets, String secret, int n, int count, Checkpoint atHalf)
                throws Exception {
            Fleet fleet = new Fleet();
            try {
                int per = (n + count - 1) / count;
                int sources = args.integer("sources", 4);
                for (int a = 0; a < count; a++) {
                    int from = a * per;
                    int slice = Math.min(per, n - from);
                    List<String> cmd = new ArrayList<>(List.of(
                            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                            "-Xmx" + args.string("agent-heap", "1g"), "-XX:+UseSerialGC",
                            "-cp", System.getProperty("java.class.path"), Main.class.getName(), "agent",
                            "--secret", secret, "--from", "" + from, "--count", "" + slice,
                            "--protocol", targets.protocol().name(), "--tcp", csv(targets.tcp()), "--ws", csv(targets.ws()),
                            "--sources", "" + sources, "--source-base", "" + (2 + a * sources),
                            "--in-flight", args.string("in-flight", "200")));
                    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                    fleet.agents.add(p);
                    fleet.awaitReady(p, a);
                    if (a == count / 2 - 1) {
                        atHalf.reached(fleet.open);
                    }
                }
                return fleet;
            } catch (Exception | Error e) {
                fleet.close();
                throw e;
            }
        }

        private void awaitReady(Process p, int index) throws IOException {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("READY ")) {
                    String[] f = line.split(" ");
                    open += Integer.parseInt(f[1]);
                    failures += Integer.parseInt(f[2]);
                    Main.log("agent " + index + ": " + f[1] + " open, " + f[2] + " failures");
                    return;
                }
            }
            throw new IllegalStateException("agent " + index + " exited before it was ready");
        }

        int open() {
            return open;
        }

        int failures() {
            return failures;
        }

        @Override
        public void close() throws InterruptedException {
            for (Process p : agents) {
                try {
                    p.getOutputStream().close();
                } catch (IOException gone) {
                    p.destroy();
                }
            }
            for (Process p : agents) {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }
}
