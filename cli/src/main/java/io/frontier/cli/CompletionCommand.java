package io.frontier.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ctl completion}: a bash (and zsh) completion script for {@code frontier ctl}. */
@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        description = {
            "Prints a bash completion script for 'frontier ctl' (zsh loads it too, after 'autoload bashcompinit;"
                    + " bashcompinit'). With frontier on the PATH:",
            "  source <(frontier ctl completion)"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the script was printed"})
final class CompletionCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        // The script completes 'frontier ctl ...': ctl is a subcommand of the frontier executable.
        CommandLine ctl = new CommandLine(FrontierCtl.create(((FrontierCtl) spec.root().userObject()).env()));
        CommandLine frontier = new CommandLine(CommandSpec.create().name("frontier"));
        frontier.addSubcommand("ctl", ctl);
        spec.commandLine().getOut().print(AutoComplete.bash("frontier", frontier));
        spec.commandLine().getOut().flush();
        return FrontierCtl.OK;
    }
}
