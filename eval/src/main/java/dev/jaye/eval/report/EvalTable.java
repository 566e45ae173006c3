// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.report;

import dev.jaye.eval.metrics.SampleStats;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.NavigableMap;

/**
 * The method's results table: per split and generation setting, the vanilla model next to the
 * mean and the maximum accuracy of each arm.
 *
 * <p>The rule, per arm: for each seed, the mean and the maximum of its accuracy over the epochs it
 * was evaluated at, leaving out epoch 0 (the starting model, which is the vanilla column, not
 * something the arm learned); then each is averaged over the seeds. The maximum is a best
 * checkpoint picked with knowledge of the test set, so it is an upper bound; the mean is the
 * honest number.
 */
public final class EvalTable {
    private EvalTable() {}

    /** An arm's summary on one split and setting; NaN (and 0 seeds) when it has no evaluations there. */
    public record Summary(double mean, double max, int seeds) {}

    public record Row(Experiment.EvalKey key, double vanilla, Summary sft, Summary rl) {}

    public static List<Row> rows(Experiment e) {
        List<Row> rows = new ArrayList<>();
        for (Experiment.EvalKey k : e.evalKeys())
            rows.add(new Row(k, e.vanillaAccuracy(k), summarise(e.sft(), k), summarise(e.rl(), k)));
        return rows;
    }

    /** The table rule above, for one arm's runs. */
    public static Summary summarise(List<Run> runs, Experiment.EvalKey key) {
        List<Double> means = new ArrayList<>(), maxes = new ArrayList<>();
        for (Run r : runs) {
            NavigableMap<Double, Double> trained = r.evalSeries(key.split(), key.setting()).tailMap(0.0, false);
            if (trained.isEmpty()) continue;                   // this seed never got past its start here
            means.add(SampleStats.mean(unbox(trained.values())));
            maxes.add(trained.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow());
        }
        return new Summary(SampleStats.mean(unbox(means)), SampleStats.mean(unbox(maxes)), means.size());
    }

    private static double[] unbox(Collection<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** A Markdown table, accuracies to four decimals, "n/a" where an arm or the vanilla model has no number. */
    public static String markdown(List<Row> rows) {
        StringBuilder b = new StringBuilder("| split | setting | vanilla | SFT mean | RL mean | SFT max | RL max |\n");
        b.append("| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (Row r : rows)
            b.append("| ").append(r.key().split()).append(" | ").append(r.key().setting()).append(" | ")
                    .append(String.join(" | ", cells(r))).append(" |\n");
        return b.toString();
    }

    /** The same numbers as CSV, six decimals, an empty field where there is none, with the seed counts. */
    public static String csv(List<Row> rows) {
        StringBuilder b = new StringBuilder("split,setting,vanilla,sft_mean,rl_mean,sft_max,rl_max,sft_seeds,rl_seeds\n");
        for (Row r : rows) {
            b.append(r.key().split()).append(',').append(r.key().setting());
            for (double v : values(r)) b.append(',').append(Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v));
            b.append(',').append(r.sft().seeds()).append(',').append(r.rl().seeds()).append('\n');
        }
        return b.toString();
    }

    /** The five accuracy cells of a row as the Markdown and HTML tables show them. */
    public static List<String> cells(Row r) {
        List<String> c = new ArrayList<>();
        for (double v : values(r)) c.add(format(v));
        return c;
    }

    static String format(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static double[] values(Row r) {
        return new double[]{r.vanilla(), r.sft().mean(), r.rl().mean(), r.sft().max(), r.rl().max()};
    }
}
