// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor;

import dev.jaye.tensor.kernels.Attention;
import dev.jaye.tensor.kernels.Elementwise;
import dev.jaye.tensor.kernels.Elementwise.Binary;
import dev.jaye.tensor.kernels.Elementwise.Unary;
import dev.jaye.tensor.kernels.MatMul;
import dev.jaye.tensor.kernels.Norms;
import dev.jaye.tensor.kernels.Reduce;
import dev.jaye.tensor.kernels.Rope;
import dev.jaye.tensor.kernels.Softmax;

import java.util.Arrays;

/**
 * An n-dimensional array of float32, always dense and row-major (see package-info for why).
 *
 * <pre>{@code
 * Tensor x = Tensor.arange(6).reshape(2, 3);   // [[0, 1, 2], [3, 4, 5]]
 * Tensor y = x.add(Tensor.of(new float[]{10, 20, 30}, 3)).sum(1, false);   // [63, 72]
 * }</pre>
 *
 * <p>Every op returns a new tensor and leaves its inputs alone, except {@link #reshape}/{@link
 * #view}, which share the storage (nothing moves in a dense reshape). The math lives in
 * {@code kernels/}: each kernel class has a scalar reference and a Vector API version.
 */
public final class Tensor {
    private final float[] data;
    private final int[] shape;

    private Tensor(float[] data, int[] shape) {
        this.data = data;
        this.shape = shape;
    }

    // ------------------------------------------------------------------ creation

    /** A tensor over {@code data} (not copied) with the given shape. */
    public static Tensor wrap(float[] data, int... shape) {
        int n = Shape.size(shape);
        if (data.length != n) throw new IllegalArgumentException(
                "data has " + data.length + " values but shape " + Shape.str(shape) + " needs " + n);
        return new Tensor(data, shape.clone());
    }

    /** A tensor holding a copy of {@code data}. */
    public static Tensor of(float[] data, int... shape) {
        return wrap(data.clone(), shape);
    }

    /** A rank-0 tensor (shape []). */
    public static Tensor scalar(float v) {
        return new Tensor(new float[]{v}, new int[0]);
    }

    public static Tensor zeros(int... shape) {
        return new Tensor(new float[Shape.size(shape)], shape.clone());
    }

    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    public static Tensor full(float value, int... shape) {
        Tensor t = zeros(shape);
        Arrays.fill(t.data, value);
        return t;
    }

    /** 0, 1, ..., n-1. */
    public static Tensor arange(int n) {
        return arange(0, n, 1);
    }

    /** start, start+step, ... up to (not including) end. */
    public static Tensor arange(float start, float end, float step) {
        if (step == 0 || !Float.isFinite(start) || !Float.isFinite(end) || !Float.isFinite(step))
            throw new IllegalArgumentException("arange(" + start + ", " + end + ", " + step + "): step must be non-zero, all finite");
        int n = Math.max(0, (int) Math.ceil((end - start) / (double) step));
        Tensor t = zeros(n);
        for (int i = 0; i < n; i++) t.data[i] = start + i * step;
        return t;
    }

    /** Standard normal values times {@code std}, drawn in order from {@code rng}. */
    public static Tensor randn(Rng rng, float std, int... shape) {
        Tensor t = zeros(shape);
        for (int i = 0; i < t.data.length; i++) t.data[i] = std * rng.normal();
        return t;
    }

    /** Uniform values in [lo, hi), drawn in order from {@code rng}. */
    public static Tensor rand(Rng rng, float lo, float hi, int... shape) {
        Tensor t = zeros(shape);
        for (int i = 0; i < t.data.length; i++) t.data[i] = rng.uniform(lo, hi);
        return t;
    }

    // ------------------------------------------------------------------ access

    public int[] shape() {
        return shape.clone();
    }

    /** Size of one axis; negative axes count from the end. */
    public int dim(int axis) {
        return shape[Shape.axis(axis, shape)];
    }

    public int rank() {
        return shape.length;
    }

    public int size() {
        return data.length;
    }

