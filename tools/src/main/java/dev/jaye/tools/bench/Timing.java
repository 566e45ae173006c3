// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools.bench;

import java.util.Arrays;

/**
 * Timing as the benchmarks do it: warm up until the JIT has compiled the kernels (Vector API code
 * is 10-500x slower before C2 compiles it), then time several runs, each long enough for the
 * clock, and keep the median and the best.
 */
final class Timing {
    private Timing() {}

    /** Seconds per call: median and best over {@code runs} runs. */
    record Result(double median, double best) {}

    static Result measure(Runnable call, double warmupSeconds, int runs, double secondsPerRun) {
        long end = System.nanoTime() + (long) (warmupSeconds * 1e9);
        int calls = 0;
        long t0 = System.nanoTime();
        do {
            call.run();
            calls++;
        } while (System.nanoTime() < end || calls < 3);
        double perCall = (System.nanoTime() - t0) / 1e9 / calls;
        int reps = (int) Math.max(1, Math.ceil(secondsPerRun / perCall));
        double[] times = new double[runs];
        for (int r = 0; r < runs; r++) {
            long s = System.nanoTime();
            for (int i = 0; i < reps; i++) call.run();
            times[r] = (System.nanoTime() - s) / 1e9 / reps;
        }
        Arrays.sort(times);
        return new Result(times[runs / 2], times[0]);
    }
}
