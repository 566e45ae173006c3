// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools.bench;

import dev.jaye.tensor.kernels.Simd;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How the step benchmarks (rlstep, sftstep) report: per thread count the median step time, the
 * best, the median of each phase, the model GFLOP/s and their share of the FMA peak of the same
 * thread count, measured just before (so both numbers come from one machine in one state).
 */
final class StepReport {
    private final String bench;
    private final BenchOptions opts;
    private final double gflop;
    private final List<String> phases;
    private String variant = "";

    StepReport(String bench, BenchOptions opts, double gflop, List<String> phases) {
        this.bench = bench;
        this.opts = opts;
        this.gflop = gflop;
        this.phases = phases;
    }

    /** A key and value the JSON rows carry to say which form of the workload ran (e.g. where old log-probs came from). */
    StepReport variant(String key, String value) {
        variant = String.format(Locale.ROOT, ",\"%s\":\"%s\"", key, value);
        return this;
    }

    void header(String what) {
        if (opts.json) return;
        System.out.printf(Locale.ROOT, "%s; %s; %.1f GFLOP of model work per step; medians after warm-up%n", what, Simd.describe(), gflop);
        StringBuilder h = new StringBuilder(String.format(Locale.ROOT, "%7s %10s %8s", "threads", "ms/step", "best"));
        for (String p : phases) h.append(String.format(Locale.ROOT, " %12s", p + " ms"));
        h.append(String.format(Locale.ROOT, " %8s %8s %8s", "GFLOP/s", "peak", "% peak"));
        System.out.println(h);
    }

    /** One thread count's measurements: {@code ms[step][phase]}. */
    void row(int threads, double[][] ms) throws InterruptedException {
        double[] total = new double[ms.length];
        for (int i = 0; i < ms.length; i++) total[i] = Arrays.stream(ms[i]).sum();
        double median = median(total), best = Arrays.stream(total).min().orElseThrow();
        double gflops = gflop / (median / 1e3), peak = PeakBench.measure(threads, opts.quick ? 0.1 : 0.3);
        if (opts.json) {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                    "{\"bench\":\"%s\",\"lib\":\"jaye\",\"model\":\"nano\",\"threads\":%d,\"ms_per_step\":%.1f,\"ms_best\":%.1f",
                    bench, threads, median, best)).append(variant);
            for (int p = 0; p < phases.size(); p++) s.append(String.format(Locale.ROOT, ",\"%s_ms\":%.1f", phases.get(p), median(column(ms, p))));
            s.append(String.format(Locale.ROOT, ",\"gflop\":%.2f,\"gflops\":%.1f,\"peak_gflops\":%.1f,\"peak_pct\":%.1f}", gflop, gflops, peak, 100 * gflops / peak));
            System.out.println(s);
        } else {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%7d %10.1f %8.1f", threads, median, best));
            for (int p = 0; p < phases.size(); p++) s.append(String.format(Locale.ROOT, " %12.1f", median(column(ms, p))));
            s.append(String.format(Locale.ROOT, " %8.1f %8.1f %7.1f%%", gflops, peak, 100 * gflops / peak));
            System.out.println(s);
        }
        System.out.flush();
    }

    private static double[] column(double[][] ms, int p) {
        double[] c = new double[ms.length];
        for (int i = 0; i < ms.length; i++) c[i] = ms[i][p];
        return c;
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