    /** The storage itself, row-major: writes show through. Kernels and autograd work on it. */
    public float[] data() {
        return data;
    }

    /** How many values are NaN or infinite: a weight file, a checkpoint or a loaded model is good only at 0. */
    public long nonFiniteCount() {
        long bad = 0;
        for (float x : data) if (!Float.isFinite(x)) bad++;
        return bad;
    }

    /** A copy of the values. */
    public float[] toArray() {
        return data.clone();
    }

    public Tensor copy() {
        return new Tensor(data.clone(), shape.clone());
    }

    /** The one value of a tensor of size 1. */
    public float item() {
        if (data.length != 1) throw new IllegalStateException("item() needs one element, shape is " + Shape.str(shape));
        return data[0];
    }

    public float get(int... index) {
        return data[offset(index)];
    }

    public void set(float value, int... index) {
        data[offset(index)] = value;
    }

    private int offset(int[] index) {
        if (index.length != shape.length) throw new IllegalArgumentException(
                "index " + Arrays.toString(index) + " has rank " + index.length + ", tensor shape is " + Shape.str(shape));
        int off = 0;
        for (int i = 0; i < shape.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) throw new IndexOutOfBoundsException(
                    "index " + Arrays.toString(index) + " is outside shape " + Shape.str(shape));
            off = off * shape[i] + index[i];
        }
        return off;
    }

    // ------------------------------------------------------------------ shape ops

    /** The same storage under another shape; one dimension may be -1 (inferred). */
    public Tensor reshape(int... newShape) {
        int[] s = newShape.clone();
        int infer = -1, known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("reshape " + Shape.str(shape) + " -> " + Shape.str(newShape) + ": only one -1 allowed");
                infer = i;
            } else if (s[i] < 0) {
                throw new IllegalArgumentException("reshape " + Shape.str(shape) + " -> " + Shape.str(newShape) + ": negative dimension");
            } else {
                known *= s[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || data.length % known != 0) throw new IllegalArgumentException(
                    "cannot reshape " + Shape.str(shape) + " (" + data.length + " values) to " + Shape.str(newShape));
            s[infer] = data.length / known;
        }
        if (Shape.size(s) != data.length) throw new IllegalArgumentException(
                "cannot reshape " + Shape.str(shape) + " (" + data.length + " values) to " + Shape.str(newShape));
        return new Tensor(data, s);
    }

    /** Same as {@link #reshape}: a dense tensor can always be viewed under another shape. */
    public Tensor view(int... newShape) {
        return reshape(newShape);
    }

    /** Axes reordered: output axis i is input axis {@code perm[i]}. Copies. */
    public Tensor permute(int... perm) {
        int r = shape.length;
        if (perm.length != r) throw new IllegalArgumentException("permute " + Arrays.toString(perm) + " does not fit shape " + Shape.str(shape));
        boolean[] seen = new boolean[r];
        int[] outShape = new int[r], inStrides = Shape.strides(shape), stride = new int[r];
        for (int i = 0; i < r; i++) {
            int p = Shape.axis(perm[i], shape);
            if (seen[p]) throw new IllegalArgumentException("permute " + Arrays.toString(perm) + " repeats axis " + p + " (shape " + Shape.str(shape) + ")");
            seen[p] = true;
            outShape[i] = shape[p];
            stride[i] = inStrides[p];
        }
        Tensor out = zeros(outShape);
        copyStrided(data, 0, stride, out.data, outShape);
        return out;
    }

    /** Swaps two axes. Copies. */
    public Tensor transpose(int a, int b) {
        int[] perm = new int[shape.length];
        for (int i = 0; i < perm.length; i++) perm[i] = i;
        a = Shape.axis(a, shape);
        b = Shape.axis(b, shape);
        perm[a] = b;
        perm[b] = a;
        return permute(perm);
    }

    /** Indices [start, end) along {@code axis}. Copies. */
    public Tensor slice(int axis, int start, int end) {
        int ax = Shape.axis(axis, shape);
        if (start < 0 || end > shape[ax] || start > end) throw new IllegalArgumentException(
                "slice [" + start + ", " + end + ") is outside axis " + axis + " of shape " + Shape.str(shape));
        int[] outShape = shape.clone();
        outShape[ax] = end - start;
        int outer = Shape.prod(shape, 0, ax), inner = Shape.prod(shape, ax + 1, shape.length);
        Tensor out = zeros(outShape);
        int len = (end - start) * inner;
        for (int o = 0; o < outer; o++)
            System.arraycopy(data, (o * shape[ax] + start) * inner, out.data, o * len, len);
        return out;
    }

    /** Joins tensors along {@code axis}; all other dimensions must agree. */
    public static Tensor concat(int axis, Tensor... ts) {
        if (ts.length == 0) throw new IllegalArgumentException("concat of no tensors");
        int[] first = ts[0].shape;
        int ax = Shape.axis(axis, first), total = 0;
        for (Tensor t : ts) {
            boolean ok = t.shape.length == first.length;
            for (int i = 0; ok && i < first.length; i++) ok = i == ax || t.shape[i] == first[i];
            if (!ok) throw new IllegalArgumentException("concat along axis " + axis + ": shape " + Shape.str(t.shape)
                    + " does not match " + Shape.str(first));
            total += t.shape[ax];
        }
        int[] outShape = first.clone();
        outShape[ax] = total;
        Tensor out = zeros(outShape);
        int outer = Shape.prod(first, 0, ax), inner = Shape.prod(first, ax + 1, first.length), at = 0;
        for (Tensor t : ts) {
            int len = t.shape[ax] * inner;
            for (int o = 0; o < outer; o++) System.arraycopy(t.data, o * len, out.data, o * total * inner + at, len);
            at += len;
        }
        return out;
    }

    /** Cuts along {@code axis} into pieces of the given sizes (they must add up to the axis). */
    public Tensor[] split(int axis, int... sizes) {
        int ax = Shape.axis(axis, shape), sum = 0;
        for (int s : sizes) sum += s;
        if (sum != shape[ax]) throw new IllegalArgumentException("split sizes " + Arrays.toString(sizes)
                + " add up to " + sum + ", axis " + axis + " of shape " + Shape.str(shape) + " is " + shape[ax]);
        Tensor[] out = new Tensor[sizes.length];
        for (int i = 0, at = 0; i < sizes.length; at += sizes[i], i++) out[i] = slice(ax, at, at + sizes[i]);
        return out;
    }

    /** Stacks equal-shaped tensors along a new axis. */
    public static Tensor stack(int axis, Tensor... ts) {
        if (ts.length == 0) throw new IllegalArgumentException("stack of no tensors");
        int[] s = ts[0].shape;
        int r = s.length + 1, ax = axis < 0 ? axis + r : axis;
        if (ax < 0 || ax >= r) throw new IllegalArgumentException("axis " + axis + " is out of range for stacking shape " + Shape.str(s));
        Tensor[] parts = new Tensor[ts.length];
        for (int i = 0; i < ts.length; i++) {
            if (!Arrays.equals(ts[i].shape, s)) throw new IllegalArgumentException(
                    "stack: shape " + Shape.str(ts[i].shape) + " differs from " + Shape.str(s));
            int[] ns = new int[r];
            for (int d = 0, j = 0; d < r; d++) ns[d] = d == ax ? 1 : s[j++];
            parts[i] = ts[i].reshape(ns);
        }
        return concat(ax, parts);
    }

    /** Materialises a broadcast to {@code newShape} (NumPy rules). */
    public Tensor expand(int... newShape) {
        int[] b = Shape.broadcast(shape, newShape);
        if (!Arrays.equals(b, newShape)) throw new IllegalArgumentException("cannot expand " + Shape.str(shape) + " to " + Shape.str(newShape));
        Tensor out = zeros(newShape);
        copyStrided(data, 0, Shape.broadcastStrides(shape, newShape), out.data, newShape);
        return out;
    }

    /** Rows {@code index} along {@code axis} (an embedding lookup is indexSelect(0, ids)). */
    public Tensor indexSelect(int axis, int... index) {
        int ax = Shape.axis(axis, shape);
        int outer = Shape.prod(shape, 0, ax), inner = Shape.prod(shape, ax + 1, shape.length), n = shape[ax];
        for (int i : index) if (i < 0 || i >= n) throw new IndexOutOfBoundsException(
                "index " + i + " is outside axis " + axis + " (size " + n + ") of shape " + Shape.str(shape));
        int[] outShape = shape.clone();
        outShape[ax] = index.length;
        Tensor out = zeros(outShape);
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < index.length; i++)
                System.arraycopy(data, (o * n + index[i]) * inner, out.data, (o * index.length + i) * inner, inner);
        return out;
    }

    /**
     * torch.gather: {@code out[.., i, ..] = x[.., index[.., i, ..], ..]} along {@code axis}. The
     * index has this tensor's shape except along {@code axis}, where it has k entries
     * (k = index.length / the other dimensions); the output has that shape too.
     */
    public Tensor gather(int axis, int... index) {
        int ax = Shape.axis(axis, shape);
        int outer = Shape.prod(shape, 0, ax), inner = Shape.prod(shape, ax + 1, shape.length), n = shape[ax];
        int rest = outer * inner;
        if (rest == 0 || index.length % rest != 0) throw new IllegalArgumentException(
                "gather along axis " + axis + " of " + Shape.str(shape) + ": " + index.length + " indices do not fit the other dimensions");
        int k = index.length / rest;
        int[] outShape = shape.clone();
        outShape[ax] = k;
        Tensor out = zeros(outShape);
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < k; j++)
                for (int i = 0; i < inner; i++) {
                    int at = (o * k + j) * inner + i, src = index[at];
                    if (src < 0 || src >= n) throw new IndexOutOfBoundsException(
                            "gather index " + src + " is outside axis " + axis + " (size " + n + ") of shape " + Shape.str(shape));
                    out.data[at] = data[(o * n + src) * inner + i];
                }
        return out;
    }

    /** Where {@code mask} (broadcast to this shape) is non-zero, {@code value}; elsewhere this. */
    public Tensor maskedFill(Tensor mask, float value) {
        return where(mask, scalar(value), this);
    }

    /** cond ? a : b element by element, the three broadcast together; cond is true where non-zero. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        int[] s = Shape.broadcast(Shape.broadcast(cond.shape, a.shape), b.shape);
        Tensor c = cond.expand(s), x = a.expand(s), y = b.expand(s), out = zeros(s);
        for (int i = 0; i < out.data.length; i++) out.data[i] = c.data[i] != 0f ? x.data[i] : y.data[i];
        return out;
    }

    /** Copies {@code src} read with the given strides (0 = broadcast) into dense {@code dst} of {@code shape}. */
    private static void copyStrided(float[] src, int srcOff, int[] stride, float[] dst, int[] shape) {
        int r = shape.length;
        if (dst.length == 0) return;
        if (r == 0) {
            dst[0] = src[srcOff];
            return;
        }
        int last = shape[r - 1], ls = stride[r - 1];
        Parallel.forRange(dst.length / last, (long) last * Parallel.ELEMENT_WORK, (row0, row1) -> {   // rows of the last axis
            int[] idx = new int[r];
            for (int i = r - 2, rest = row0; i >= 0; i--) {          // the first row's index
                idx[i] = rest % shape[i];
                rest /= shape[i];
            }
            for (int d = row0 * last; d < row1 * last; d += last) {
                int off = srcOff;
                for (int i = 0; i < r - 1; i++) off += idx[i] * stride[i];
                if (ls == 1) System.arraycopy(src, off, dst, d, last);
                else for (int j = 0; j < last; j++) dst[d + j] = src[off + j * ls];
                for (int i = r - 2; i >= 0 && ++idx[i] == shape[i]; i--) idx[i] = 0;
            }
        });
    }

    // ------------------------------------------------------------------ element-wise

    private Tensor unary(Unary op) {
        Tensor out = zeros(shape);
        Elementwise.unary(op, data, 0, out.data, 0, data.length);
        return out;
    }

    public Tensor neg() { return unary(Unary.NEG); }
    public Tensor exp() { return unary(Unary.EXP); }
    public Tensor log() { return unary(Unary.LOG); }
    public Tensor sqrt() { return unary(Unary.SQRT); }
    public Tensor rsqrt() { return unary(Unary.RSQRT); }
    public Tensor tanh() { return unary(Unary.TANH); }
    public Tensor sigmoid() { return unary(Unary.SIGMOID); }
    public Tensor relu() { return unary(Unary.RELU); }
    /** GELU, tanh form: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
    public Tensor gelu() { return unary(Unary.GELU); }
    /** SiLU: x·sigmoid(x). */
    public Tensor silu() { return unary(Unary.SILU); }
    public Tensor abs() { return unary(Unary.ABS); }
    public Tensor square() { return unary(Unary.SQUARE); }

    /** x^p element-wise. */
    public Tensor pow(float p) {
        Tensor out = zeros(shape);
        Elementwise.pow(data, p, out.data, data.length);
        return out;
    }

    private Tensor binary(Binary op, Tensor o) {
        Tensor out = zeros(Shape.broadcast(shape, o.shape));
        Elementwise.binary(op, data, shape, o.data, o.shape, out.data, out.shape);
        return out;
    }

    public Tensor add(Tensor o) { return binary(Binary.ADD, o); }
    public Tensor sub(Tensor o) { return binary(Binary.SUB, o); }
    public Tensor mul(Tensor o) { return binary(Binary.MUL, o); }
    public Tensor div(Tensor o) { return binary(Binary.DIV, o); }
    public Tensor maximum(Tensor o) { return binary(Binary.MAX, o); }
    public Tensor minimum(Tensor o) { return binary(Binary.MIN, o); }
    public Tensor add(float v) { return binary(Binary.ADD, scalar(v)); }
    public Tensor sub(float v) { return binary(Binary.SUB, scalar(v)); }
    public Tensor mul(float v) { return binary(Binary.MUL, scalar(v)); }
    public Tensor div(float v) { return binary(Binary.DIV, scalar(v)); }
    /** Comparisons give 1 where true and 0 where false. */
    public Tensor eq(Tensor o) { return binary(Binary.EQ, o); }
    public Tensor ne(Tensor o) { return binary(Binary.NE, o); }
    public Tensor lt(Tensor o) { return binary(Binary.LT, o); }
    public Tensor le(Tensor o) { return binary(Binary.LE, o); }
    public Tensor gt(Tensor o) { return binary(Binary.GT, o); }
    public Tensor ge(Tensor o) { return binary(Binary.GE, o); }

    // ------------------------------------------------------------------ reductions

    private Tensor reduce(Reduce.Op op, int axis, boolean keepDims) {
        int ax = Shape.axis(axis, shape);
        Tensor out = zeros(reducedShape(ax, keepDims));
        Reduce.reduce(op, data, Shape.prod(shape, 0, ax), shape[ax], Shape.prod(shape, ax + 1, shape.length), out.data);
        return out;
    }

    private int[] reducedShape(int ax, boolean keepDims) {
        if (keepDims) {
            int[] s = shape.clone();
            s[ax] = 1;
            return s;
        }
        int[] s = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) if (i != ax) s[j++] = shape[i];
        return s;
    }

    public Tensor sum(int axis, boolean keepDims) { return reduce(Reduce.Op.SUM, axis, keepDims); }
    public Tensor mean(int axis, boolean keepDims) { return reduce(Reduce.Op.MEAN, axis, keepDims); }
    public Tensor max(int axis, boolean keepDims) { return reduce(Reduce.Op.MAX, axis, keepDims); }
    /** Population variance (divides by n), as LayerNorm uses it. */
    public Tensor variance(int axis, boolean keepDims) { return reduce(Reduce.Op.VAR, axis, keepDims); }
    /** log Σ exp(x), computed stably (the maximum is taken out first). */
    public Tensor logsumexp(int axis, boolean keepDims) { return reduce(Reduce.Op.LOGSUMEXP, axis, keepDims); }

    /** Sum of every element. */
    public float sum() {
        return reshape(data.length).sum(0, false).item();
    }

    /** Mean of every element. */
    public float mean() {
        return reshape(data.length).mean(0, false).item();
    }

    /** Index of the first maximum along {@code axis}. */
    public int[] argmax(int axis) {
        int ax = Shape.axis(axis, shape);
        int outer = Shape.prod(shape, 0, ax), inner = Shape.prod(shape, ax + 1, shape.length);
        int[] out = new int[outer * inner];
        Reduce.argmax(data, outer, shape[ax], inner, out);
        return out;
    }

    // ------------------------------------------------------------------ fused kernels

    private int rowsOfLast() {
        if (shape.length == 0) throw new IllegalArgumentException("needs rank >= 1, shape is []");
        return data.length / Math.max(1, shape[shape.length - 1]);
    }

    /** Softmax along the last axis. */
    public Tensor softmax() {
        Tensor out = zeros(shape);
        Softmax.softmax(data, out.data, rowsOfLast(), dim(-1));
        return out;
    }

    /** Log-softmax along the last axis. */
    public Tensor logSoftmax() {
        Tensor out = zeros(shape);
        Softmax.logSoftmax(data, out.data, rowsOfLast(), dim(-1));
        return out;
    }

    /** LayerNorm over the last axis with weight and bias [C] (bias may be null). */
    public Tensor layerNorm(Tensor weight, Tensor bias, float eps) {
        int C = dim(-1);
        checkVector("layerNorm weight", weight, C);
        if (bias != null) checkVector("layerNorm bias", bias, C);
        Tensor out = zeros(shape);
        Norms.layerNorm(data, weight.data, bias == null ? null : bias.data, eps, rowsOfLast(), C, out.data, null, null);
        return out;
    }

    /** RMSNorm over the last axis with weight [C]. */
    public Tensor rmsNorm(Tensor weight, float eps) {
        int C = dim(-1);
        checkVector("rmsNorm weight", weight, C);
        Tensor out = zeros(shape);
        Norms.rmsNorm(data, weight.data, eps, rowsOfLast(), C, out.data, null);
        return out;
    }

    private void checkVector(String what, Tensor t, int c) {
        if (t.shape.length != 1 || t.shape[0] != c) throw new IllegalArgumentException(
                what + " has shape " + Shape.str(t.shape) + ", input " + Shape.str(shape) + " needs [" + c + "]");
    }

    /** Rotary embedding (rotate-half) of a [B, H, T, D] tensor; pos has T or B·T positions. */
    public Tensor rope(int[] pos, float theta) {
        if (shape.length != 4 || shape[3] % 2 != 0) throw new IllegalArgumentException(
                "rope needs [B, H, T, D] with D even, shape is " + Shape.str(shape));
        int B = shape[0], H = shape[1], T = shape[2], D = shape[3];
        if (pos.length != T && pos.length != B * T) throw new IllegalArgumentException(
                "rope: " + pos.length + " positions for shape " + Shape.str(shape) + " (need T=" + T + " or B*T=" + B * T + ")");
        Tensor out = zeros(shape);
        Rope.rope(data, out.data, B, H, T, D, pos, theta, false);
        return out;
    }

    /** Matrix product A·B over the last two axes; leading (batch) axes must match, or B is 2-D. */
    public Tensor matmul(Tensor b) {
        return matmul(this, b, false, false);
    }

    /**
     * op(A)·op(B) over the last two axes: with {@code transA} A is read as its transpose
     * (Aᵀ·B), with {@code transB} B is (A·Bᵀ); nothing is transposed in memory. Batch axes of A
     * must equal B's, or B is 2-D and shared by the whole batch.
     */
    public static Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        if (a.rank() < 2 || b.rank() < 2) throw new IllegalArgumentException(
                "matmul needs rank >= 2, shapes are " + Shape.str(a.shape) + " and " + Shape.str(b.shape));
        int ra = a.rank(), rb = b.rank();
        int M = transA ? a.shape[ra - 1] : a.shape[ra - 2], Ka = transA ? a.shape[ra - 2] : a.shape[ra - 1];
        int Kb = transB ? b.shape[rb - 1] : b.shape[rb - 2], N = transB ? b.shape[rb - 2] : b.shape[rb - 1];
        boolean batchOk = rb == 2 || Arrays.equals(Arrays.copyOf(a.shape, ra - 2), Arrays.copyOf(b.shape, rb - 2));
        if (Ka != Kb || !batchOk) throw new IllegalArgumentException("matmul" + (transA ? " (A transposed)" : "")
                + (transB ? " (B transposed)" : "") + ": shapes " + Shape.str(a.shape) + " and " + Shape.str(b.shape) + " do not fit");
        int[] outShape = Arrays.copyOf(a.shape, ra);
        outShape[ra - 2] = M;
        outShape[ra - 1] = N;
        Tensor out = zeros(outShape);
        int batch = Shape.prod(a.shape, 0, ra - 2);
        MatMul.batched(batch, a.data, 0, M * Ka, b.data, 0, rb == 2 ? 0 : Kb * N, out.data, 0, M * N,
                M, N, Ka, transA, transB, false);
        return out;
    }

    /**
     * Scaled-dot-product attention, softmax(q·kᵀ/√D)·v. q [B, H, Tq, D], k and v [B, Hkv, Tk, D]
     * (Hkv divides H). {@code keyMask} [B, Tk] (1 = attend, 0 = padding) may be null.
     */
    public static Tensor attention(Tensor q, Tensor k, Tensor v, boolean causal, Tensor keyMask) {
        if (q.rank() != 4 || k.rank() != 4 || !Arrays.equals(k.shape, v.shape) || q.shape[0] != k.shape[0]
                || q.shape[3] != k.shape[3] || k.shape[1] == 0 || q.shape[1] % k.shape[1] != 0)
            throw new IllegalArgumentException("attention needs q [B,H,Tq,D] and k, v [B,Hkv,Tk,D] with Hkv dividing H; shapes are "
                    + Shape.str(q.shape) + ", " + Shape.str(k.shape) + ", " + Shape.str(v.shape));
        int B = q.shape[0], H = q.shape[1], Tq = q.shape[2], D = q.shape[3], Hkv = k.shape[1], Tk = k.shape[2];
        if (keyMask != null && !Arrays.equals(keyMask.shape, new int[]{B, Tk})) throw new IllegalArgumentException(
                "attention keyMask has shape " + Shape.str(keyMask.shape) + ", needs [" + B + ", " + Tk + "]");
        Tensor out = zeros(q.shape);
        Attention.attention(q.data, k.data, v.data, B, H, Hkv, Tq, Tk, D, (float) (1 / Math.sqrt(D)), causal,
                keyMask == null ? null : keyMask.data, out.data, null);
        return out;
    }

    // ------------------------------------------------------------------ printing

    /** Shape and a summary of values: what a reader wants to see in a debugger or a log. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(Shape.str(shape));
        if (data.length == 0) return sb.append(" (empty)").toString();
        double sum = 0, sq = 0;
        float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
        for (float v : data) {
            sum += v;
            sq += (double) v * v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double mean = sum / data.length, std = Math.sqrt(Math.max(0, sq / data.length - mean * mean));
        sb.append(String.format(" mean=%.4g std=%.4g min=%.4g max=%.4g [", mean, std, min, max));
        int show = Math.min(6, data.length);
        for (int i = 0; i < show; i++) sb.append(i > 0 ? ", " : "").append(String.format("%.4g", data[i]));
        return sb.append(data.length > show ? ", ...]" : "]").toString();
    }
}
