package io.frontier.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Where an option's value comes from when the command line does not give it: the
 * environment ({@code --redis-address} is {@code FRONTIER_REDIS_ADDRESS}), then the
 * configuration file ({@code redis-address = ...}), then the option's default. Flags win
 * over all of them.
 */
final class Settings implements IDefaultValueProvider {
    static final String CONFIG_ENV = "FRONTIER_CONFIG";

    private final Map<String, String> env;
    private final Properties file;

    private Settings(Map<String, String> env, Properties file) {
        this.env = env;
        this.file = file;
    }

    /**
     * Reads the configuration file named by {@code --config FILE} in {@code args}, or by
     * {@code FRONTIER_CONFIG}; none is fine.
     *
     * @throws IOException when the named file cannot be read
     */
    static Settings load(String[] args, Map<String, String> env) throws IOException {
        String path = env.get(CONFIG_ENV);
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                path = args[i + 1];
            } else if (args[i].startsWith("--config=")) {
                path = args[i].substring("--config=".length());
            }
        }
        Properties file = new Properties();
        if (path != null && !path.isBlank()) {
            try (Reader reader = Files.newBufferedReader(Path.of(path), StandardCharsets.UTF_8)) {
                file.load(reader);
            }
        }
        return new Settings(env, file);
    }

    /** Returns the environment variable of an option: {@code --lease-ttl} is {@code FRONTIER_LEASE_TTL}. */
    static String envName(String option) {
        return "FRONTIER_" + option.replaceFirst("^--", "").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (!(argSpec instanceof OptionSpec option) || option.longestName().equals("--config")) {
            return argSpec.defaultValue();
        }
        String name = option.longestName();
        String fromEnv = env.get(envName(name));
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        String fromFile = file.getProperty(name.replaceFirst("^--", ""));
        if (fromFile != null && !fromFile.isBlank()) {
            return fromFile.strip();
        }
        return argSpec.defaultValue();
    }
}
