// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Which figures the evaluation scheme asks for, from an experiment's runs: accuracy against
 * epochs, everything else against generation steps (docs/method.md, "The evaluation scheme").
 * A figure with nothing to draw is left out rather than drawn empty.
 */
public final class Figures {
    private Figures() {}

    /** A figure and the file name it is saved under in {@code report/}. */
    public record Named(String file, Charts.Figure figure) {}

    private static final String WORD = "reflection_words/";

    public static List<Named> of(Experiment e) {
        List<Named> out = new ArrayList<>();
        add(out, "train-accuracy.png", new Charts.Figure("Training accuracy (RL)", "epoch", "accuracy",
                curves(e.rl(), "RL", Run::trainAccuracySeries), false));
        add(out, "response-length.png", stepFigure(e, "mean_response_length", "Mean response length (RL)", "tokens"));
        add(out, "reflection-ratio.png", stepFigure(e, "reflection_ratio", "Reflection ratio (RL)", "reflection_ratio"));
        add(out, "correct-ratio-in-reflection-texts.png", stepFigure(e, "correct_ratio_in_reflection_texts",
                "Correct ratio in reflection texts (RL)", "correct_ratio_in_reflection_texts"));
        List<String> words = topWords(e.rl(), 2);
        if (!words.isEmpty()) {
            List<Charts.Curve> c = new ArrayList<>();
            for (String w : words) c.addAll(curves(e.rl(), "\"" + w + "\"", r -> r.stepSeries(WORD + w)));
            add(out, "reflection-words.png", new Charts.Figure("Most frequent reflection words (RL, count per step)",
                    "generation step", "responses' word count", c, true));
        }
        add(out, "sft-loss.png", new Charts.Figure("Training loss (SFT)", "step", "loss",
                curves(e.sft(), "SFT", r -> r.stepSeries("loss")), true));
        for (Experiment.EvalKey k : e.evalKeys()) {
            double v = e.vanillaAccuracy(k);
            // Points where an arm was evaluated, with their standard errors; both arms start from the
            // vanilla model, drawn as the dashed level. RL and SFT are set a hair apart so their bars do not hide each other.
            List<Charts.Curve> c = new ArrayList<>(evalCurve(e.rl(), "RL", k, -0.012));
            c.addAll(evalCurve(e.sft(), "SFT", k, 0.012));
            if (!Double.isNaN(v)) c.add(level("vanilla", v, c));
            add(out, "eval-" + safe(k.split()) + "-" + safe(k.setting()) + ".png",
                    new Charts.Figure(k.split() + " " + scoreName(k.setting()) + ", " + k.setting(), "epoch", "accuracy", c, false));
        }
        return out;
    }

    /** What a setting's charts show: pass@k for a pass@k setting of k > 1, else accuracy (pass@1). */
    static String scoreName(String setting) {
        return Line.scoresPassAtK(setting) ? setting.split("_")[0] : "accuracy";
    }

    private static void add(List<Named> out, String file, Charts.Figure f) {
        if (!f.curves().isEmpty()) out.add(new Named(file, f));
    }

    private static Charts.Figure stepFigure(Experiment e, String key, String title, String yLabel) {
        return new Charts.Figure(title, "generation step", yLabel, curves(e.rl(), "RL", r -> r.stepSeries(key)), true);
    }

    /** One curve over the runs' seeds, or none when no run logged the metric. */
    private static List<Charts.Curve> curves(List<Run> runs, String label, Function<Run, NavigableMap<Double, Double>> series) {
        List<NavigableMap<Double, Double>> seeds = runs.stream().map(series).filter(s -> !s.isEmpty()).toList();
        if (seeds.isEmpty()) return List.of();
        String name = label + " (" + seeds.size() + (seeds.size() == 1 ? " seed)" : " seeds)");
        return List.of(new Charts.Curve(name, SeedStats.aggregate(seeds), false));
    }

    /**
     * An arm's evaluations of one split and setting as points with ±1 SE: per epoch the mean over
     * the seeds evaluated there, and the SE over those seeds (two or more) or, for one seed, its
     * evaluation's own SE over questions. Nothing when the arm was never evaluated there.
     */
    static List<Charts.Curve> evalCurve(List<Run> runs, String label, Experiment.EvalKey k, double dx) {
        NavigableMap<Double, List<Line>> byEpoch = new TreeMap<>();
        int seeds = 0;
        for (Run r : runs) {
            NavigableMap<Double, Line> s = r.evalSeriesLines(k.split(), k.setting());
            if (!s.isEmpty()) seeds++;
            s.forEach((x, l) -> byEpoch.computeIfAbsent(x, q -> new ArrayList<>()).add(l));
        }
        if (byEpoch.isEmpty()) return List.of();
        List<SeedStats.Point> points = new ArrayList<>();
        byEpoch.forEach((x, ls) -> {
            double[] acc = ls.stream().mapToDouble(Line::score).toArray();
            double se = acc.length >= 2 ? dev.jaye.eval.metrics.SampleStats.standardError(acc) : ls.get(0).scoreSe();
            points.add(new SeedStats.Point(x + dx, dev.jaye.eval.metrics.SampleStats.mean(acc), se, acc.length));
        });
        String name = label + " (" + seeds + (seeds == 1 ? " seed" : " seeds") + ", ±1 SE)";
        return List.of(new Charts.Curve(name, points, false, true));
    }

    /** A flat line across the x range of the other curves (epoch 0 to the last, at least to 1). */
    private static Charts.Curve level(String name, double y, List<Charts.Curve> others) {
        double last = others.stream().flatMap(c -> c.points().stream()).mapToDouble(SeedStats.Point::x).max().orElse(0);
        double hi = last > 0 ? last : 1;
        return new Charts.Curve(name, List.of(new SeedStats.Point(0, y, Double.NaN, 1), new SeedStats.Point(hi, y, Double.NaN, 1)), true);
    }

    /**
     * The {@code n} reflection words with the largest total count over every step of every run;
     * ties by name, so the choice is the same on every machine. Words never seen are left out.
     */
    public static List<String> topWords(List<Run> runs, int n) {
        Map<String, Double> totals = new TreeMap<>();
        for (Run r : runs) {
            Set<String> keys = new TreeSet<>();
            for (Line l : r.steps()) for (String k : l.numbers().keySet()) if (k.startsWith(WORD)) keys.add(k);
            for (String k : keys)                              // via the series: a resumed run's repeated steps count once
                totals.merge(k.substring(WORD.length()), r.stepSeries(k).values().stream().mapToDouble(Double::doubleValue).sum(), Double::sum);
        }
        return totals.entrySet().stream().filter(t -> t.getValue() > 0)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(n).map(Map.Entry::getKey).toList();
    }

    /** A file-name-safe form of a split or setting ("pass@1_t0.6" stays readable). */
    static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9@._-]", "-");
    }
}
