// SPDX-License-Identifier: Apache-2.0
package dev.jaye.autograd.ops;

import dev.jaye.autograd.Var;
import dev.jaye.tensor.Shape;
import dev.jaye.tensor.Tensor;

/**
 * Ops that move values around without computing new ones, each forward next to its backward.
 *
 * <p>Every output element is a copy of one input element (or a constant), so the backward is
 * the same movement in reverse: each output gradient goes back to the element it was copied
 * from. Where one input element was copied to several places (expand, indexSelect with a
 * repeated index, gather), the gradients of those places add up.
 */
public final class ShapeOps {
    private ShapeOps() {}

    /** The same values under another shape (one dimension may be −1). Backward: reshape back. */
    public static Var reshape(Var x, int... shape) {
        Var out = Var.of("reshape", x.value.reshape(shape), x);
        // out.grad is out's alone and dropped after this closure: x may keep it, viewed in x's shape
        return out.withBackward(() -> x.accumulateFresh(out.grad().reshape(x.shape())));
    }

    /** Output axis i is input axis perm[i]. Backward: the inverse permutation, inv[perm[i]] = i. */
    public static Var permute(Var x, int... perm) {
        Var out = Var.of("permute", x.value.permute(perm), x);
        return out.withBackward(() -> {
            int[] inv = new int[perm.length];
            for (int i = 0; i < perm.length; i++) inv[Shape.axis(perm[i], x.shape())] = i;
            x.accumulateFresh(out.grad().permute(inv));
        });
    }

    /** Swaps axes a and b. Backward: swap them again (a transposition is its own inverse). */
    public static Var transpose(Var x, int a, int b) {
        Var out = Var.of("transpose", x.value.transpose(a, b), x);
        return out.withBackward(() -> x.accumulateFresh(out.grad().transpose(a, b)));
    }

    /** Indices [start, end) along {@code axis}. Backward: the gradient in its place, zeros elsewhere. */
    public static Var slice(Var x, int axis, int start, int end) {
        int ax = Shape.axis(axis, x.shape());
        Var out = Var.of("slice", x.value.slice(ax, start, end), x);
        return out.withBackward(() -> x.accumulateFresh(pasteInto(out.grad(), x.shape(), ax, start)));
    }

    /** Joins along {@code axis}. Backward: cut the gradient into the pieces' sizes (split). */
    public static Var concat(int axis, Var... inputs) {
        Var[] xs = inputs.clone();                       // the closure must not see later changes
        Tensor[] ts = new Tensor[xs.length];
        for (int i = 0; i < xs.length; i++) ts[i] = xs[i].value;
        int ax = Shape.axis(axis, ts[0].shape());
        Var out = Var.of("concat", Tensor.concat(ax, ts), xs);
        return out.withBackward(() -> {
            int[] sizes = new int[xs.length];
            for (int i = 0; i < xs.length; i++) sizes[i] = xs[i].value.dim(ax);
            Tensor[] gs = out.grad().split(ax, sizes);
            for (int i = 0; i < xs.length; i++) if (xs[i].needsGrad()) xs[i].accumulate(gs[i]);
        });
    }

    /**
     * Cuts along {@code axis} into pieces of the given sizes. Each piece is its own {@link #slice},
     * so each has its own backward, and a piece that is never used sends back nothing.
     */
    public static Var[] split(Var x, int axis, int... sizes) {
        int ax = Shape.axis(axis, x.shape()), total = 0;
        for (int s : sizes) total += s;
        if (total != x.value.dim(ax)) throw new IllegalArgumentException("split sizes add up to " + total
                + ", axis " + axis + " of shape " + Shape.str(x.shape()) + " is " + x.value.dim(ax));
        Var[] out = new Var[sizes.length];
        for (int i = 0, at = 0; i < sizes.length; at += sizes[i], i++) out[i] = slice(x, ax, at, at + sizes[i]);
        return out;
    }

    /** Equal-shaped values along a new axis. Backward: input i gets the gradient's slice i along it. */
    public static Var stack(int axis, Var... inputs) {
        Var[] xs = inputs.clone();
        Tensor[] ts = new Tensor[xs.length];
        for (int i = 0; i < xs.length; i++) ts[i] = xs[i].value;
        Var out = Var.of("stack", Tensor.stack(axis, ts), xs);
        int ax = axis < 0 ? axis + out.value.rank() : axis;
        return out.withBackward(() -> {
            for (int i = 0; i < xs.length; i++)
                if (xs[i].needsGrad()) xs[i].accumulate(out.grad().slice(ax, i, i + 1).reshape(xs[i].shape()));
        });
    }

    /**
     * Broadcast to {@code shape}, materialised. Each input element was copied to every position
     * along the broadcast axes, so its gradient is the sum over them: {@link Arith#sumTo}.
     */
    public static Var expand(Var x, int... shape) {
        Var out = Var.of("expand", x.value.expand(shape), x);
        return out.withBackward(() -> x.accumulate(Arith.sumTo(out.grad(), x.shape())));
    }

