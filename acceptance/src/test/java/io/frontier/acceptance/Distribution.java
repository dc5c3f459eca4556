package io.frontier.acceptance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The release distribution under test: {@code frontier-VERSION.tar.gz} as {@code mvn package} left it,
 * unpacked once per test JVM into a temporary directory with {@code tar}, as a user would. Nothing of the
 * source tree or of Maven's class path is used to run it.
 */
final class Distribution {
    private static Path home;

    private Distribution() {
    }

    /** Returns the unpacked {@code frontier-VERSION} directory, unpacking the tarball on first use. */
    static synchronized Path home() {
        if (home == null) {
            home = unpack(tarball());
        }
        return home;
    }

    /** Returns {@code bin/frontier} of the unpacked distribution. */
    static Path frontier() {
        return home().resolve("bin/frontier");
    }

    /** Returns the tarball named by the {@code frontier.dist} system property. */
    static Path tarball() {
        String path = System.getProperty("frontier.dist");
        if (path == null) {
            throw new IllegalStateException("the frontier.dist system property names no tarball: run through Maven");
        }
        Path tarball = Path.of(path).toAbsolutePath().normalize();
        if (!Files.isRegularFile(tarball)) {
            throw new IllegalStateException(tarball + " is missing: mvn package builds it (launcher module)");
        }
        return tarball;
    }

    /** Returns the checkout this suite runs in, for the files a user of a checkout has (README, deploy/). */
    static Path checkout() {
        return Path.of(System.getProperty("frontier.checkout", "..")).toAbsolutePath().normalize();
    }

    private static Path unpack(Path tarball) {
        try {
            Path dir = Files.createTempDirectory("frontier-dist-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir), "frontier-dist-cleanup"));
            Process tar = new ProcessBuilder("tar", "xzf", tarball.toString(), "-C", dir.toString())
                    .redirectErrorStream(true).start();
            String output = new String(tar.getInputStream().readAllBytes());
            if (!tar.waitFor(120, TimeUnit.SECONDS) || tar.exitValue() != 0) {
                throw new IllegalStateException("tar xzf " + tarball + " failed: " + output);
            }
            try (Stream<Path> top = Files.list(dir)) {
                return top.filter(p -> p.getFileName().toString().startsWith("frontier-")).findFirst()
                        .orElseThrow(() -> new IllegalStateException(tarball + " holds no frontier-VERSION directory"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory: the OS cleans up what is left
        }
    }
}
