// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools.experiment;

import dev.jaye.eval.metrics.SampleStats;
import dev.jaye.eval.report.Experiment;
import dev.jaye.eval.report.Run;

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

    /** The line of one split and setting, from the experiment as the report loaded it (nothing is read again). */
    public static Line of(Experiment e, String split, String setting) {
        double[] v = last(e.vanilla(), split, setting);
        return new Line(split, setting, mean(v == null ? List.of() : List.<double[]>of(v)),
                arm(e.sft(), split, setting), arm(e.rl(), split, setting));
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

    private static Estimate arm(List<Run> seeds, String split, String setting) {
        List<double[]> runs = new ArrayList<>();
        for (Run r : seeds) {
            double[] last = last(r.evals(), split, setting);
            if (last != null) runs.add(last);
        }
        return mean(runs);
    }

    private static Estimate mean(List<double[]> runs) {
        int S = runs.size();
        if (S == 0) return new Estimate(Double.NaN, Double.NaN, 0);
        double[] acc = new double[S];
        double se2 = 0;
        for (int i = 0; i < S; i++) {
            acc[i] = runs.get(i)[0];
            se2 += runs.get(i)[1] * runs.get(i)[1];
        }
        double evalSe = Math.sqrt(se2) / S, seedSe = S > 1 ? SampleStats.std(acc) / Math.sqrt(S) : 0;
        return new Estimate(SampleStats.mean(acc), Math.max(evalSe, seedSe), S);
    }

    /** {accuracy, accuracy_se} of the last evaluation of split/setting among a run's evaluation lines, or null. */
    private static double[] last(List<dev.jaye.eval.report.Line> evals, String split, String setting) {
        var found = Run.evalLines(evals, split, setting);
        if (found.isEmpty()) return null;
        var l = found.get(found.size() - 1);
        return new double[]{l.num("accuracy"), l.num("accuracy_se")};
    }
}
