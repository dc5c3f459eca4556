package io.frontier.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server under test as a process of its own (the gateway, or the bare-Netty
 * baseline), started from this JVM's class path, and its memory as the OS and the
 * JVM see it.
 */
final class ServerProcess implements AutoCloseable {
    /** Fixed heap, touched at start: the heap's share of RSS stays constant, so RSS deltas are native memory. */
    static final String DEFAULT_JVM_OPTS = "-Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:+UseG1GC -XX:NativeMemoryTracking=summary";

    final Process process;
    final int tcpPort;
    final int grpcPort;
    final int wsPort;
    final String jvmOpts;
    final String name;
    final Path log;
    private final List<String> command;
    private final String secret;
    /** Variables added to the process's environment (e.g. MALLOC_ARENA_MAX for idle). */
    private final Map<String, String> env;

    private ServerProcess(Process process, List<String> command, String secret, Map<String, String> env, int tcpPort,
            int grpcPort, int wsPort, String jvmOpts, String name, Path log) {
        this.process = process;
        this.command = command;
        this.secret = secret;
        this.env = env;
        this.tcpPort = tcpPort;
        this.grpcPort = grpcPort;
        this.wsPort = wsPort;
        this.jvmOpts = jvmOpts;
        this.name = name;
        this.log = log;
    }

    /**
     * The limits a load test lifts: every connection of the bench comes from a few loopback addresses, as fast
     * as it can, so the per-address connect rate and the connection count would refuse it.
     */
    static final List<String> LOAD_TEST_LIMITS = List.of("--max-connections", "1000000", "--connect-rate-per-ip",
            "1000000", "--connect-burst-per-ip", "1000000");

    /** Starts {@code ./frontier standalone} (io.frontier.launcher.Main) with free ports and {@code env} added to its environment. */
    static ServerProcess gateway(String jvmOpts, String secret, String ioTransport, Map<String, String> env)
            throws Exception {
        return gateway(jvmOpts, secret, ioTransport, env, List.of());
    }

    /** {@link #gateway(String, String, String, Map)} with {@code extraArgs} added to its command line. */
    static ServerProcess gateway(String jvmOpts, String secret, String ioTransport, Map<String, String> env,
            List<String> extraArgs) throws Exception {
        int tcp = freePort();
        int grpc = freePort();
        int ws = freePort();
        List<String> args = new ArrayList<>(List.of("standalone", "--tcp-host", "127.0.0.1", "--ws-host",
                "127.0.0.1", "--tcp-port", "" + tcp, "--grpc-port", "" + grpc, "--ws-port", "" + ws,
                "--io-transport", ioTransport));
        args.addAll(LOAD_TEST_LIMITS);
        args.addAll(extraArgs);
        return launcher("gateway", jvmOpts, secret, args, tcp, grpc, ws, env);
    }

