// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools.experiment;

import dev.jaye.eval.report.MetricsFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The experiment's bottom line: each model's accuracy at the end of training on one split and
 * setting, with its standard error, and whether RL beat the starting model by two of them.
 *
 * <p>A run's standard error is the evaluator's {@code accuracy_se} (over questions). Over S
 * seeds, the arm's mean has the larger of two: the evaluation noise sqrt(Σ se²) / S, and the
 * spread across seeds sd / sqrt(S) (which needs S ≥ 2). The gain's standard error adds the
 * vanilla model's in quadrature: the two are independent evaluations (different draws), so
 * this is conservative against a paired comparison.
 */
public final class Summary {
    private Summary() {}

    /** Accuracy and its standard error; {@code runs} = seeds averaged (0 when missing). */
    public record Estimate(double accuracy, double se, int runs) {}

    public record Line(String split, String setting, Estimate vanilla, Estimate sft, Estimate rl) {
        /** RL's gain over vanilla in standard errors of the difference. */
        public double gainInSe() {
            return (rl.accuracy() - vanilla.accuracy()) / Math.hypot(rl.se(), vanilla.se());
        }
    }

    public static Line of(Path experiment, String split, String setting) throws IOException {
        double[] v = last(experiment.resolve("vanilla/eval.jsonl"), split, setting);
        Estimate vanilla = mean(v == null ? List.of() : List.<double[]>of(v));
        return new Line(split, setting, vanilla, arm(experiment.resolve("sft"), split, setting), arm(experiment.resolve("rl"), split, setting));
    }

    /** The table printed at the end of an experiment or the quickstart. */
    public static String table(List<Line> lines) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-8s %-16s %16s %16s %16s %14s%n",
                "split", "setting", "vanilla", "SFT", "RL", "RL - vanilla"));
        for (Line l : lines)
            sb.append(String.format(Locale.ROOT, "%-8s %-16s %16s %16s %16s %+8.1f pts (%.1f SE)%n", l.split(), l.setting(),
                    cell(l.vanilla()), cell(l.sft()), cell(l.rl()), 100 * (l.rl().accuracy() - l.vanilla().accuracy()), l.gainInSe()));
        return sb.toString();
    }

    private static String cell(Estimate e) {
        return e.runs() == 0 ? "-" : String.format(Locale.ROOT, "%.1f%% ± %.1f", 100 * e.accuracy(), 100 * e.se());
    }

    private static Estimate arm(Path dir, String split, String setting) throws IOException {
        List<double[]> runs = new ArrayList<>();
        if (Files.isDirectory(dir))
            try (var seeds = Files.list(dir)) {
                for (Path s : seeds.sorted().toList()) {
                    double[] r = last(s.resolve("metrics.jsonl"), split, setting);
                    if (r != null) runs.add(r);
                }
            }
        return mean(runs);
    }

    private static Estimate mean(List<double[]> runs) {
        int S = runs.size();
        if (S == 0) return new Estimate(Double.NaN, Double.NaN, 0);
        double m = 0, se2 = 0;
        for (double[] r : runs) {
            m += r[0] / S;
            se2 += r[1] * r[1];
        }
        double evalSe = Math.sqrt(se2) / S, seedSe = 0;
        if (S > 1) {
            double ss = 0;
            for (double[] r : runs) ss += (r[0] - m) * (r[0] - m);
            seedSe = Math.sqrt(ss / (S - 1)) / Math.sqrt(S);
        }
        return new Estimate(m, Math.max(evalSe, seedSe), S);
    }

    /** {accuracy, accuracy_se} of the last evaluation of split/setting in a metrics file, or null. */
    private static double[] last(Path metrics, String split, String setting) throws IOException {
        if (!Files.isRegularFile(metrics)) return null;
        double[] found = null;
        for (dev.jaye.eval.report.Line l : MetricsFile.read(metrics))   // the report's reader: a bad line names its file and number
            if (l.kind() == dev.jaye.eval.report.Line.Kind.EVAL && split.equals(l.str("split")) && setting.equals(l.str("setting")))
                found = new double[]{l.num("accuracy"), l.num("accuracy_se")};
        return found;
    }
}
