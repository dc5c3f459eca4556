package io.frontier.edge.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads what some files hold now, and again whenever a check finds that one of them changed (its modification
 * time), on a daemon thread of its own. A change that cannot be used (a file half written, a key that does not
 * match a certificate renewed before it) keeps what was loaded before, is logged once, and is tried again at
 * the next check. Certificates are what it is for: a renewed one serves new connections without a restart.
 */
public final class FileReloads implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FileReloads.class);

    /** Loads the files; returns a few words for the log line of a reload. */
    @FunctionalInterface
    public interface Loader {
        String load() throws IOException, GeneralSecurityException;
    }

    private final String what;
    private final List<Path> files;
    private final Loader loader;
    private final ScheduledExecutorService checks;
    // The checks' thread only, after the first load.
    private List<Long> loaded;
    private List<Long> failed;

    private FileReloads(String what, List<Path> files, Loader loader, ScheduledExecutorService checks) {
        this.what = what;
        this.files = List.copyOf(files);
        this.loader = loader;
        this.checks = checks;
    }

    /**
     * Loads {@code files} with {@code loader} now, then checks them every {@code every} until closed.
     *
     * @param what names the files in log lines, e.g. "the devices' TLS files"
     * @throws IOException              when a file cannot be read now
     * @throws GeneralSecurityException when a file does not hold what it should now
     */
    public static FileReloads start(String what, List<Path> files, Duration every, Loader loader)
            throws IOException, GeneralSecurityException {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "frontier-file-reload");
            thread.setDaemon(true);
            return thread;
        });
        FileReloads reloads = new FileReloads(what, files, loader, executor);
        try {
            List<Long> times = reloads.modified();
            loader.load();
            reloads.loaded = times;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            executor.shutdownNow();
            throw e;
        }
        executor.scheduleWithFixedDelay(reloads::check, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return reloads;
    }

    /**
     * Returns reloads of {@code files} that loaded nothing yet and check only when {@link #check()} is
     * called: for tests.
     */
    public static FileReloads manual(String what, List<Path> files, Loader loader) {
        return new FileReloads(what, files, loader, null);
    }

    /** Loads the files again if one changed since the last load; never throws. */
    public void check() {
        List<Long> times;
        try {
            times = modified();
        } catch (IOException e) {
            logOnce(null, e.toString());
            return;
        }
        if (times.equals(loaded)) {
            return;
        }
        try {
            String loadedNow = loader.load();
            loaded = times;
            failed = null;
            log.info("{} read again: {}", what, loadedNow);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            logOnce(times, e.getMessage());
        }
    }

    /** Stops the checks. */
    @Override
    public void close() {
        if (checks != null) {
            checks.shutdownNow();
        }
    }

    private void logOnce(List<Long> times, String reason) {
        if (times == null || !times.equals(failed)) {
            log.warn("{} changed but cannot be used ({}): what was loaded before stays", what, reason);
        }
        failed = times;
    }

    private List<Long> modified() throws IOException {
        List<Long> times = new ArrayList<>(files.size());
        for (Path file : files) {
            times.add(Files.getLastModifiedTime(file).toMillis());
        }
        return times;
    }
}
