// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.report;

import dev.jaye.eval.metrics.SampleStats;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The method's results table: per split and generation setting, the vanilla model next to the
 * mean and the maximum of each arm's score for that setting ({@link Line#score}: pass@8 for the
 * pass@8 setting, the share of right answers for the pass@1 ones), each with its standard error, RL - SFT and RL -
 * vanilla with the standard error of a paired, question-by-question comparison. It is the one
 * place these numbers are made: tables.md, the report page, findings.md and the summary printed
 * at the end of an experiment or the quickstart all read these rows, in the same units
 * (accuracies in percent, differences in points).
 *
 * <p>The rule, per arm: for each seed, the mean and the maximum of its accuracy over the ends of
 * the epochs it was evaluated at, leaving out epoch 0 (the starting model, which is the vanilla
 * column, not something the arm learned) and evaluations between epoch ends other than the
 * last; then each is averaged over the seeds. The maximum is a best
 * checkpoint picked with knowledge of the test set, so it is an upper bound; the mean is the
 * honest number.
 *
 * <p>Standard errors. With two or more seeds, an arm's SE is the spread of its per-seed values
 * over sqrt(seeds): what another set of seeds would move. With one seed there is no spread of
 * seeds to measure, and the SE is over questions instead (as the vanilla model's is): what
 * another draw of questions would move. RL - SFT is the difference of the two means; its SE is
 * over questions, paired: each question's RL accuracy minus its SFT accuracy (each averaged the
 * same way as the means), whose spread over sqrt(questions) cancels how hard a question is for
 * both arms. It needs every evaluation to have logged {@code right_per_question} on the same
 * questions, and is n/a otherwise.
 */
public final class EvalTable {
    private EvalTable() {}

    /**
     * An arm's summary on one split and setting; NaN (and 0 seeds) when it has no evaluations there.
     *
     * @param perQuestion each question's accuracy, averaged like {@code mean}; null when unknown
     */
    public record Summary(double mean, double meanSe, double max, double maxSe, int seeds, double[] perQuestion) {}

    /**
     * A difference of two accuracies and its SE: {@code paired} when it is question by question,
     * else the two SEs in quadrature (independent evaluations; conservative against pairing).
     */
    public record Diff(double value, double se, boolean paired) {
        /** The difference in its SEs (NaN when the SE is unknown or 0). */
        public double z() {
            return se > 0 ? value / se : Double.NaN;
        }
    }

    /**
     * One row: the vanilla accuracy and its SE over questions, both arms, and the differences
     * RL - SFT ({@code difference}, its paired SE), RL - vanilla and SFT - vanilla.
     */
    public record Row(Experiment.EvalKey key, double vanilla, double vanillaSe, Summary sft, Summary rl,
                      double difference, double differenceSe, Diff rlGain, Diff sftGain) {
        /** RL - SFT as a {@link Diff}: {@code difference} with its paired SE. */
        public Diff rlMinusSft() {
            return new Diff(difference, differenceSe, true);
        }
    }

    public static List<Row> rows(Experiment e) {
        List<Row> rows = new ArrayList<>();
        for (Experiment.EvalKey k : e.evalKeys()) {
            Summary sft = summarise(e.sft(), k), rl = summarise(e.rl(), k);
            double vanilla = e.vanillaAccuracy(k), vanillaSe = e.vanillaStandardError(k);
            double[] vanillaQuestions = meanPerQuestion(Run.evalLines(e.vanilla(), k.split(), k.setting()));
            rows.add(new Row(k, vanilla, vanillaSe, sft, rl, rl.mean() - sft.mean(), pairedSe(rl.perQuestion(), sft.perQuestion()),
                    gain(rl, vanilla, vanillaSe, vanillaQuestions), gain(sft, vanilla, vanillaSe, vanillaQuestions)));
        }
        return rows;
    }

    /** An arm's mean minus the vanilla model's: paired per question when both logged the same questions. */
    private static Diff gain(Summary arm, double vanilla, double vanillaSe, double[] vanillaQuestions) {
        double paired = pairedSe(arm.perQuestion(), vanillaQuestions);
        if (!Double.isNaN(paired)) return new Diff(arm.mean() - vanilla, paired, true);
        return new Diff(arm.mean() - vanilla, Math.hypot(arm.meanSe(), vanillaSe), false);
    }

