package io.frontier.cli;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code ctl token}: prints a development token. */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = {
            "Prints a development device token.",
            "The token is a JWT signed with HS256 and the secret in the environment variable "
                    + DevTokens.SECRET_ENV + ", the secret the gateway verifies tokens with"
                    + " (at least 32 bytes). Claims: sub (user), did (device, when given), iat, exp."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the token was printed",
            "2:usage error, or " + DevTokens.SECRET_ENV + " missing or shorter than 32 bytes"},
        footer = {"", "Example:", "  export " + DevTokens.SECRET_ENV + "=...", "  frontier ctl token --user alice --device phone-1 --ttl 7d"})
final class TokenCommand implements Callable<Integer> {
    @ParentCommand
    private FrontierCtl ctl;

    @Spec
    private CommandSpec spec;

    @Option(names = "--user", required = true, paramLabel = "USER", description = "The user id (claim sub).")
    private String user;

    @Option(names = "--device", paramLabel = "DEVICE",
            description = "Binds the token to this device id (claim did); without it the token serves any device.")
    private String device;

    @Option(names = "--ttl", paramLabel = "TTL", defaultValue = "1h", converter = Durations.Ttl.class,
            description = "How long the token is valid: 30s, 15m, 1h, 7d; at most 30d (default: ${DEFAULT-VALUE}).")
    private Duration ttl;

    @Override
    public Integer call() {
        String secret = ctl.env().get(DevTokens.SECRET_ENV);
        if (secret == null || secret.isBlank()) {
            spec.commandLine().getErr().println(
                    DevTokens.SECRET_ENV + " is not set: export the secret the gateway uses");
            return FrontierCtl.USAGE;
        }
        int secretBytes = secret.getBytes(StandardCharsets.UTF_8).length;
        if (secretBytes < DevTokens.MIN_SECRET_BYTES) {
            // Only the length: a secret does not belong in a terminal's scrollback.
            spec.commandLine().getErr().println(DevTokens.SECRET_ENV + ": " + secretBytes + " bytes (expected: at least "
                    + DevTokens.MIN_SECRET_BYTES + ", the HS256 key size)");
            return FrontierCtl.USAGE;
        }
        try {
            spec.commandLine().getOut().println(DevTokens.mint(secret, user, device, ttl, ctl.clock()));
            return FrontierCtl.OK;
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return FrontierCtl.USAGE;
        }
    }
}
