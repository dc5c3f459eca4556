package io.frontier.bench;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * The benchmark scenarios, one command each (see BENCHMARKS.md):
 * <pre>
 *   idle      --connections N [--server both|gateway|baseline] [--generators G]
 *   connect   --connections N [--in-flight 500]
 *   unicast   --devices N --rates R1,R2,.. [--seconds 10]
 *   broadcast --devices N [--rounds 5]
 *   storm     --devices N [--kill true] [--reconnect-spread-ms 2000] [--reconnect-max-ms 30000]
 *   soak      --devices N [--minutes 30] [--rate 2000] [--stop-reading-pct 10] [--churn-per-s 20]
 * </pre>
 * Common options: {@code --mode standalone|cluster} and {@code --edges N} (cluster: Redis,
 * etcd, a control plane and N edges, each a process), {@code --protocol tcp|ws|mix},
 * {@code --threads} (generator event loops, 2), {@code --sources} (loopback source
 * addresses from 127.0.0.2, 4), {@code --jvm-opts} (of each gateway process,
 * {@value ServerProcess#DEFAULT_JVM_OPTS}).
 * Each prints a line {@code JSON {...}} and a Markdown table row. {@code compare SCENARIO} runs
 * bench/compare ({@link Compare}).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0) {
            System.err.println("usage: bench/run idle|connect|unicast|broadcast|storm|soak [--option value]..."
                    + " (see BENCHMARKS.md)");
            System.exit(2);
        }
        if (argv[0].equals("compare")) {
            if (argv.length < 2) {
                System.err.println("usage: bench/compare idle|connect|broadcast|unicast [--option value]... (see BENCHMARKS.md)");
                System.exit(2);
            }
            Compare.run(argv[1], new Args(argv, 2));
            System.exit(0);
        }
        Args args = new Args(argv, 1);
        switch (argv[0]) {
            case "idle" -> Idle.run(args);
            case "connect" -> Connect.run(args);
            case "unicast" -> Unicast.run(args);
            case "broadcast" -> Broadcast.run(args);
            case "storm" -> Storm.run(args);
            case "soak" -> Soak.run(args);
            case "agent" -> Agent.run(args);
            default -> {
                System.err.println("unknown scenario: " + argv[0]);
                System.exit(2);
            }
        }
        System.exit(0);
    }

    static String secret() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static void log(String s) {
        System.err.println("[bench] " + s);
    }

    static String jvmOpts(Args args) {
        return args.string("jvm-opts", ServerProcess.DEFAULT_JVM_OPTS);
    }

    static LoadGenerator.Protocol protocol(Args args) {
        return LoadGenerator.Protocol.parse(args.string("protocol", "tcp"));
    }

    static LoadGenerator generator(Args args, LoadGenerator.Targets targets, boolean speaksProtocol) {
        LoadGenerator generator = new LoadGenerator(args.integer("threads", 2), targets, args.integer("sources", 4),
                speaksProtocol);
        if (args.flag("hellox", false)) {
            generator.helloX(HelloXKey.PUBLIC);
        }
        return args.flag("tls", false) ? generator.tls() : generator;
    }

    /** Connects the devices, logs how many came online, and fails when fewer than all did. */
    static void openAll(LoadGenerator gen, Credentials devices, int inFlight) throws InterruptedException {
        gen.open(devices, inFlight, 300);
        int online = gen.online.get();
        log(online + " devices online");
        if (online < devices.count()) {
            throw new IllegalStateException(devices.count() - online + " of " + devices.count()
                    + " devices did not come online (" + gen.failures.get() + " failures)");
        }
    }
}
