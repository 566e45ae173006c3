// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What every command's --help has in common, set in one place so the commands cannot drift apart:
 * each option's default shown the same way ("Default: X", by picocli), and an Examples section.
 * HelpRulesTest walks every command and checks these rules and the placeholders.
 */
final class HelpText {
    private HelpText() {}

    /** Examples per command, keyed by the command's name after "jaye". */
    static final Map<String, String[]> EXAMPLES = Map.ofEntries(
            Map.entry("", new String[]{"./jaye quickstart", "./jaye data generate --out runs/data --families count_total", "./jaye COMMAND --help"}),
            Map.entry("quickstart", new String[]{"./jaye quickstart", "./jaye quickstart --seeds 3 --out runs/qs3"}),
            Map.entry("data", new String[]{"./jaye data generate --out runs/data", "./jaye data show runs/data --split val"}),
            Map.entry("data generate", new String[]{"./jaye data generate --out runs/data-ct --families count_total --train 4096 --val 1024 --seed 1",
                    "./jaye data generate --out runs/mix --layout free"}),
            Map.entry("data show", new String[]{"./jaye data show runs/data", "./jaye data show runs/data --split test_ood --n 32 --out ood.png"}),
            Map.entry("init", new String[]{"./jaye init --preset nano --out runs/nano-random", "./jaye init --preset tiny --out runs/tiny --corpus corpus.txt"}),
            Map.entry("info", new String[]{"./jaye info", "./jaye info --checkpoint runs/quickstart/warmup/model"}),
            Map.entry("generate", new String[]{"./jaye generate --checkpoint runs/quickstart/experiment/rl/seed-0/model --image shapes.png --prompt \"How many shapes are there?\"",
                    "./jaye generate --checkpoint DIR --image x.png --prompt \"How many?\" --temperature 0.6 --seed 3 --json"}),
            Map.entry("sft", new String[]{"./jaye sft --config configs/sft-nano.yaml --set data.dir=runs/data --set out=runs/sft-nano",
                    "./jaye sft --resume runs/sft-nano"}),
            Map.entry("rl", new String[]{"./jaye rl --config configs/rl-nano.yaml --init runs/sft-nano/model", "./jaye rl --resume runs/rl-nano --serve"}),
            Map.entry("experiment", new String[]{"./jaye experiment --config configs/experiment-nano.yaml", "./jaye experiment --config configs/experiment-nano.yaml --seeds 1"}),
            Map.entry("report", new String[]{"./jaye report runs/quickstart/experiment", "./jaye report runs/rl-nano"}),
            Map.entry("serve", new String[]{"./jaye serve", "./jaye serve runs/quickstart/experiment --port 8200",
                    "./jaye rl --config configs/rl-nano.yaml --serve    (the page inside a training run)"}),
            Map.entry("eval", new String[]{"./jaye eval --checkpoint runs/sft-nano/model --data runs/data --split val",
                    "./jaye eval --checkpoint DIR --data runs/data --settings pass@1_t0.6_n4 --limit 256 --json",
                    "./jaye eval --experiment runs/exp-vision-nano --data runs/data-vision-comp --split test_ood --out runs/exp-vision-nano-comp"}),
            Map.entry("gradcheck", new String[]{"./jaye gradcheck", "./jaye gradcheck --op attention --tries 50"}),
            Map.entry("bench", new String[]{"./jaye bench rlstep", "./jaye bench matmul --quick --threads 2"}),
            Map.entry("bench peak", new String[]{"./jaye bench peak", "./jaye bench peak --json"}),
            Map.entry("bench matmul", new String[]{"./jaye bench matmul --only \"square 1024\"", "JAYE_JAVA_OPTS=-XX:UseAVX=2 ./jaye bench matmul --quick"}),
            Map.entry("bench train", new String[]{"./jaye bench train", "./jaye bench train --device opencl --steps 3"}),
            Map.entry("bench generate", new String[]{"./jaye bench generate", "./jaye bench generate --json --threads 2"}),
            Map.entry("bench logprobs", new String[]{"./jaye bench logprobs", "./jaye bench logprobs --json"}),
            Map.entry("bench rlstep", new String[]{"./jaye bench rlstep", "./jaye bench rlstep --json --threads 1,2 --steps 8"}),
            Map.entry("cli-reference", new String[]{"./jaye cli-reference --out docs/cli.md"}),
            Map.entry("bench sftstep", new String[]{"./jaye bench sftstep", "./jaye bench sftstep --json"}));