    /**
     * Starts {@code io.frontier.launcher.Main ARGS} and waits until it listens on the
     * given ports: {@code tcp}, then {@code grpc} and {@code ws} when positive.
     */
    static ServerProcess launcher(String name, String jvmOpts, String secret, List<String> args, int tcp, int grpc, int ws,
            Map<String, String> env) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(distribution().resolve("bin/frontier").toString());
        cmd.addAll(args);
        return start(cmd, secret, env, tcp, grpc, ws, jvmOpts, name);
    }

    /**
     * The unpacked release distribution that bench/run names ({@code -Dfrontier.home}): the gateway
     * is measured as users run it, from its own {@code bin/frontier} and {@code lib/}.
     */
    private static Path distribution() {
        String home = System.getProperty("frontier.home");
        if (home == null || !Files.isExecutable(Path.of(home, "bin", "frontier"))) {
            throw new IllegalStateException("-Dfrontier.home names no unpacked distribution (" + home
                    + "): run the bench through bench/run, which builds one");
        }
        return Path.of(home);
    }

    /** Starts {@link BaselineServer} with free ports (TCP, and WebSocket on /ws). */
    static ServerProcess baseline(String jvmOpts, String ioTransport, Map<String, String> env) throws Exception {
        return baseline(jvmOpts, ioTransport, env, false);
    }

    /**
     * As above; with {@code pushes}, the baseline also pushes to its devices ({@link BaselinePushes}),
     * through an HTTP port that stands where the gateway's Push API port does ({@link #grpcPort}).
     */
    static ServerProcess baseline(String jvmOpts, String ioTransport, Map<String, String> env, boolean pushes)
            throws Exception {
        int tcp = freePort();
        int ws = freePort();
        int control = pushes ? freePort() : -1;
        List<String> cmd = java(jvmOpts);
        cmd.addAll(List.of(BaselineServer.class.getName(), "" + tcp, "" + ws, ioTransport));
        if (pushes) {
            cmd.add("" + control);
        }
        return start(cmd, null, env, tcp, control, ws, jvmOpts, "baseline");
    }

    private static List<String> java(String jvmOpts) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String o : jvmOpts.trim().split("\\s+")) {
            if (!o.isEmpty()) {
                cmd.add(o);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        return cmd;
    }

    private static ServerProcess start(List<String> cmd, String secret, Map<String, String> env, int tcp, int grpc, int ws,
            String jvmOpts, String name) throws Exception {
        Path log = Files.createTempFile("frontier-bench-" + name + "-", ".log");
        ServerProcess server = new ServerProcess(spawn(cmd, secret, env, jvmOpts, log), cmd, secret, env, tcp, grpc, ws,
                jvmOpts, name, log);
        server.awaitPorts(TimeUnit.SECONDS.toNanos(60));
        return server;
    }

    /** Waits until the process listens on all its ports. */
    void awaitPorts(long timeoutNanos) throws Exception {
        long deadline = System.nanoTime() + timeoutNanos;
        for (int port : new int[] {tcpPort, grpcPort, wsPort}) {
            if (port <= 0) {
                continue;
            }
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited: " + Files.readString(log));
                }
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    break;
                } catch (IOException notYet) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(name + " did not open port " + port + ": " + Files.readString(log));
                    }
                    Thread.sleep(100);
                }
            }
        }
    }

    /**
     * Stops this process (SIGKILL when {@code kill}, else SIGTERM and a wait) and starts
     * the same command again, on the same ports; returns without waiting for them.
     */
    ServerProcess restart(boolean kill) throws Exception {
        if (kill) {
            process.destroyForcibly().waitFor();
        } else {
            stopGracefully();
        }
        return new ServerProcess(spawn(command, secret, env, jvmOpts, log), command, secret, env, tcpPort, grpcPort, wsPort,
                jvmOpts, name, log);
    }

    /**
     * Starts the command with its output appended to {@code log}, open APIs and the benchmark's JWT secret;
     * {@code bin/frontier} takes its JVM options from FRONTIER_JAVA_OPTS (and execs the JVM, so the pid
     * measured is the JVM's), and {@code env} on top.
     */
    private static Process spawn(List<String> cmd, String secret, Map<String, String> env, String jvmOpts, Path log)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        pb.environment().put("FRONTIER_JAVA_OPTS", jvmOpts);
        pb.environment().remove("FRONTIER_PUSH_TOKEN");
        pb.environment().remove("FRONTIER_ADMIN_TOKEN");
        if (secret != null) {
            pb.environment().put("FRONTIER_JWT_SECRET", secret);
        }
        return pb.start();
    }

    /**
     * A free port below the ephemeral range (32768..60999 here): ports of that range
     * would race with the thousands of client sockets the generator opens.
     */
    static int freePort() throws IOException {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = 20_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(12_000);
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException taken) {
                // next
            }
        }
        throw new IOException("no free port in 20000..32000");
    }

    long pid() {
        return process.pid();
    }

    /**
     * Memory of the process after two full GCs: {@code heapUsedBytes} as G1 counts it used, which
     * is more than the live objects (dead objects a full GC leaves in place in mostly live regions,
     * see MarkSweepDeadRatio, and other slack: hundreds of KB that vary with the run's garbage), and
     * {@code liveBytes}, the live objects' bytes from a class histogram. The {@code nmt} figures are
     * NMT's committed bytes (-1 without NMT): in all, Other (direct buffers), Java Heap, Code (the
     * JIT's code cache) and Arena Chunk (arena chunks in use or pooled, mostly the compilers').
     */
    record Memory(long rssBytes, long heapUsedBytes, long nmtCommittedBytes, long nmtOtherBytes, long nmtHeapCommittedBytes,
            long nmtCodeBytes, long nmtArenaBytes, long liveBytes) {
        long nonHeapNmt() {
            return nmtCommittedBytes - nmtHeapCommittedBytes;
        }

        /** The smaller of each figure of this sample and {@code o}. */
        Memory min(Memory o) {
            return new Memory(Math.min(rssBytes, o.rssBytes), Math.min(heapUsedBytes, o.heapUsedBytes),
                    Math.min(nmtCommittedBytes, o.nmtCommittedBytes), Math.min(nmtOtherBytes, o.nmtOtherBytes),
                    Math.min(nmtHeapCommittedBytes, o.nmtHeapCommittedBytes), Math.min(nmtCodeBytes, o.nmtCodeBytes),
                    Math.min(nmtArenaBytes, o.nmtArenaBytes), Math.min(liveBytes, o.liveBytes));
        }
    }

    Memory memory() throws Exception {
        jcmd("GC.run");
        jcmd("GC.run");
        // Memory the JVM freed (compiler arenas, GC work areas) stays in the C heap until trimmed,
        // and would count as memory of the connections otherwise.
        jcmd("System.trim_native_heap");
        Thread.sleep(500);
        long rss = rssKb() * 1024;
        String heap = jcmd("GC.heap_info");
        Matcher used = Pattern.compile("used (\\d+)K").matcher(heap);
        long heapUsed = used.find() ? Long.parseLong(used.group(1)) * 1024 : -1;
        long total = -1;
        long other = -1;
        long javaHeap = -1;
        long code = -1;
        long arena = -1;
        if (jvmOpts.contains("NativeMemoryTracking")) {
            String nmt = jcmd("VM.native_memory", "summary");
            total = kb(nmt, "Total: reserved=\\d+KB, committed=(\\d+)KB");
            other = kb(nmt, "Other \\(reserved=\\d+KB, committed=(\\d+)KB");
            javaHeap = kb(nmt, "Java Heap \\(reserved=\\d+KB, committed=(\\d+)KB");
            code = kb(nmt, "Code \\(reserved=\\d+KB, committed=(\\d+)KB");
            arena = kb(nmt, "Arena Chunk \\(reserved=\\d+KB, committed=(\\d+)KB");
        }
        // A histogram of live objects (it runs a full GC of its own): their bytes, without TLAB slack.
        Matcher live = Pattern.compile("Total\\s+\\d+\\s+(\\d+)").matcher(jcmd("GC.class_histogram"));
        long liveBytes = live.find() ? Long.parseLong(live.group(1)) : -1;
        return new Memory(rss, heapUsed, total, other, javaHeap, code, arena, liveBytes);
    }

    /**
     * Waits until the JIT of every process has been quiet for {@code quietMillis}: no compilation
     * finished ({@code sun.ci.totalCompiles} unchanged), none running and none queued, for that
     * long counted from this call at the earliest. Gives up after {@code timeoutMillis} (a process
     * that keeps compiling) and says so; returns the milliseconds waited.
     *
     * <p>Why: HotSpot's compiler threads take their arenas' chunks from a pool that a periodic task
     * empties only every 5 s, and the freed chunks stay in the C heap until trimmed; memory sampled
     * within seconds of a compilation counts megabytes of them, and also the code being compiled.
     */
    static long awaitCompilersQuiet(List<ServerProcess> processes, long quietMillis, long timeoutMillis)
            throws Exception {
        long start = System.currentTimeMillis();
        long[] count = new long[processes.size()];
        long[] since = new long[processes.size()];
        java.util.Arrays.fill(count, -1);
        while (true) {
            long now = System.currentTimeMillis();
            boolean quiet = true;
            for (int i = 0; i < processes.size(); i++) {
                ServerProcess p = processes.get(i);
                long c = p.compilations();
                if (c != count[i] || p.compiling()) {
                    count[i] = c;
                    since[i] = now;
                }
                quiet &= now - since[i] >= quietMillis;
            }
            if (quiet) {
                return now - start;
            }
            if (now - start > timeoutMillis) {
                Main.log("JIT still busy after " + (now - start) / 1000 + " s; measuring anyway");
                return now - start;
            }
            Thread.sleep(1000);
        }
    }

    /** Compilations the JIT has finished ({@code sun.ci.totalCompiles}). */
    private long compilations() throws Exception {
        Matcher m = Pattern.compile("sun\\.ci\\.totalCompiles=(\\d+)").matcher(jcmd("PerfCounter.print"));
        if (!m.find()) {
            throw new IllegalStateException("no sun.ci.totalCompiles in PerfCounter.print of " + name);
        }
        return Long.parseLong(m.group(1));
    }

    /** Whether a compilation is running or queued ({@code Compiler.queue} lists anything). */
    private boolean compiling() throws Exception {
        for (String line : jcmd("Compiler.queue").split("\n")) {
            String l = line.strip();
            if (!l.isEmpty() && !l.endsWith(":") && !l.equals("Empty")) {
                return true;
            }
        }
        return false;
    }

    /** Marks the native memory baseline that {@link #nativeMemoryDiff()} compares with. */
    void nativeMemoryBaseline() throws Exception {
        jcmd("VM.native_memory", "baseline");
    }

    /** Native memory by category, as changed since {@link #nativeMemoryBaseline()}. */
    String nativeMemoryDiff() throws Exception {
        return jcmd("VM.native_memory", "summary.diff");
    }

    /** The first {@code lines} lines of the process's live-object class histogram (most bytes first). */
    String histogram(int lines) throws Exception {
        String[] all = jcmd("GC.class_histogram").split("\n");
        return String.join("\n", java.util.Arrays.copyOf(all, Math.min(lines, all.length)));
    }

    private static long kb(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
    }

    /**
     * The process's anonymous resident memory (RssAnon): what it allocated, without the
     * file-backed pages of jars and libraries, which come and go with the page cache and
     * would add noise of megabytes to a delta of a few.
     */
    long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
            if (line.startsWith("RssAnon:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no RssAnon for " + pid());
    }

    /** CPU time (user + system) of the process in ms, from /proc/PID/stat. */
    long cpuMillis() throws IOException {
        return Proc.cpuMillis(pid());
    }

    private String jcmd(String... command) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        cmd.add("" + pid());
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            System.err.println("[bench] " + name + " exited early (code " + process.exitValue() + "); its log: " + log);
            return;
        }
        try {
            stopGracefully();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void stopGracefully() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