    /** The table rule above, for one arm's runs. */
    public static Summary summarise(List<Run> runs, Experiment.EvalKey key) {
        List<Double> means = new ArrayList<>(), maxes = new ArrayList<>(), maxLineSe = new ArrayList<>();
        List<double[]> seedQuestions = new ArrayList<>();
        boolean questionsKnown = true;
        for (Run r : runs) {
            Map<Double, Line> trained = epochEnds(r.evalSeriesLines(key.split(), key.setting()).tailMap(0.0, false));
            if (trained.isEmpty()) continue;                   // this seed never got past its start here
            double[] acc = trained.values().stream().mapToDouble(Line::score).toArray();
            means.add(SampleStats.mean(acc));
            Line best = null;
            for (Line l : trained.values()) if (best == null || l.score() > best.score()) best = l;
            maxes.add(best.score());
            maxLineSe.add(best.scoreSe());
            double[] q = meanPerQuestion(trained.values());
            if (q == null) questionsKnown = false;
            else seedQuestions.add(q);
        }
        double[] perQuestion = questionsKnown ? average(seedQuestions) : null;
        int seeds = means.size();
        double meanSe, maxSe;
        if (seeds >= 2) {
            meanSe = seedSe(means);
            maxSe = seedSe(maxes);
        } else {
            meanSe = perQuestion == null ? Double.NaN : questionSe(perQuestion);
            maxSe = seeds == 1 ? maxLineSe.get(0) : Double.NaN;
        }
        return new Summary(mean(means), meanSe, mean(maxes), maxSe, seeds, perQuestion);
    }

    /**
     * The evaluations at the end of an epoch (1, 2, ...), the checkpoints the method compares,
     * and the last evaluation wherever it is (a run that train.max_generation_steps ended
     * between epoch ends). An evaluation between them (eval.every_steps) is left out, so an arm
     * evaluated more often is not averaged over more, earlier points. A run shorter than one
     * epoch keeps every evaluation it has.
     */
    static java.util.NavigableMap<Double, Line> epochEnds(java.util.NavigableMap<Double, Line> trained) {
        java.util.NavigableMap<Double, Line> kept = new java.util.TreeMap<>();
        trained.forEach((epoch, l) -> {
            if (Math.abs(epoch - Math.rint(epoch)) < 1e-9) kept.put(epoch, l);
        });
        if (kept.isEmpty()) return trained;                    // shorter than an epoch: what it has
        kept.put(trained.lastKey(), trained.lastEntry().getValue());
        return kept;
    }

    /**
     * Each question's score (its share of right responses, or its pass@k estimate: {@link
     * Line#scorePerQuestion}), averaged over {@code lines}; null when one has none or the questions differ.
     */
    static double[] meanPerQuestion(Iterable<Line> lines) {
        List<double[]> each = new ArrayList<>();
        for (Line l : lines) {
            double[] p = l.scorePerQuestion();
            if (p == null) return null;
            each.add(p);
        }
        return average(each);
    }

    /** The element-wise mean of equally long arrays; null when there are none or their lengths differ. */
    private static double[] average(List<double[]> arrays) {
        if (arrays.isEmpty()) return null;
        int len = arrays.get(0).length;
        double[] m = new double[len];
        for (double[] a : arrays) {
            if (a.length != len) return null;
            for (int i = 0; i < len; i++) m[i] += a[i];
        }
        for (int i = 0; i < len; i++) m[i] /= arrays.size();
        return m;
    }

    /** The paired SE of mean(a) - mean(b) over questions; NaN when either is unknown or they cover different questions. */
    static double pairedSe(double[] a, double[] b) {
        if (a == null || b == null || a.length != b.length) return Double.NaN;
        double[] d = new double[a.length];
        for (int i = 0; i < d.length; i++) d[i] = a[i] - b[i];
        return questionSe(d);
    }

    private static double questionSe(double[] perQuestion) {
        return SampleStats.standardError(perQuestion);
    }

    private static double seedSe(List<Double> perSeed) {
        return SampleStats.standardError(unbox(perSeed));
    }

    private static double mean(List<Double> v) {
        return SampleStats.mean(unbox(v));
    }

