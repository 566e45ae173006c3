// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.sft;

import dev.jaye.autograd.Var;
import dev.jaye.autograd.ops.SoftmaxOps;
import dev.jaye.autograd.optim.Optimizer;
import dev.jaye.models.Vlm;
import dev.jaye.tensor.opencl.DeviceWeights;

/**
 * One supervised step: forward, weighted cross-entropy on the response positions, backward,
 * clip, update. Split into {@link #lossAndBackward} and {@link #update} so that gradient
 * accumulation is just several of the first before one of the second.
 */
public final class SftStep {
    private SftStep() {}

    /** What a step reports: loss, gradient norm before clipping, learning rate, target tokens. */
    public record Stats(double loss, double gradNorm, double lr, int tokens) {}

    /**
     * Loss of one batch, with its gradient added into the parameters'. {@code scale} divides the
     * loss (1 / accumulation steps) so that accumulated gradients average instead of adding up.
     */
    public static double lossAndBackward(Vlm model, SftBatch b, double scale) {
        Var logits = model.forward(b.batch());                                               // (B, T, V)
        int V = logits.shape()[2];
        Var loss = SoftmaxOps.crossEntropy(logits.reshape(-1, V), b.targets(), b.weights(), SftBatch.IGNORE);
        double value = loss.item();
        if (!Double.isFinite(value)) throw new ArithmeticException("loss is " + value + ": stopping before the weights are touched");
        if (scale != 1.0) loss = loss.mul((float) scale);
        if (loss.needsGrad()) loss.backward();
        return value;
    }

    /** Clips to {@code clip} (≤ 0: no clipping), steps the optimiser, clears the gradients. */
    public static double update(Optimizer opt, double clip) {
        double norm = clip > 0 ? opt.clipGradNorm(clip) : opt.clipGradNorm(Double.POSITIVE_INFINITY);
        if (!Double.isFinite(norm)) {
            opt.zeroGrad();
            throw new ArithmeticException("gradient norm is " + norm + ": stopping before the weights are touched");
        }
        opt.step();
        opt.zeroGrad();
        return norm;
    }

    /** A whole step on one batch. */
    public static Stats step(Vlm model, Optimizer opt, SftBatch b, double clip) {
        double lr = opt.lr();
        double loss;
        try (var constant = DeviceWeights.scope()) {           // forward and backward see the same weights
            loss = lossAndBackward(model, b, 1.0);
        }
        double norm = update(opt, clip);
        int tokens = 0;
        for (float w : b.weights()) if (w > 0) tokens++;
        return new Stats(loss, norm, lr, tokens);
    }
}
