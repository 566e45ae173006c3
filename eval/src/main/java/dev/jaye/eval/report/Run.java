// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One run folder ({@code config.yaml}, {@code metrics.jsonl}) with its lines sorted by kind.
 *
 * <p>Curves come out as {@code x -> y} maps. A resumed run logs again the steps after its last
 * checkpoint (bit-identical by design), so when an x repeats the later line wins.
 *
 * @param name   how the report names the run ("rl/seed-1", or the folder name of a lone run)
 * @param config the resolved {@code config.yaml} as written, or null when there is none
 * @param dir    the run folder (for its other files: {@code samples.jsonl})
 */
public record Run(String name, Arm arm, String config, List<Line> steps, List<Line> trainAccuracy, List<Line> evals, Path dir) {

    /**
     * Loads a run folder. {@code arm} null means "decide from the lines": a run that logged a
     * policy loss or a training accuracy is RL, any other is SFT.
     */
    public static Run load(Path dir, String name, Arm arm) throws IOException {
        Path cfg = dir.resolve("config.yaml");
        String config = Files.isRegularFile(cfg) ? Files.readString(cfg, StandardCharsets.UTF_8) : null;
        List<Line> rlSteps = new ArrayList<>(), trainAcc = new ArrayList<>(), evals = new ArrayList<>();
        List<Line> sftSteps = new ArrayList<>();
        for (Line l : MetricsFile.read(dir.resolve("metrics.jsonl"))) {
            switch (l.kind()) {
                case RL_STEP -> rlSteps.add(need(l, "generation_step"));
                case SFT_STEP -> sftSteps.add(need(l, "step"));
                case TRAIN_ACCURACY -> trainAcc.add(need(l, "epoch"));
                case EVAL -> evals.add(need(l, "epoch"));
                case OTHER -> { }                              // a record the report does not read
            }
        }
        if (arm == null) arm = !rlSteps.isEmpty() || !trainAcc.isEmpty() ? Arm.RL : Arm.SFT;
        return new Run(name, arm, config, List.copyOf(arm == Arm.RL ? rlSteps : sftSteps), List.copyOf(trainAcc), List.copyOf(evals), dir);
    }

    /** The line, if it has the x it will be plotted against. */
    static Line need(Line l, String key) throws ReportException {
        if (Double.isNaN(l.num(key))) throw new ReportException(Path.of(l.file()), l.number(), "no \"" + key + "\"");
        return l;
    }

    /** The x of a step line: generation steps for RL, optimiser steps for SFT. */
    public String stepKey() {
        return arm == Arm.RL ? "generation_step" : "step";
    }

    /** A step metric against the step; undefined values (null) are left out. */
    public NavigableMap<Double, Double> stepSeries(String key) {
        return series(steps, stepKey(), key);
    }

    /** Training accuracy per epoch (RL). */
    public NavigableMap<Double, Double> trainAccuracySeries() {
        return series(trainAccuracy, "epoch", "train_accuracy");
    }

    /** The score ({@link Line#score}) of one split and setting against the epoch; epoch 0 is the model before training. */
    public NavigableMap<Double, Double> evalSeries(String split, String setting) {
        NavigableMap<Double, Double> s = new TreeMap<>();
        evalSeriesLines(split, setting).forEach((epoch, l) -> s.put(epoch, l.score()));
        return s;
    }

    /** The evaluation lines behind {@link #evalSeries}, by epoch (a repeated epoch: the later line). */
    public NavigableMap<Double, Line> evalSeriesLines(String split, String setting) {
        NavigableMap<Double, Line> s = new TreeMap<>();
        for (Line l : evalLines(evals, split, setting)) {
            if (Double.isNaN(l.score())) s.remove(l.num("epoch"));
            else s.put(l.num("epoch"), l);
        }
        return s;
    }

    /** The lines of {@code evals} that evaluated {@code split} under {@code setting}, in file order. */
    public static List<Line> evalLines(List<Line> evals, String split, String setting) {
        return evals.stream().filter(l -> split.equals(l.str("split")) && setting.equals(l.str("setting"))).toList();
    }

    static NavigableMap<Double, Double> series(List<Line> lines, String xKey, String yKey) {
        NavigableMap<Double, Double> s = new TreeMap<>();
        for (Line l : lines) {
            double x = l.num(xKey), y = l.num(yKey);
            if (Double.isNaN(y)) s.remove(x);                  // a later undefined value replaces an earlier one too
            else s.put(x, y);
        }
        return s;
    }
}
