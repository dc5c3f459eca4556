package io.frontier.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version and git commit this build was made from, as the build wrote them into
 * {@code frontier-build.properties}. Nodes report the version in discovery; {@code --version}
 * prints both.
 */
public final class BuildInfo {
    private static final BuildInfo CURRENT = load();

    private final String version;
    private final String commit;

    private BuildInfo(String version, String commit) {
        this.version = version;
        this.commit = commit;
    }

    /** Returns the running build's information. */
    public static BuildInfo current() {
        return CURRENT;
    }

    /** Returns the project version, such as {@code 0.1.0-SNAPSHOT}. */
    public String version() {
        return version;
    }

    /** Returns the abbreviated commit, with {@code -dirty} when the tree had changes, or {@code unknown}. */
    public String commit() {
        return commit;
    }

    /** Returns the line {@code --version} prints: {@code NAME VERSION (commit COMMIT)}. */
    public String describe(String name) {
        return name + " " + version + " (commit " + commit + ")";
    }

    private static BuildInfo load() {
        Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("frontier-build.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read frontier-build.properties", e);
        }
        String version = filtered(properties.getProperty("version"));
        String commit = filtered(properties.getProperty("commit"));
        if (commit != null && "true".equals(filtered(properties.getProperty("dirty")))) {
            commit += "-dirty";
        }
        return new BuildInfo(version == null ? "unknown" : version, commit == null ? "unknown" : commit);
    }

    /** Returns the value, or null when the build did not fill it in (no git directory). */
    private static String filtered(String value) {
        return value == null || value.isBlank() || value.startsWith("${") ? null : value;
    }
}