    /**
     * Rows {@code index} along {@code axis}. Backward: scatter-add, dx[index[i]] += g[i]; an index
     * that appears twice was read twice and gets both gradients.
     */
    public static Var indexSelect(Var x, int axis, int... index) {
        int ax = Shape.axis(axis, x.shape());
        int[] idx = index.clone();                       // the closure must not see later changes
        Var out = Var.of("indexSelect", x.value.indexSelect(ax, idx), x);
        return out.withBackward(() -> {
            int[] s = x.shape();
            int outer = Shape.prod(s, 0, ax), n = s[ax], inner = Shape.prod(s, ax + 1, s.length), k = idx.length;
            float[] g = out.grad().data(), dx = new float[x.value.size()];
            for (int o = 0; o < outer; o++)
                for (int i = 0; i < k; i++) {
                    int from = (o * k + i) * inner, to = (o * n + idx[i]) * inner;
                    for (int j = 0; j < inner; j++) dx[to + j] += g[from + j];
                }
            x.accumulateFresh(Tensor.wrap(dx, s));
        });
    }

    /**
     * Token embedding: rows {@code ids} of {@code weight} [V, C], giving [n, C]. It is exactly
     * indexSelect along axis 0, so its backward is the same scatter-add: a token that occurs
     * twice in the batch gets both of its rows' gradients.
     */
    public static Var embedding(Var weight, int... ids) {
        if (weight.value.rank() != 2) throw new IllegalArgumentException("embedding weight must be [V, C], is " + Shape.str(weight.shape()));
        return indexSelect(weight, 0, ids);
    }

    /**
     * torch.gather along {@code axis}: out[.., j, ..] = x[.., index[.., j, ..], ..] (see
     * {@link Tensor#gather}). Backward: scatter-add into the gathered places.
     */
    public static Var gather(Var x, int axis, int... index) {
        int ax = Shape.axis(axis, x.shape());
        int[] idx = index.clone();
        Var out = Var.of("gather", x.value.gather(ax, idx), x);
        return out.withBackward(() -> {
            int[] s = x.shape();
            int outer = Shape.prod(s, 0, ax), n = s[ax], inner = Shape.prod(s, ax + 1, s.length);
            int k = idx.length / (outer * inner);
            float[] g = out.grad().data(), dx = new float[x.value.size()];
            for (int o = 0; o < outer; o++)
                for (int j = 0; j < k; j++)
                    for (int i = 0; i < inner; i++) {
                        int at = (o * k + j) * inner + i;
                        dx[(o * n + idx[at]) * inner + i] += g[at];
                    }
            x.accumulateFresh(Tensor.wrap(dx, s));
        });
    }

    /**
     * {@code value} where the constant {@code mask} (broadcast) is non-zero, x elsewhere. A filled
     * place no longer depends on x, so its gradient is 0; the rest pass g through. The backward
     * reads the mask again: it is not copied, so do not change it before backward.
     */
    public static Var maskedFill(Var x, Tensor mask, float value) {
        Var out = Var.of("maskedFill", x.value.maskedFill(mask, value), x);
        return out.withBackward(() -> {
            Tensor kept = Tensor.where(mask, Tensor.scalar(0f), out.grad());
            x.accumulate(Arith.sumTo(kept, x.shape()));
        });
    }

    /**
     * cond ? a : b element-wise, the three broadcast together; {@code cond} is a constant (no
     * gradient flows into a condition). d/da = [cond], d/db = [not cond], each summed back to its
     * own shape. Like maskedFill's mask, {@code cond} is read again by the backward, not copied.
     */
    public static Var where(Tensor cond, Var a, Var b) {
        Var out = Var.of("where", Tensor.where(cond, a.value, b.value), a, b);
        return out.withBackward(() -> {
            Tensor g = out.grad(), zero = Tensor.scalar(0f);
            if (a.needsGrad()) a.accumulate(Arith.sumTo(Tensor.where(cond, g, zero), a.shape()));
            if (b.needsGrad()) b.accumulate(Arith.sumTo(Tensor.where(cond, zero, g), b.shape()));
        });
    }

    /** A tensor of {@code shape}, zero except for {@code g} placed at {@code start} along {@code ax}. */
    private static Tensor pasteInto(Tensor g, int[] shape, int ax, int start) {
        int outer = Shape.prod(shape, 0, ax), n = shape[ax], inner = Shape.prod(shape, ax + 1, shape.length);
        int len = g.dim(ax) * inner;
        float[] src = g.data(), dst = new float[Shape.size(shape)];
        for (int o = 0; o < outer; o++) System.arraycopy(src, o * len, dst, (o * n + start) * inner, len);
        return Tensor.wrap(dst, shape);
    }
}
