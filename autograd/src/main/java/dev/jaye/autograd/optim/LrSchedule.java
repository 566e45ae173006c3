// SPDX-License-Identifier: Apache-2.0
package dev.jaye.autograd.optim;

/** The learning rate as a function of the optimiser step (0-based). */
@FunctionalInterface
public interface LrSchedule {
    double lr(int step);

    static LrSchedule constant(double lr) {
        return step -> lr;
    }

    /**
     * Linear warm-up from 0 to {@code peak} over {@code warmup} steps, then cosine decay to
     * {@code min} at step {@code total} (and {@code min} after it). Warm-up keeps Adam's first,
     * badly estimated steps small; the cosine tail lets the weights settle.
     */
    static LrSchedule warmupCosine(double peak, int warmup, int total, double min) {
        if (warmup < 0 || total < warmup) throw new IllegalArgumentException(
                "warmup-cosine needs 0 <= warmup <= total, got warmup " + warmup + ", total " + total);
        return step -> {
            if (step < warmup) return peak * (step + 1) / warmup;
            if (step >= total) return min;
            double progress = (double) (step - warmup) / Math.max(1, total - warmup);
            return min + 0.5 * (peak - min) * (1 + Math.cos(Math.PI * progress));
        };
    }
}
