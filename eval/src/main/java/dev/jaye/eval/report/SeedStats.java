// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.report;

import dev.jaye.eval.metrics.SampleStats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Mean and standard deviation over seeds, the numbers behind every curve and band.
 *
 * <p>The standard deviation is the sample one ({@link SampleStats}): a handful of seeds is a
 * sample of the runs the method could have produced. With one seed it is undefined (NaN) and no
 * band is drawn, rather than a band of zero that would read as "no spread".
 */
public final class SeedStats {
    private SeedStats() {}

    /** One x of an aggregated curve: over the {@code n} seeds that logged a value there. */
    public record Point(double x, double mean, double std, int n) {}

    /**
     * Per x, the mean and sample std of the seeds' values at that x. An x that only some seeds
     * reached (a run stopped early) is averaged over those seeds, and {@code n} says how many.
     */
    public static List<Point> aggregate(List<? extends Map<Double, Double>> seeds) {
        NavigableMap<Double, List<Double>> byX = new TreeMap<>();
        for (Map<Double, Double> s : seeds)
            s.forEach((x, y) -> {
                if (!Double.isNaN(y)) byX.computeIfAbsent(x, k -> new ArrayList<>()).add(y);
            });
        List<Point> out = new ArrayList<>(byX.size());
        byX.forEach((x, ys) -> {
            double[] v = ys.stream().mapToDouble(Double::doubleValue).toArray();
            out.add(new Point(x, SampleStats.mean(v), SampleStats.std(v), v.length));
        });
        return out;
    }
}
