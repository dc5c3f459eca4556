package io.frontier.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The README's quickstart, run verbatim in the unpacked distribution: every {@code $ command} of its
 * console blocks is run by bash as written, and what the README shows after it must be what it prints,
 * up to what differs from run to run (connection ids, the secret, addresses and ports). The only help the
 * commands get is the environment, which moves every port to a free one ({@code FRONTIER_TCP_PORT},
 * {@code FRONTIER_TARGET}, ...), as a user with other servers on 9000, 7000 and 8080 would.
 */
class ReadmeQuickstartIT {
    private static final String SECTION = "## Quickstart";
    private static final Pattern VARIABLE = Pattern.compile(
            "(?<address>\\d{1,3}(?:\\.\\d{1,3}){3}:\\d+)|(?<port>:\\d{4,5}\\b)|(?<id>\\b[0-9a-f]{28}\\b)"
                    + "|(?<secret>(?<=FRONTIER_JWT_SECRET=)\\S+)|(?<space>\\s+)");
    private static final Pattern EXPORT = Pattern.compile("export (\\w+)=(\\S+)");

    private final List<OsProcess> background = new ArrayList<>();

    @AfterEach
    void stop() {
        background.forEach(OsProcess::close);
    }

    /** One {@code $ command} and the lines the README shows after it. */
    record Step(String command, List<String> expected) {
    }

    @Test
    void quickstart_runsAsWritten() throws IOException {
        List<List<Step>> blocks = consoleBlocks(section(Files.readString(
                Distribution.checkout().resolve("README.md"), StandardCharsets.UTF_8), SECTION));
        assertThat(blocks).as("console blocks of the README's quickstart").hasSizeGreaterThanOrEqualTo(4);

        int tcp = Ports.free();
        int grpc = Ports.free();
        Map<String, String> env = new HashMap<>(Map.of(
                "FRONTIER_TCP_HOST", "127.0.0.1", "FRONTIER_TCP_PORT", "" + tcp,
                "FRONTIER_WS_HOST", "127.0.0.1", "FRONTIER_WS_PORT", "" + Ports.free(),
                "FRONTIER_GRPC_PORT", "" + grpc,
                "FRONTIER_TARGET", "127.0.0.1:" + grpc, "FRONTIER_DEVICE_TARGET", "127.0.0.1:" + tcp));
        String printedSecret = null;
        OsProcess last = null;
        int ran = 0;
        for (List<Step> block : blocks) {
            for (Step step : block) {
                if (step.command() == null) {
                    // "and terminal 2 shows": more output of the last long-running command
                    for (String line : step.expected()) {
                        last.awaitOutput(pattern(line), Duration.ofSeconds(30));
                    }
                    continue;
                }
                Matcher export = EXPORT.matcher(step.command());
                if (export.matches()) {
                    // The README says to export the secret the gateway printed.
                    boolean secret = export.group(1).equals("FRONTIER_JWT_SECRET");
                    env.put(export.group(1), secret && printedSecret != null ? printedSecret : export.group(2));
                    continue;
                }
                ran++;
                if (step.command().startsWith("./frontier standalone") || step.command().startsWith("./frontier ctl device")) {
                    last = new OsProcess("readme-" + ran, List.of("bash", "-c", "exec " + step.command()),
                            Map.copyOf(env), Distribution.home()).start();
                    background.add(last);
                    for (String line : step.expected()) {
                        last.awaitOutput(pattern(line), Duration.ofSeconds(60));
                    }
                    Matcher secret = Pattern.compile("export FRONTIER_JWT_SECRET=(\\S+)").matcher(last.output());
                    if (secret.find()) {
                        printedSecret = secret.group(1);
                    }
                    continue;
                }
                Ctl.Result result = Ctl.exec(List.of("bash", "-c", step.command()), env);
                String shown = result.out() + result.err();
                for (String line : step.expected()) {
                    assertThat(shown).as("`%s` as the README shows it; it printed %s", step.command(), result)
                            .containsPattern(pattern(line));
                }
                int expectedExit = shown.contains("has no online device") ? 1 : 0;
                assertThat(result.exit()).as("`%s`: %s", step.command(), result).isEqualTo(expectedExit);
            }
        }
        assertThat(ran).as("commands run from the README").isGreaterThanOrEqualTo(4);
    }

    /** The text from the heading that starts with {@code heading} to the next heading of its level. */
    static String section(String readme, String heading) {
        int start = readme.indexOf("\n" + heading);
        assertThat(start).as("README has a section %s", heading).isNotNegative();
        int end = readme.indexOf("\n## ", start + heading.length() + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    /** The {@code console} blocks of {@code text}: each a list of steps. */
    static List<List<Step>> consoleBlocks(String text) {
        List<List<Step>> blocks = new ArrayList<>();
        Matcher block = Pattern.compile("(?s)```console\\n(.*?)```").matcher(text);
        while (block.find()) {
            List<Step> steps = new ArrayList<>();
            String command = null;
            List<String> expected = new ArrayList<>();
            for (String line : block.group(1).split("\n")) {
                if (line.startsWith("$ ")) {
                    if (command != null || !expected.isEmpty()) {
                        steps.add(new Step(command, expected));
                    }
                    command = line.substring(2).strip();
                    expected = new ArrayList<>();
                } else if (!line.isBlank() && !line.strip().equals("...")) {
                    expected.add(line);
                }
            }
            steps.add(new Step(command, expected));
            blocks.add(steps);
        }
        return blocks;
    }

    /** A regex for a line the README shows, with what differs per run made variable. */
    static String pattern(String line) {
        StringBuilder regex = new StringBuilder();
        Matcher m = VARIABLE.matcher(line.strip());
        int at = 0;
        while (m.find()) {
            regex.append(Pattern.quote(line.strip().substring(at, m.start())));
            if (m.group("address") != null) {
                regex.append("\\S+:\\d+");
            } else if (m.group("port") != null) {
                regex.append(":\\d+");
            } else if (m.group("id") != null) {
                regex.append("[0-9a-f]{28}");
            } else if (m.group("secret") != null) {
                regex.append("\\S+");
            } else {
                regex.append("\\s+");
            }
            at = m.end();
        }
        regex.append(Pattern.quote(line.strip().substring(at)));
        return regex.toString();
    }
}
