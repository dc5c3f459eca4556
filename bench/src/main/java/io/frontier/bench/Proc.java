package io.frontier.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What /proc says of a process and its children (nginx's workers), for servers that are not JVMs as for those that are. */
final class Proc {
    private Proc() {
    }

    /** CPU time (user + system) of the process in ms, from /proc/PID/stat; 0 once it is gone. */
    static long cpuMillis(long pid) throws IOException {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        } catch (NoSuchFileException gone) {
            return 0;
        }
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return ticks * 10; // USER_HZ = 100
    }

    /** {@link #cpuMillis} of the process and all its descendants. */
    static long treeCpuMillis(ProcessHandle root) throws IOException {
        long sum = 0;
        for (ProcessHandle p : tree(root)) {
            sum += cpuMillis(p.pid());
        }
        return sum;
    }

    /**
     * Memory the process and its descendants hold that is theirs: anonymous and shared-memory pages,
     * each counted in proportion to the processes that map it (Pss), so that nchan's shared zone,
     * mapped by nginx's master and every worker, counts once. Pages of files (binaries, libraries)
     * are left out: they come and go with the page cache.
     */
    static long treeMemoryBytes(ProcessHandle root) throws IOException {
        long sum = 0;
        for (ProcessHandle p : tree(root)) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + p.pid() + "/smaps_rollup"))) {
                    if (line.startsWith("Pss_Anon:") || line.startsWith("Pss_Shmem:")) {
                        sum += Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                    }
                }
            } catch (NoSuchFileException gone) {
                // exited between the listing and the read: it holds nothing now
            }
        }
        return sum;
    }

    private static List<ProcessHandle> tree(ProcessHandle root) {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(root);
        root.descendants().forEach(all::add);
        return all;
    }
}
