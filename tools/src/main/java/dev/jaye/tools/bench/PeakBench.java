// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools.bench;

import dev.jaye.tensor.kernels.Simd;
import jdk.incubator.vector.FloatVector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * The FMA peak the JVM reaches on this CPU: each thread runs 12 independent chains of vector
 * fused multiply-adds on registers (no memory traffic), enough to hide the FMA latency on every
 * x86 and Arm core we know. It is the ceiling every "% of peak" figure is a share of; the peers'
 * C program measures the same thing with gcc.
 */
@Command(name = "peak", mixinStandardHelpOptions = true,
        description = "The FMA peak (GFLOP/s) of this CPU through the Vector API, per thread count: the ceiling for %% of peak.")
final class PeakBench implements Callable<Integer> {
    @Mixin
    BenchOptions opts;

    @Override
    public Integer call() throws InterruptedException {
        if (!opts.json) System.out.println("peak: " + Simd.describe() + "; 12 independent FMA chains per thread, median of 5 runs");
        for (int t : opts.threads) {
            double g = measure(t, opts.quick ? 0.2 : 0.5);
            if (opts.json) System.out.printf(Locale.ROOT, "{\"bench\":\"peak\",\"lib\":\"jaye\",\"threads\":%d,\"gflops\":%.1f}%n", t, g);
            else System.out.printf(Locale.ROOT, "threads %d: %7.1f GFLOP/s%n", t, g);
        }
        return 0;
    }

    /** GFLOP/s of {@code threads} threads running the chains for about {@code seconds}, median of 5. */
    static double measure(int threads, double seconds) throws InterruptedException {
        long iters = 1 << 20;
        chains(iters);                                        // JIT warm-up
        long t0 = System.nanoTime();
        chains(iters);
        iters = Math.max(iters, (long) (iters * seconds / ((System.nanoTime() - t0) / 1e9)));
        double[] runs = new double[5];
        for (int r = 0; r < runs.length; r++) {
            long n = iters;
            Thread[] th = new Thread[threads];
            for (int i = 0; i < threads; i++) th[i] = new Thread(() -> chains(n));
            long s = System.nanoTime();
            for (Thread x : th) x.start();
            for (Thread x : th) x.join();
            runs[r] = threads * n * 12.0 * 2 * Simd.F.length() / ((System.nanoTime() - s) / 1e9) / 1e9;
        }
        java.util.Arrays.sort(runs);
        return runs[2];
    }

    static volatile float sink;

    private static void chains(long iters) {
        var F = Simd.F;
        FloatVector a = FloatVector.broadcast(F, 0.999f), b = FloatVector.broadcast(F, 1e-7f);   // c = b·a + c: the accumulate form the GEMM uses (c·a + b compiled to half the rate on Zen 3)
        FloatVector c0 = FloatVector.broadcast(F, 1f), c1 = c0.add(1), c2 = c0.add(2), c3 = c0.add(3), c4 = c0.add(4), c5 = c0.add(5),
                c6 = c0.add(6), c7 = c0.add(7), c8 = c0.add(8), c9 = c0.add(9), c10 = c0.add(10), c11 = c0.add(11);
        for (long i = 0; i < iters; i++) {
            c0 = b.fma(a, c0); c1 = b.fma(a, c1); c2 = b.fma(a, c2); c3 = b.fma(a, c3);
            c4 = b.fma(a, c4); c5 = b.fma(a, c5); c6 = b.fma(a, c6); c7 = b.fma(a, c7);
            c8 = b.fma(a, c8); c9 = b.fma(a, c9); c10 = b.fma(a, c10); c11 = b.fma(a, c11);
        }
        sink = c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11).lane(0);
    }
}
