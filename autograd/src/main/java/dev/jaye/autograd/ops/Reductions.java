// SPDX-License-Identifier: Apache-2.0
package dev.jaye.autograd.ops;

import dev.jaye.autograd.Var;
import dev.jaye.tensor.Shape;
import dev.jaye.tensor.Tensor;

/**
 * Reductions along one axis (and to a scalar), each forward next to its backward.
 *
 * <p>A reduction maps n inputs along the axis to one output, so its backward does the opposite:
 * it spreads the output's gradient over those n inputs. The output gradient is first given the
 * keepDims shape (a 1 where the axis was) so that it broadcasts back along the axis, whichever
 * keepDims the forward used.
 */
public final class Reductions {
    private Reductions() {}

    /** y = Σᵢ xᵢ along {@code axis}. dy/dxᵢ = 1: every input gets the output's gradient. */
    public static Var sum(Var x, int axis, boolean keepDims) {
        int ax = Shape.axis(axis, x.shape());
        Var out = Var.of("sum", x.value.sum(ax, keepDims), x);
        return out.withBackward(() -> x.accumulate(spread(out.grad(), x.shape(), ax)));
    }

    /** y = (1/n)·Σᵢ xᵢ. dy/dxᵢ = 1/n. */
    public static Var mean(Var x, int axis, boolean keepDims) {
        int ax = Shape.axis(axis, x.shape());
        Var out = Var.of("mean", x.value.mean(ax, keepDims), x);
        return out.withBackward(() -> x.accumulate(spread(out.grad(), x.shape(), ax).div(x.value.dim(ax))));
    }

    /**
     * y = maxᵢ xᵢ. dy/dxᵢ = 1 for the winner, 0 for the rest. On a tie the first maximum (the one
     * argmax names) takes all of the gradient.
     */
    public static Var max(Var x, int axis, boolean keepDims) {
        int ax = Shape.axis(axis, x.shape());
        Var out = Var.of("max", x.value.max(ax, keepDims), x);
        return out.withBackward(() -> {
            int[] s = x.shape();
            int outer = Shape.prod(s, 0, ax), n = s[ax], inner = Shape.prod(s, ax + 1, s.length);
            int[] win = x.value.argmax(ax);        // outer·inner winners, in the output's order
            float[] g = out.grad().data(), dx = new float[x.value.size()];
            for (int o = 0; o < outer; o++)
                for (int i = 0; i < inner; i++) dx[(o * n + win[o * inner + i]) * inner + i] = g[o * inner + i];
            x.accumulate(Tensor.wrap(dx, s));
        });
    }

    /**
     * Population variance y = (1/n)·Σᵢ (xᵢ − μ)², μ the mean. dy/dxᵢ = 2(xᵢ − μ)/n: the path
     * through μ adds −(2/n)·Σⱼ(xⱼ − μ)·(1/n), which is 0 because deviations sum to zero.
     */
    public static Var variance(Var x, int axis, boolean keepDims) {
        int ax = Shape.axis(axis, x.shape());
        Var out = Var.of("variance", x.value.variance(ax, keepDims), x);
        return out.withBackward(() -> {
            int n = x.value.dim(ax);
            Tensor centred = x.value.sub(x.value.mean(ax, true));
            x.accumulate(spread(out.grad(), x.shape(), ax).mul(centred).mul(2f / n));
        });
    }

    /**
     * y = log Σᵢ exp(xᵢ). dy/dxᵢ = exp(xᵢ)/Σⱼ exp(xⱼ) = exp(xᵢ − y): the softmax, written with
     * the saved output so no second max-subtraction is needed (xᵢ − y ≤ 0, so exp cannot overflow).
     */
    public static Var logsumexp(Var x, int axis, boolean keepDims) {
        int ax = Shape.axis(axis, x.shape());
        Var out = Var.of("logsumexp", x.value.logsumexp(ax, keepDims), x);
        return out.withBackward(() -> {
            Tensor softmax = x.value.sub(keepAxis(out.value, x.shape(), ax)).exp();
            x.accumulate(spread(out.grad(), x.shape(), ax).mul(softmax));
        });
    }

    /** Sum of every element, as a scalar of shape []. dy/dxᵢ = 1. */
    public static Var sumAll(Var x) {
        Var out = Var.of("sumAll", Tensor.scalar(x.value.sum()), x);
        return out.withBackward(() -> x.accumulate(Tensor.full(out.grad().item(), x.shape())));
    }

    /** Mean of every element, as a scalar of shape []. dy/dxᵢ = 1/N. */
    public static Var meanAll(Var x) {
        Var out = Var.of("meanAll", Tensor.scalar(x.value.mean()), x);
        return out.withBackward(() -> x.accumulate(Tensor.full(out.grad().item() / x.value.size(), x.shape())));
    }

    /** A reduced tensor (either keepDims) seen with a 1 at {@code ax}, so it broadcasts against {@code shape}. */
    private static Tensor keepAxis(Tensor reduced, int[] shape, int ax) {
        int[] keep = shape.clone();
        keep[ax] = 1;
        return reduced.reshape(keep);
    }

    /** The reduced gradient copied along {@code ax} back to the input's {@code shape}. */
    private static Tensor spread(Tensor g, int[] shape, int ax) {
        return keepAxis(g, shape, ax).expand(shape);
    }
}
