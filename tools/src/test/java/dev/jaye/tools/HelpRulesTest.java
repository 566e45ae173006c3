// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command's --help follows the same rules: a placeholder says what it holds (DIR, FILE, N,
 * never a Java field name like {@code <maxTokens>}), a default is shown once and the same way
 * ("Default: X"), there is an Examples section, and nothing points outside the repository.
 */
class HelpRulesTest {
    private static List<CommandLine> all(CommandLine cl) {
        List<CommandLine> out = new ArrayList<>(List.of(cl));
        for (CommandLine sub : cl.getSubcommands().values())
            if (sub.getParent() == cl && !(sub.getCommand() instanceof CommandLine.HelpCommand)) out.addAll(all(sub));
        return out;
    }

    @Test
    void everyCommandsHelpFollowsTheRules() {
        List<CommandLine> commands = all(Main.commandLine());
        assertTrue(commands.size() >= 20, "walked " + commands.size() + " commands");
        List<String> broken = new ArrayList<>();
        for (CommandLine cl : commands) {
            String name = cl.getCommandSpec().qualifiedName(" ");
            java.io.PrintStream err = System.err;
            java.io.ByteArrayOutputStream warned = new java.io.ByteArrayOutputStream();
            System.setErr(new java.io.PrintStream(warned, true));
            String help;
            try {
                help = cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
            } finally {
                System.setErr(err);
            }
            if (warned.size() > 0) broken.add(name + ": picocli warned while drawing the help: " + warned);   // e.g. an unescaped '%' 
            if (!help.contains("\nExamples:\n")) broken.add(name + ": no Examples section");
            if (help.contains("../shared")) broken.add(name + ": points to ../shared");
            if (help.matches("(?s).*\\(default:? .*")) broken.add(name + ": a hand-written '(default ...)' beside picocli's 'Default:'");
            if (help.contains("Default: []")) broken.add(name + ": an empty list shown as a default");
            java.util.Set<String> shown = new java.util.HashSet<>(List.of(help.split("\\s+")));
            for (String word : wordsWritten(cl.getCommandSpec()))
                if (!shown.contains(word)) broken.add(name + ": '" + word + "' is broken across lines or lost");
            for (CommandLine.Model.OptionSpec o : cl.getCommandSpec().options()) {
                if (o.arity().max() == 0) continue;                       // a flag takes no value
                String label = o.paramLabel();
                if (!label.matches("[A-Z][A-Z0-9_.:=]*(\\[,[A-Z]+\\.\\.\\.])?|[A-Z][A-Z_]*\\.jsonl"))
                    broken.add(name + " " + o.longestName() + ": placeholder '" + label + "' does not say what it holds");
            }
        }
        assertEquals(List.of(), broken);
    }

    /**
     * The words of a command's own texts (its description, footer, options' and subcommands'
     * descriptions) as the help should show them: each must appear whole in the help, so a
     * wrapped line never splits "pass@1_t0.01" into "pass@1_t0." and "01".
     */
    private static List<String> wordsWritten(CommandLine.Model.CommandSpec spec) {
        List<String> texts = new ArrayList<>();
        texts.addAll(List.of(spec.usageMessage().description()));
        texts.addAll(List.of(spec.usageMessage().footer()));
        for (CommandLine.Model.OptionSpec o : spec.options()) texts.addAll(List.of(o.description()));
        for (CommandLine.Model.PositionalParamSpec p : spec.positionalParameters()) texts.addAll(List.of(p.description()));
        for (CommandLine sub : spec.subcommands().values()) {             // the command list shows a header, else the first line
            CommandLine.Model.UsageMessageSpec u = sub.getCommandSpec().usageMessage();
            if (u.hidden()) continue;
            String[] first = u.header().length > 0 ? u.header() : u.description();
            if (first.length > 0) texts.add(first[0]);
        }
        List<String> words = new ArrayList<>();
        for (String text : texts)
            for (String w : text.replace("%%", "%").replace("%n", " ").split("\\s+"))
                if (!w.isEmpty() && !w.contains("${") && !w.contains("@|")) words.add(w);
        return words;
    }

    @Test
    void aWrappedLineNeverSplitsAWord() {
        assertEquals(List.of("a", "pass@1_t0.01,", "pass@1_t0.6"),
                HelpText.SpaceWrappedTable.wrapAtSpaces("a pass@1_t0.01, pass@1_t0.6", 5, 13));
        String usage = Main.commandLine().getSubcommands().get("eval").getUsageMessage(CommandLine.Help.Ansi.OFF);
        assertTrue(usage.contains("pass@1_t0.01,"), usage);
    }

    @Test
    void sftAndRlNeedConfigOrResumeAndSaySo() {
        for (String cmd : new String[]{"sft", "rl"}) {
            Cli.Run none = Cli.run(cmd);
            assertEquals(2, none.code(), none.err());
            assertTrue(none.err().contains("--config") && none.err().contains("--resume"), none.err());
            String usage = Main.commandLine().getSubcommands().get(cmd).getUsageMessage(CommandLine.Help.Ansi.OFF);
            assertTrue(usage.replaceAll("\\s+", " ").contains("(--config=FILE | --resume=RUN_DIR)"), usage);
        }
    }

    @Test
    void theTopLevelHelpMentionsTheTestCommand() {
        assertTrue(Main.commandLine().getUsageMessage(CommandLine.Help.Ansi.OFF).contains("./jaye test"));
    }
}