    private static double[] unbox(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The table's column heads, Markdown and HTML alike. */
    public static final List<String> HEADS = List.of("split", "setting", "vanilla", "SFT mean", "RL mean", "SFT max", "RL max",
            "RL - SFT", "RL - vanilla");

    /** A Markdown table, accuracies in percent and differences in points, each ± its SE, "n/a" where there is no number. */
    public static String markdown(List<Row> rows) {
        StringBuilder b = new StringBuilder("| " + String.join(" | ", HEADS) + " |\n");
        b.append("| --- | --- |").append(" ---: |".repeat(HEADS.size() - 2)).append('\n');
        for (Row r : rows)
            b.append("| ").append(r.key().split()).append(" | ").append(r.key().setting()).append(" | ")
                    .append(String.join(" | ", cells(r))).append(" |\n");
        return b.toString();
    }

    /**
     * The rows as the terminal prints them at the end of an experiment or the quickstart: the
     * same numbers as tables.md, the means only, each difference also in its SEs.
     */
    public static String text(List<Row> rows) {
        String f = "%-8s %-15s %12s %12s %12s %21s %21s%n";
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, f, "split", "setting", "vanilla", "SFT mean", "RL mean",
                "RL - SFT", "RL - vanilla"));
        for (Row r : rows)
            b.append(String.format(Locale.ROOT, f, r.key().split(), r.key().setting(), pct(r.vanilla(), r.vanillaSe()),
                    pct(r.sft().mean(), r.sft().meanSe()), pct(r.rl().mean(), r.rl().meanSe()),
                    withZ(r.rlMinusSft()), withZ(r.rlGain())));
        return b.toString();
    }

    private static String withZ(Diff d) {
        String s = points(d.value(), d.se());
        return Double.isNaN(d.z()) ? s : s + String.format(Locale.ROOT, " (%.1f SE)", d.z());
    }

    /** The same numbers as CSV, as fractions to six decimals, an empty field where there is none, with the seed counts. */
    public static String csv(List<Row> rows) {
        StringBuilder b = new StringBuilder("split,setting,vanilla,vanilla_se,sft_mean,sft_mean_se,rl_mean,rl_mean_se,"
                + "sft_max,sft_max_se,rl_max,rl_max_se,rl_minus_sft,rl_minus_sft_se,rl_minus_vanilla,rl_minus_vanilla_se,sft_seeds,rl_seeds\n");
        for (Row r : rows) {
            b.append(r.key().split()).append(',').append(r.key().setting());
            for (double v : values(r)) b.append(',').append(Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v));
            b.append(',').append(r.sft().seeds()).append(',').append(r.rl().seeds()).append('\n');
        }
        return b.toString();
    }

    /** The seven number cells of a row ("61.2 ± 1.5", "+2.1 ± 0.5") as the Markdown and HTML tables show them. */
    public static List<String> cells(Row r) {
        double[] v = values(r);
        List<String> c = new ArrayList<>();
        for (int i = 0; i < v.length; i += 2) c.add(i < 10 ? pct(v[i], v[i + 1]) : points(v[i], v[i + 1]));
        return c;
    }

    /** An accuracy in percent, one decimal, with its SE when known: "61.2 ± 1.5"; "n/a" when there is none. */
    public static String pct(double v, double se) {
        if (Double.isNaN(v)) return "n/a";
        return Double.isNaN(se) ? String.format(Locale.ROOT, "%.1f", 100 * v) : String.format(Locale.ROOT, "%.1f ± %.1f", 100 * v, 100 * se);
    }

    /** A difference in points, signed: "+2.1 ± 0.5". */
    public static String points(double v, double se) {
        if (Double.isNaN(v)) return "n/a";
        return Double.isNaN(se) ? String.format(Locale.ROOT, "%+.1f", 100 * v) : String.format(Locale.ROOT, "%+.1f ± %.1f", 100 * v, 100 * se);
    }

    /** Value, SE pairs in column order. */
    private static double[] values(Row r) {
        return new double[]{r.vanilla(), r.vanillaSe(), r.sft().mean(), r.sft().meanSe(), r.rl().mean(), r.rl().meanSe(),
                r.sft().max(), r.sft().maxSe(), r.rl().max(), r.rl().maxSe(), r.difference(), r.differenceSe(),
                r.rlGain().value(), r.rlGain().se()};
    }
}
