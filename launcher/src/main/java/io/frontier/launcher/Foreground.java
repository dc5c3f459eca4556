package io.frontier.launcher;

import java.util.concurrent.CountDownLatch;

/** Keeps a started node in the foreground until the process is asked to stop (SIGTERM, Ctrl-C). */
final class Foreground {
    private Foreground() {
    }

    /**
     * Announces the node, then blocks until the JVM shuts down; the shutdown closes the node
     * (which tells devices to reconnect elsewhere) before the process ends. Returns exit code 0.
     */
    static int hold(AutoCloseable node, Runnable announce) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (Exception e) {
                System.err.println("frontier: stopping failed: " + e);
            } finally {
                stopped.countDown();
            }
        }, "frontier-shutdown"));
        announce.run();
        stopped.await();
        return 0;
    }
}