    /** Applies the shared rules to {@code cl} and every subcommand below it. */
    static void apply(CommandLine cl) {
        CommandLine.Model.CommandSpec spec = cl.getCommandSpec();
        String path = spec.qualifiedName(" ").replaceFirst("^jaye ?", "");
        spec.usageMessage().showDefaultValues(true).width(100).autoWidth(false);
        cl.setHelpFactory(WordWrappingHelp::new);
        String[] examples = EXAMPLES.get(path);
        if (examples != null) {
            String[] old = spec.usageMessage().footer();
            String[] footer = new String[old.length + examples.length + 2];
            System.arraycopy(old, 0, footer, 0, old.length);
            footer[old.length] = "";
            footer[old.length + 1] = "Examples:";
            for (int i = 0; i < examples.length; i++) footer[old.length + 2 + i] = "  " + examples[i];
            spec.usageMessage().footer(footer);
        }
        for (CommandLine sub : cl.getSubcommands().values()) if (sub.getParent() == cl) apply(sub);
    }

    /**
     * picocli wraps a long description with Java's line BreakIterator, which also breaks after a
     * '.' inside a word: "pass@1_t0.01" came out as "pass@1_t0." and "01" on the next line, and
     * "algorithm.estimator" as two lines. This Help lays options and command lists out in a
     * table that wraps at spaces only, so a value the user may copy (a key, a setting, a path)
     * stays whole. HelpRulesTest checks that every word of every description survives.
     */
    static final class WordWrappingHelp extends CommandLine.Help {
        WordWrappingHelp(CommandLine.Model.CommandSpec spec, ColorScheme scheme) {
            super(spec, scheme);
        }

        @Override
        public Layout createDefaultLayout(List<CommandLine.Model.OptionSpec> options,
                                          List<CommandLine.Model.PositionalParamSpec> positionals, ColorScheme scheme) {
            Layout layout = super.createDefaultLayout(options, positionals, scheme);
            return new Layout(scheme, SpaceWrappedTable.like(layout.textTable(), scheme), layout.optionRenderer(), layout.parameterRenderer());
        }

        @Override
        public TextTable createTextTable(Map<?, ?> map) {
            return SpaceWrappedTable.like(super.createTextTable(map), colorScheme());
        }
    }

    /** A picocli TextTable whose cells wrap at spaces; a word longer than the column still overflows as picocli does. */
    static final class SpaceWrappedTable extends CommandLine.Help.TextTable {
        private final CommandLine.Help.ColorScheme scheme;

        private SpaceWrappedTable(CommandLine.Help.ColorScheme scheme, CommandLine.Help.Column[] columns) {
            super(scheme, columns);
            this.scheme = scheme;
        }

        static SpaceWrappedTable like(CommandLine.Help.TextTable model, CommandLine.Help.ColorScheme scheme) {
            SpaceWrappedTable t = new SpaceWrappedTable(scheme, model.columns());
            t.indentWrappedLines = model.indentWrappedLines;
            t.setAdjustLineBreaksForWideCJKCharacters(model.isAdjustLineBreaksForWideCJKCharacters());
            return t;
        }

        @Override
        public Cell putValue(int row, int col, CommandLine.Help.Ansi.Text value) {
            CommandLine.Help.Column column = columns()[col];
            String plain = value.plainString();
            int width = column.width - column.indent;
            if (column.overflow != CommandLine.Help.Column.Overflow.WRAP || plain.length() <= width
                    || plain.contains("\n") || !plain.equals(value.toString())) return super.putValue(row, col, value);
            List<String> lines = wrapAtSpaces(plain, width, width - indentWrappedLines);
            Cell last = null;
            for (int i = 0; i < lines.size(); i++) {
                while (rowCount() <= row + i) addEmptyRow();
                String line = (i == 0 ? "" : " ".repeat(indentWrappedLines)) + lines.get(i);
                last = super.putValue(row + i, col, scheme.text(line));
            }
            return last;
        }

        /** Greedy wrapping at spaces: the first line has {@code first} columns, the others {@code rest}. */
        static List<String> wrapAtSpaces(String text, int first, int rest) {
            List<String> lines = new ArrayList<>();
            StringBuilder line = new StringBuilder();
            for (String word : text.trim().split(" +")) {
                int room = lines.isEmpty() ? first : rest;
                if (!line.isEmpty() && line.length() + 1 + word.length() > room) {
                    lines.add(line.toString());
                    line.setLength(0);
                }
                if (!line.isEmpty()) line.append(' ');
                line.append(word);
            }
            lines.add(line.toString());
            return lines;
        }
    }
}
