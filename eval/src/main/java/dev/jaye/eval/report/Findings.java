// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.report;

import dev.jaye.eval.metrics.SampleStats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.NavigableMap;

/**
 * The three findings of the method (docs/method.md, "The findings to re-test"), each stated as
 * the numbers that test it. Nothing here judges significance: with three seeds that would claim
 * more than the data holds. Where an input is missing the finding says "not enough data" and why.
 */
public final class Findings {
    private Findings() {}

    /** A finding: a one-line statement, then the numbers it rests on. */
    public record Finding(String title, String statement, List<String> details) {}

    public static List<Finding> of(Experiment e, List<EvalTable.Row> rows) {
        return List.of(lengthSpread(e), reflectionVsLength(e), outOfDistribution(rows));
    }

    /** (1) How far the seeds' final response lengths lie apart. */
    static Finding lengthSpread(Experiment e) {
        String title = "1. Response length across seeds";
        List<String> details = new ArrayList<>();
        List<Double> finals = new ArrayList<>();
        for (Run r : e.rl()) {
            NavigableMap<Double, Double> s = r.stepSeries("mean_response_length");
            if (s.isEmpty()) continue;
            finals.add(s.lastEntry().getValue());
            details.add(String.format(Locale.ROOT, "%s: %.2f tokens at generation step %.0f", r.name(), s.lastEntry().getValue(), s.lastKey()));
        }
        if (finals.size() < 2)
            return new Finding(title, "Not enough data: the spread across seeds needs at least 2 RL runs with a logged "
                    + "mean_response_length, found " + finals.size() + ".", details);
        double[] v = finals.stream().mapToDouble(Double::doubleValue).toArray();
        double mean = SampleStats.mean(v), std = SampleStats.std(v), lo = min(v), hi = max(v);
        return new Finding(title, String.format(Locale.ROOT,
                "Final mean response length over %d RL seeds: mean %.2f, std %.2f (sample, n−1), range %.2f to %.2f "
                        + "(a spread of %.2f tokens, %.1f%% of the mean).", v.length, mean, std, lo, hi, hi - lo,
                100 * (hi - lo) / mean), details);
    }

    /** (2) Pearson r of reflection_ratio against mean_response_length, over every RL step of every seed. */
    static Finding reflectionVsLength(Experiment e) {
        String title = "2. Reflection and response length";
        List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
        List<String> details = new ArrayList<>();
        for (Run r : e.rl()) {
            double[][] pairs = pairs(r);
            for (int i = 0; i < pairs[0].length; i++) {
                xs.add(pairs[0][i]);
                ys.add(pairs[1][i]);
            }
            Pearson.Result one = Pearson.of(pairs[0], pairs[1]);
            details.add(String.format(Locale.ROOT, "%s: r = %s over %d steps", r.name(), one.defined() ? fmt(one.r()) : "undefined", one.n()));
        }
        Pearson.Result all = Pearson.of(xs.stream().mapToDouble(Double::doubleValue).toArray(),
                ys.stream().mapToDouble(Double::doubleValue).toArray());
        if (!all.defined())
            return new Finding(title, "Not enough data: a correlation needs at least 3 RL generation steps where both "
                    + "reflection_ratio and mean_response_length are defined and vary; found " + all.n() + " steps"
                    + (all.n() >= 3 ? " with a constant variable." : "."), details);
        return new Finding(title, String.format(Locale.ROOT,
                "Pearson r between reflection_ratio and mean_response_length over generation steps: %s, from %d points (%s).",
                fmt(all.r()), all.n(), e.rl().size() == 1 ? "one RL seed"
                        : e.rl().size() + " RL seeds pooled, so differences between seeds count too; per seed below"), details);
    }

    /** Each step's (reflection_ratio, mean_response_length), at the steps where both are defined. */
    private static double[][] pairs(Run r) {
        NavigableMap<Double, Double> refl = r.stepSeries("reflection_ratio"), len = r.stepSeries("mean_response_length");
        double[] x = refl.keySet().stream().filter(len::containsKey).mapToDouble(refl::get).toArray();
        double[] y = refl.keySet().stream().filter(len::containsKey).mapToDouble(len::get).toArray();
        return new double[][]{x, y};
    }

