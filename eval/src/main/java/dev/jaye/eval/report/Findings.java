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

    public static List<Finding> of(Experiment e) {
        return List.of(lengthSpread(e), reflectionVsLength(e), outOfDistribution(e));
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

    /** (3) On test_ood, each arm's final accuracy against the starting model's, per setting. */
    static Finding outOfDistribution(Experiment e) {
        String title = "3. Out-of-distribution test (test_ood): RL, SFT and vanilla";
        List<Experiment.EvalKey> keys = e.evalKeys().stream().filter(k -> k.split().equals("test_ood")).toList();
        if (keys.isEmpty()) return new Finding(title, "Not enough data: nothing was evaluated on test_ood.", List.of());
        List<String> details = new ArrayList<>();
        int complete = 0, sftBelow = 0, rlBelow = 0;
        List<EvalTable.Row> table = EvalTable.rows(e);
        for (Experiment.EvalKey k : keys) {
            double vanilla = e.vanillaAccuracy(k);
            double[] sft = finals(e.sft(), k), rl = finals(e.rl(), k);
            String line = k.setting() + ": vanilla " + EvalTable.format(vanilla) + ", SFT " + describe(sft) + ", RL " + describe(rl);
            if (Double.isNaN(vanilla) || sft.length == 0 || rl.length == 0) {
                details.add(line + ": not enough data (" + missing(vanilla, sft, rl) + ").");
                continue;
            }
            complete++;
            boolean s = SampleStats.mean(sft) < vanilla, r = SampleStats.mean(rl) < vanilla;
            if (s) sftBelow++;
            if (r) rlBelow++;
            details.add(line + String.format(Locale.ROOT, ". SFT %s vanilla (%+.4f), RL %s vanilla (%+.4f).",
                    s ? "fell below" : "did not fall below", SampleStats.mean(sft) - vanilla,
                    r ? "fell below" : "did not fall below", SampleStats.mean(rl) - vanilla));
            EvalTable.Row row = table.stream().filter(t -> t.key().equals(k)).findFirst().orElseThrow();
            if (!Double.isNaN(row.difference()))
                details.add(k.setting() + ": RL − SFT, the table's means over the evaluated epochs: " + String.format(Locale.ROOT, "%+.4f", row.difference())
                        + (Double.isNaN(row.differenceSe()) ? " (no paired SE: the evaluations did not log right_per_question on the same questions)"
                        : String.format(Locale.ROOT, " ± %.4f (paired per-question SE), %.1f SE", row.differenceSe(), row.difference() / row.differenceSe())) + ".");
        }
        if (complete == 0)
            return new Finding(title, "Not enough data: test_ood needs the vanilla model and both arms evaluated after training.", details);
        return new Finding(title, String.format(Locale.ROOT,
                "Final accuracy on test_ood (each seed's last evaluated epoch, averaged over seeds), in %d setting%s: "
                        + "SFT fell below vanilla in %d, RL fell below vanilla in %d.",
                complete, complete == 1 ? "" : "s", sftBelow, rlBelow), details);
    }

    /** Each seed's accuracy at its last evaluated epoch after the start. */
    private static double[] finals(List<Run> runs, Experiment.EvalKey k) {
        return runs.stream().map(r -> r.evalSeries(k.split(), k.setting()).tailMap(0.0, false))
                .filter(s -> !s.isEmpty()).mapToDouble(s -> s.lastEntry().getValue()).toArray();
    }

    private static String describe(double[] v) {
        if (v.length == 0) return "n/a";
        if (v.length == 1) return fmt(v[0]) + " (1 seed)";
        return String.format(Locale.ROOT, "%s ± %s (%d seeds)", fmt(SampleStats.mean(v)), fmt(SampleStats.std(v)), v.length);
    }

    private static String missing(double vanilla, double[] sft, double[] rl) {
        List<String> m = new ArrayList<>();
        if (Double.isNaN(vanilla)) m.add("no vanilla evaluation");
        if (sft.length == 0) m.add("no SFT evaluation after training");
        if (rl.length == 0) m.add("no RL evaluation after training");
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
