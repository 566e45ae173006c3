// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.report;

import java.util.List;
import java.util.Locale;
import java.util.NavigableMap;
import java.util.TreeSet;

/**
 * {@code report/aggregate.csv}: every numeric metric of each arm, mean and standard deviation over
 * its seeds at each x (generation step or SFT step for step metrics, epoch for training accuracy
 * and evaluations). The charts draw a few of these; the file has them all, for a plot of your own.
 */
final class Aggregate {
    private Aggregate() {}

    static String csv(Experiment e) {
        StringBuilder sb = new StringBuilder("arm,metric,x_key,x,mean,std,seeds\n");
        for (Arm arm : Arm.values()) {
            List<Run> runs = e.runs(arm);
            if (runs.isEmpty()) continue;
            String stepKey = runs.get(0).stepKey();
            TreeSet<String> keys = new TreeSet<>();
            for (Run r : runs) for (Line l : r.steps()) keys.addAll(l.numbers().keySet());
            keys.remove(stepKey);
            for (String key : keys) rows(sb, arm, key, stepKey, runs.stream().map(r -> r.stepSeries(key)).toList());
            rows(sb, arm, "train_accuracy", "epoch", runs.stream().map(Run::trainAccuracySeries).toList());
            for (Experiment.EvalKey k : e.evalKeys())
                rows(sb, arm, k.split() + "/" + k.setting() + "/accuracy", "epoch", runs.stream().map(r -> r.evalSeries(k.split(), k.setting())).toList());
        }
        return sb.toString();
    }

    private static void rows(StringBuilder sb, Arm arm, String metric, String xKey, List<NavigableMap<Double, Double>> series) {
        for (SeedStats.Point p : SeedStats.aggregate(series))
            sb.append(String.format(Locale.ROOT, "%s,%s,%s,%s,%s,%s,%d%n", arm.label(), metric, xKey, num(p.x()), num(p.mean()), num(p.std()), p.n()));
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
