// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import dev.jaye.models.io.AtomicFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code jaye cli-reference}: docs/cli.md, every command's --help on one page, drawn by picocli
 * from the same annotations as --help itself, so the page cannot say something the commands do
 * not. CliReferenceTest fails when docs/cli.md is not what this prints. Hidden from the command
 * list: it is for whoever changes a command, not for a user.
 */
@Command(name = "cli-reference", hidden = true, mixinStandardHelpOptions = true,
        description = "Write the command-line reference (every command's --help, as Markdown) to stdout or --out.")
final class CliReferenceCommand implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "FILE", description = "Write here (atomically) instead of stdout, e.g. docs/cli.md.")
    Path out;

    @Override
    public Integer call() throws IOException {
        String md = markdown();
        if (out == null) System.out.print(md);
        else AtomicFiles.writeString(out, md);
        return 0;
    }

    /** The page: a contents list, then one section per command in the order {@code jaye --help} lists them. */
    static String markdown() {
        List<CommandLine> commands = new ArrayList<>();
        collect(Main.commandLine(), commands);
        StringBuilder md = new StringBuilder();
        md.append("# Command-line reference\n\n")
          .append("Every `jaye` command's `--help`, as the command prints it. This page is generated: after changing a\n")
          .append("command, run `./jaye cli-reference --out docs/cli.md` (a test fails while the page is out of date).\n")
          .append("`./jaye test` is the launcher's own command: it runs Maven's tests (`./jaye test --help`).\n\n");
        for (CommandLine cl : commands) {
            String name = cl.getCommandSpec().qualifiedName(" ");
            md.append("- [").append(name).append("](#").append(name.replace(' ', '-')).append(")\n");
        }
        for (CommandLine cl : commands) {
            String name = cl.getCommandSpec().qualifiedName(" ");
            md.append("\n## ").append(name).append("\n\n```\n")
              .append(cl.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing()).append("\n```\n");
        }
        return md.toString();
    }

    private static void collect(CommandLine cl, List<CommandLine> out) {
        if (cl.getCommandSpec().usageMessage().hidden() || cl.getCommand() instanceof CommandLine.HelpCommand) return;
        out.add(cl);
        for (CommandLine sub : cl.getSubcommands().values()) if (sub.getParent() == cl) collect(sub, out);
    }
}