    /**
     * (3) On test_ood, each arm against the starting model and RL against SFT, per setting: the
     * rows of the accuracy table ({@link EvalTable}), so this says what the table says, in its units.
     */
    static Finding outOfDistribution(List<EvalTable.Row> table) {
        String title = "3. Out-of-distribution test (test_ood): RL, SFT and vanilla";
        List<EvalTable.Row> rows = table.stream().filter(r -> r.key().split().equals("test_ood")).toList();
        if (rows.isEmpty()) return new Finding(title, "Not enough data: nothing was evaluated on test_ood.", List.of());
        List<String> details = new ArrayList<>();
        int complete = 0, sftBelow = 0, rlBelow = 0, rlAhead = 0;
        for (EvalTable.Row r : rows) {
            String line = r.key().setting() + ": vanilla " + EvalTable.pct(r.vanilla(), r.vanillaSe()) + ", SFT " + arm(r.sft())
                    + ", RL " + arm(r.rl());
            if (Double.isNaN(r.vanilla()) || r.sft().seeds() == 0 || r.rl().seeds() == 0) {
                details.add(line + ": not enough data (" + missing(r) + ").");
                continue;
            }
            complete++;
            if (r.sftGain().z() < -1) sftBelow++;
            if (r.rlGain().z() < -1) rlBelow++;
            EvalTable.Diff rlSft = r.rlMinusSft();
            if (rlSft.z() >= 2) rlAhead++;
            details.add(line + "; SFT - vanilla " + diff(r.sftGain()) + ", RL - vanilla " + diff(r.rlGain()) + ", RL - SFT " + diff(rlSft) + ".");
        }
        if (complete == 0)
            return new Finding(title, "Not enough data: test_ood needs the vanilla model and both arms evaluated after training.", details);
        return new Finding(title, String.format(Locale.ROOT,
                "On test_ood, by the accuracy table's means (over the evaluated epochs, then the seeds), in %d setting%s: "
                        + "SFT fell more than 1 SE below vanilla in %d, RL in %d; RL was ahead of SFT by 2 SE or more in %d "
                        + "(the paper's finding 3 is RL ahead of SFT out of distribution, and SFT below vanilla while RL is not).",
                complete, complete == 1 ? "" : "s", sftBelow, rlBelow, rlAhead), details);
    }

    private static String arm(EvalTable.Summary s) {
        return s.seeds() == 0 ? "n/a" : EvalTable.pct(s.mean(), s.meanSe()) + " (" + s.seeds() + (s.seeds() == 1 ? " seed)" : " seeds)");
    }

    /** "+2.1 ± 0.5 pts (4.2 SE, paired)", or without the SE when it is unknown. */
    private static String diff(EvalTable.Diff d) {
        if (Double.isNaN(d.se())) return EvalTable.points(d.value(), Double.NaN)
                + " pts (no SE: the evaluations did not log right_per_question on the same questions)";
        return EvalTable.points(d.value(), d.se()) + String.format(Locale.ROOT, " pts (%.1f SE, %s)", d.z(), d.paired() ? "paired" : "unpaired");
    }

    private static String missing(EvalTable.Row r) {
        List<String> m = new ArrayList<>();
        if (Double.isNaN(r.vanilla())) m.add("no vanilla evaluation");
        if (r.sft().seeds() == 0) m.add("no SFT evaluation after training");
        if (r.rl().seeds() == 0) m.add("no RL evaluation after training");
        return String.join(", ", m);
    }

    /** The findings as Markdown: a heading, the statement, the numbers as a list. */
    public static String markdown(List<Finding> findings) {
        StringBuilder b = new StringBuilder("# Findings\n");
        for (Finding f : findings) {
            b.append("\n## ").append(f.title()).append("\n\n").append(f.statement()).append('\n');
            if (!f.details().isEmpty()) b.append('\n');
            for (String d : f.details()) b.append("- ").append(d).append('\n');
        }
        return b.toString();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }
}
