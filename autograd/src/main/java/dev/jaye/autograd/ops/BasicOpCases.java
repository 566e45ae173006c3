// SPDX-License-Identifier: Apache-2.0
package dev.jaye.autograd.ops;

import dev.jaye.autograd.OpCase;
import dev.jaye.autograd.Var;
import dev.jaye.tensor.Rng;
import dev.jaye.tensor.Shape;
import dev.jaye.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Gradcheck cases for the basic ops: {@link Arith}, {@link Pointwise}, {@link Reductions},
 * {@link ShapeOps}, and expressions mixing them.
 *
 * <p>Inputs: random shapes of rank 1-4 with dimensions 1-9 (size-1 dimensions often, so
 * broadcasting and degenerate axes get tested; sizes rarely a multiple of the vector width, so
 * the kernels' scalar tails run too), at most {@link #MAX_SIZE} elements so a check stays cheap
 * (it evaluates the op twice per input element). Binary ops get broadcasting pairs such as
 * [3, 1, 5] with [4, 5], or [] with [2, 3].
 *
 * <p>Domains: a finite difference across a kink (relu and abs at 0, max/min at a tie) is not a
 * derivative, so those inputs stay at least 0.05 (five steps h) away from their kinks; log, sqrt,
 * rsqrt, fractional powers and denominators get values in [0.5, 2] (or [−2, −0.5]).
 *
 * <p>Op parameters (an axis, slice bounds, a permutation, indices) must be the same in every
 * evaluation gradcheck makes, and gradcheck only hands {@code f} the input values. So they are
 * drawn inside {@code f} from a generator seeded by the input shapes ({@link #paramsFor}): the
 * same shapes give the same op, different shapes give different parameters.
 */
public final class BasicOpCases {
    private BasicOpCases() {}

    /** Largest input (elements) a case draws; a check costs about 2·size forward evaluations. */
    public static final int MAX_SIZE = 200;

    public static List<OpCase> all() {
        List<OpCase> all = new ArrayList<>();
        all.addAll(arith());
        all.addAll(pointwise());
        all.addAll(reductions());
        all.addAll(shapeOps());
        all.addAll(composite());
        return all;
    }

    // ------------------------------------------------------------------ Arith

    public static List<OpCase> arith() {
        return List.of(
                new OpCase("add", r -> pair(r, BasicOpCases::normal, BasicOpCases::normal), x -> Arith.add(x[0], x[1])),
                new OpCase("sub", r -> pair(r, BasicOpCases::normal, BasicOpCases::normal), x -> Arith.sub(x[0], x[1])),
                new OpCase("mul", r -> pair(r, BasicOpCases::normal, BasicOpCases::normal), x -> Arith.mul(x[0], x[1])),
                new OpCase("div", r -> pair(r, BasicOpCases::normal, BasicOpCases::awayFromZeroWide), x -> Arith.div(x[0], x[1])),
                new OpCase("neg", r -> one(r, BasicOpCases::normal), x -> Arith.neg(x[0])),
                new OpCase("add_scalar", r -> one(r, BasicOpCases::normal), x -> Arith.add(x[0], 0.7f)),
                new OpCase("sub_scalar", r -> one(r, BasicOpCases::normal), x -> Arith.sub(x[0], -1.25f)),
                new OpCase("mul_scalar", r -> one(r, BasicOpCases::normal), x -> Arith.mul(x[0], -1.3f)),
                new OpCase("div_scalar", r -> one(r, BasicOpCases::normal), x -> Arith.div(x[0], 2.5f)),
                new OpCase("pow(2)", r -> one(r, BasicOpCases::normal), x -> Arith.pow(x[0], 2f)),
                // (x ± h)³ differ by 6x²h + 2h³: the slope is 3x² + h², so near x = 0 the true 3x² drowns in
                // the h² = 1e-4 truncation error; a one-element input has no larger gradient to judge by
                new OpCase("pow(3)", r -> one(r, BasicOpCases::awayFromZeroWide), x -> Arith.pow(x[0], 3f)),
                new OpCase("pow(0.5)", r -> one(r, BasicOpCases::positive), x -> Arith.pow(x[0], 0.5f)),
                new OpCase("pow(-1.5)", r -> one(r, BasicOpCases::positive), x -> Arith.pow(x[0], -1.5f)),
                // a on odd, b on even multiples of 0.1 (plus jitter): never closer than 0.06, never tied
                new OpCase("maximum", r -> pair(r, (q, s) -> grid(q, s, 1), (q, s) -> grid(q, s, 0)), x -> Arith.maximum(x[0], x[1])),
                new OpCase("minimum", r -> pair(r, (q, s) -> grid(q, s, 1), (q, s) -> grid(q, s, 0)), x -> Arith.minimum(x[0], x[1])));
    }

    // ------------------------------------------------------------------ Pointwise

    public static List<OpCase> pointwise() {
        return List.of(
                new OpCase("exp", r -> one(r, (q, s) -> uniform(q, s, -2, 2)), x -> Pointwise.exp(x[0])),
                new OpCase("log", r -> one(r, BasicOpCases::positive), x -> Pointwise.log(x[0])),
                new OpCase("sqrt", r -> one(r, BasicOpCases::positive), x -> Pointwise.sqrt(x[0])),
                new OpCase("rsqrt", r -> one(r, BasicOpCases::positive), x -> Pointwise.rsqrt(x[0])),
                new OpCase("tanh", r -> one(r, (q, s) -> uniform(q, s, -3, 3)), x -> Pointwise.tanh(x[0])),
                new OpCase("sigmoid", r -> one(r, (q, s) -> uniform(q, s, -4, 4)), x -> Pointwise.sigmoid(x[0])),
                new OpCase("relu", r -> one(r, BasicOpCases::awayFromZero), x -> Pointwise.relu(x[0])),
                // gelu and silu have a minimum (gelu' = 0 at x ≈ −0.752, silu' = 0 at x ≈ −1.278): keep
                // 0.1 away, or a one-element input's gradient is ~0 and only truncation error is left;
                // for the same reason gelu stays above −3 (gelu' → 0 fast on the left: −0.0005 at −4)
                new OpCase("gelu", r -> one(r, (q, s) -> avoiding(q, s, -3, 3, -0.7518f)), x -> Pointwise.gelu(x[0])),
                new OpCase("silu", r -> one(r, (q, s) -> avoiding(q, s, -4, 4, -1.2785f)), x -> Pointwise.silu(x[0])),
                new OpCase("abs", r -> one(r, BasicOpCases::awayFromZero), x -> Pointwise.abs(x[0])),
                new OpCase("square", r -> one(r, BasicOpCases::normal), x -> Pointwise.square(x[0])));
    }

    // ------------------------------------------------------------------ Reductions

    public static List<OpCase> reductions() {
        return List.of(
                reduction("sum", BasicOpCases::normal, Reductions::sum),
                reduction("mean", BasicOpCases::normal, Reductions::mean),
                reduction("max", (q, s) -> grid(q, s, 0), Reductions::max),   // distinct values: one clear winner
                reduction("variance", BasicOpCases::normal, Reductions::variance),
                reduction("logsumexp", (q, s) -> uniform(q, s, -3, 3), Reductions::logsumexp),
                new OpCase("sumAll", r -> one(r, BasicOpCases::normal), x -> Reductions.sumAll(x[0])),
                new OpCase("meanAll", r -> one(r, BasicOpCases::normal), x -> Reductions.meanAll(x[0])));
    }

    private interface Reduction {
        Var apply(Var x, int axis, boolean keepDims);
    }

    /** A reduction along an axis drawn from the shape (sometimes written negative), keepDims either way. */
    private static OpCase reduction(String name, Values values, Reduction op) {
        return new OpCase(name, r -> one(r, values), x -> {
            Rng p = paramsFor(x);
            int rank = x[0].value.rank(), axis = p.nextInt(rank);
            if (p.nextInt(2) == 0) axis -= rank;
            return op.apply(x[0], axis, p.nextInt(2) == 0);
        });
    }

    // ------------------------------------------------------------------ ShapeOps

    public static List<OpCase> shapeOps() {
        return List.of(
                new OpCase("reshape", r -> one(r, BasicOpCases::normal), x -> ShapeOps.reshape(x[0], factorization(paramsFor(x), x[0].value.size()))),
                new OpCase("permute", r -> one(r, BasicOpCases::normal), x -> ShapeOps.permute(x[0], paramsFor(x).permutation(x[0].value.rank()))),
                new OpCase("transpose", r -> new Tensor[]{normal(r, shape(r, 2, 4))}, x -> {
                    Rng p = paramsFor(x);
                    int rank = x[0].value.rank();
                    return ShapeOps.transpose(x[0], p.nextInt(rank), p.nextInt(rank) - rank);   // also a negative axis
                }),
                new OpCase("slice", r -> one(r, BasicOpCases::normal), x -> {
                    Rng p = paramsFor(x);
                    int axis = p.nextInt(x[0].value.rank()), n = x[0].value.dim(axis);
                    int start = p.nextInt(n), end = start + 1 + p.nextInt(n - start);
                    return ShapeOps.slice(x[0], axis, start, end);
                }),
                new OpCase("concat", BasicOpCases::concatInputs, x -> ShapeOps.concat(concatAxis(x), x)),
                new OpCase("split", r -> one(r, BasicOpCases::normal), BasicOpCases::splitAndRejoin),
                new OpCase("stack", r -> {
                    int[] s = shape(r, 1, 3);
                    Tensor[] t = new Tensor[2 + r.nextInt(2)];
                    for (int i = 0; i < t.length; i++) t[i] = normal(r, s);
                    return t;
                }, x -> {
                    int r = x[0].value.rank() + 1;
                    return ShapeOps.stack(paramsFor(x).nextInt(2 * r) - r, x);   // axis in [−r, r)
                }),
                new OpCase("expand", r -> one(r, BasicOpCases::normal), x -> ShapeOps.expand(x[0], expandedShape(paramsFor(x), x[0].shape()))),
                new OpCase("indexSelect", r -> one(r, BasicOpCases::normal), x -> {
                    Rng p = paramsFor(x);
                    int axis = p.nextInt(x[0].value.rank());
                    return ShapeOps.indexSelect(x[0], axis, indices(p, 1 + p.nextInt(x[0].value.dim(axis) + 3), x[0].value.dim(axis)));
                }),
                new OpCase("embedding", r -> new Tensor[]{normal(r, 1 + r.nextInt(9), 1 + r.nextInt(9))}, x -> {
                    Rng p = paramsFor(x);
                    int vocab = x[0].value.dim(0);
                    return ShapeOps.embedding(x[0], indices(p, 1 + p.nextInt(12), vocab));   // repeated ids are likely
                }),
                new OpCase("gather", r -> one(r, BasicOpCases::normal), x -> {
                    Rng p = paramsFor(x);
                    int[] s = x[0].shape();
                    int axis = p.nextInt(s.length), k = 1 + p.nextInt(4);
                    return ShapeOps.gather(x[0], axis, indices(p, Shape.size(s) / s[axis] * k, s[axis]));
                }),
                new OpCase("maskedFill", r -> one(r, BasicOpCases::normal), x -> {
                    Rng p = paramsFor(x);
                    return ShapeOps.maskedFill(x[0], mask(p, maskShape(p, x[0].shape())), -2.5f);
                }),
                new OpCase("where", r -> pair(r, BasicOpCases::normal, BasicOpCases::normal), x -> {
                    Rng p = paramsFor(x);
                    int[] s = Shape.broadcast(x[0].shape(), x[1].shape());
                    return ShapeOps.where(mask(p, maskShape(p, s)), x[0], x[1]);
                }));
    }

    /** 2-3 pieces that agree except along one axis, where their sizes are drawn (1-5). */
    private static Tensor[] concatInputs(Rng r) {
        int[] s = shape(r, 1, 3);
        int axis = r.nextInt(s.length);
        Tensor[] t = new Tensor[2 + r.nextInt(2)];
        for (int i = 0; i < t.length; i++) {
            int[] si = s.clone();
            si[axis] = 1 + r.nextInt(5);
            t[i] = normal(r, si);
        }
        return t;
    }

    /** The axis where the pieces differ; if they are all alike, one drawn from their shape. */
    private static int concatAxis(Var[] x) {
        int[] s = x[0].shape();
        for (Var v : x) for (int i = 0; i < s.length; i++) if (v.value.dim(i) != s[i]) return i;
        return paramsFor(x).nextInt(s.length);
    }

    /**
     * Splits into 1-3 pieces and joins them back in reverse order (so a piece's gradient must come
     * back from a different place than it went), leaving out the middle one of three (an unused
     * piece must send back nothing).
     */
    private static Var splitAndRejoin(Var[] x) {
        Rng p = paramsFor(x);
        int axis = p.nextInt(x[0].value.rank()), n = x[0].value.dim(axis);
        int[] sizes = partition(p, n, 1 + p.nextInt(Math.min(3, n)));
        Var[] pieces = ShapeOps.split(x[0], axis, sizes);
        List<Var> used = new ArrayList<>();
        for (int i = pieces.length - 1; i >= 0; i--) if (pieces.length < 3 || i != 1) used.add(pieces[i]);
        return ShapeOps.concat(axis, used.toArray(Var[]::new));
    }

    // ------------------------------------------------------------------ composite

    public static List<OpCase> composite() {
        return List.of(
                // micrograd style: a neuron-ish expression with broadcasting, reuse (a appears three
                // times, d twice) and most pointwise ops; x[2] is a bias along a's last axis
                new OpCase("composite", r -> {
                    // Gradcheck judges each input against its own largest gradient, and the float32
                    // rounding noise and the h² truncation error do not shrink with it. So no input is
                    // tiny (the gradient of a one- or two-element input, a weighted sum over all outputs,
                    // can cancel to ~0), and |a| is in [0.5, 2]: b's gradient is proportional to a (too
                    // small when every a is near 0) and its third derivative to a³ (too curvy for
                    // h = 1e-2 when a is large). With a ~ N(0, 1) and small inputs this failed about
                    // 1 seed in 2000; as drawn here, 2 in 20000 (just over tolerance, at 2.3e-2).
                    // Scalar [] broadcasting is covered by the arith and where cases.
                    int[] sa, sb;
                    do sa = shape(r, 1, 4); while (sa[sa.length - 1] < 4);
                    do sb = broadcastableTo(r, sa); while (Shape.size(sb) < 4);
                    return new Tensor[]{awayFromZeroWide(r, sa), normal(r, sb), normal(r, sa[sa.length - 1])};
                }, x -> {
                    Var a = x[0], b = x[1], c = x[2];
                    Var d = Arith.add(Arith.mul(a, b), c);
                    Var bump = Arith.mul(Pointwise.tanh(d), Pointwise.exp(Arith.mul(Pointwise.square(d), -0.5f)));
                    Var soft = Arith.div(Pointwise.silu(a), Arith.add(Pointwise.square(b), 1f));
                    Var gate = Pointwise.sigmoid(Arith.sub(Arith.mul(a, a), 0.5f));
                    Var y = Arith.add(Arith.mul(Arith.sub(bump, soft), gate), Pointwise.log(Arith.add(Pointwise.square(c), 1f)));
                    return Reductions.mean(y, -1, false);
                }),
                // log-softmax from logsumexp, then picking one entry per row (a cross-entropy)
                new OpCase("logSoftmaxPick", r -> new Tensor[]{uniform(r, new int[]{1 + r.nextInt(9), 1 + r.nextInt(9)}, -3, 3)}, x -> {
                    int rows = x[0].value.dim(0), classes = x[0].value.dim(1);
                    Var logp = Arith.sub(x[0], Reductions.logsumexp(x[0], 1, true));
                    int[] target = indices(paramsFor(x), rows, classes);
                    return Arith.neg(Reductions.meanAll(ShapeOps.gather(logp, 1, target)));
                }));
    }

    // ------------------------------------------------------------------ shapes

    /** A random shape of rank minRank..maxRank, dims 1-9 (1 a quarter of the time), at most MAX_SIZE elements. */
    static int[] shape(Rng r, int minRank, int maxRank) {
        int[] s = new int[minRank + r.nextInt(maxRank - minRank + 1)];
        for (int i = 0; i < s.length; i++) s[i] = r.nextInt(4) == 0 ? 1 : 1 + r.nextInt(9);
        return capped(s);
    }

    /** Halves the largest dimension until the shape fits MAX_SIZE. */
    private static int[] capped(int[] s) {
        while (Shape.size(s) > MAX_SIZE) {
            int big = 0;
            for (int i = 1; i < s.length; i++) if (s[i] > s[big]) big = i;
            s[big] = (s[big] + 1) / 2;
        }
        return s;
    }

    /** Two shapes that broadcast together: equal a quarter of the time, else each a broadcastable part of a common shape. */
    static int[][] broadcastShapes(Rng r) {
        int[] out = shape(r, 1, 4);
        if (r.nextInt(4) == 0) return new int[][]{out, out.clone()};
        return new int[][]{broadcastableTo(r, out), broadcastableTo(r, out)};
    }

    /** Drops some leading axes of {@code out} (possibly all: shape []) and sets some others to 1. */
    private static int[] broadcastableTo(Rng r, int[] out) {
        int drop = r.nextInt(3) == 0 ? r.nextInt(out.length + 1) : 0;
        int[] s = Arrays.copyOfRange(out, drop, out.length);
        for (int i = 0; i < s.length; i++) if (r.nextInt(3) == 0) s[i] = 1;
        return s;
    }

    // ------------------------------------------------------------------ values

    /** Fills a tensor of a given shape from the generator. */
    private interface Values {
        Tensor draw(Rng r, int... shape);
    }

    private static Tensor[] one(Rng r, Values v) {
        return new Tensor[]{v.draw(r, shape(r, 1, 4))};
    }

    private static Tensor[] pair(Rng r, Values va, Values vb) {
        int[][] s = broadcastShapes(r);
        return new Tensor[]{va.draw(r, s[0]), vb.draw(r, s[1])};
    }

    static Tensor normal(Rng r, int... shape) {
        return Tensor.randn(r, 1f, shape);
    }

    static Tensor uniform(Rng r, int[] shape, float lo, float hi) {
        return Tensor.rand(r, lo, hi, shape);
    }

    /** [0.5, 2]: for log, sqrt, rsqrt, fractional powers. */
    static Tensor positive(Rng r, int... shape) {
        return Tensor.rand(r, 0.5f, 2f, shape);
    }

    /** Uniform in [−2, 2] with |x| ≥ 0.05: five steps h from the kink of relu and abs. */
    static Tensor awayFromZero(Rng r, int... shape) {
        Tensor t = Tensor.rand(r, -2f, 2f, shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) if (Math.abs(d[i]) < 0.05f) d[i] = d[i] < 0 ? d[i] - 0.05f : d[i] + 0.05f;
        return t;
    }

    /** Uniform in [lo, hi), moved to at least 0.1 from {@code point} (a stationary point of the function). */
    static Tensor avoiding(Rng r, int[] shape, float lo, float hi, float point) {
        Tensor t = Tensor.rand(r, lo, hi, shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) if (Math.abs(d[i] - point) < 0.1f) d[i] += d[i] < point ? -0.1f : 0.1f;
        return t;
    }

    /** ±[0.5, 2]: denominators (far enough from 0 that 1/b is smooth over a step), and x³ (see pow(3)). */
    static Tensor awayFromZeroWide(Rng r, int... shape) {
        Tensor t = Tensor.rand(r, 0.5f, 2f, shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) if (r.nextInt(2) == 0) d[i] = -d[i];
        return t;
    }

    /**
     * Distinct values: (2k + parity)·0.1 plus jitter in ±0.02, k a shuffled index (so no two
     * elements of a tensor share k). Values of different parity are at least 0.06 apart, and so
     * are any two of one tensor: no ties for max, maximum or minimum to stumble on.
     */
    static Tensor grid(Rng r, int[] shape, int parity) {
        int n = Shape.size(shape);
        int[] k = r.permutation(n);
        float[] d = new float[n];
        for (int i = 0; i < n; i++) d[i] = (2 * (k[i] - n / 2) + parity) * 0.1f + r.uniform(-0.02f, 0.02f);
        return Tensor.wrap(d, shape);
    }

    // ------------------------------------------------------------------ op parameters

    /** A generator seeded by the input shapes: the same op parameters in every evaluation of one check. */
    static Rng paramsFor(Var[] x) {
        long h = 17;
        for (Var v : x) h = h * 1_000_003L + Arrays.hashCode(v.shape());
        return new Rng(h);
    }

    /** {@code count} indices in [0, n), repeats allowed. */
    static int[] indices(Rng r, int count, int n) {
        int[] idx = new int[count];
        for (int i = 0; i < count; i++) idx[i] = r.nextInt(n);
        return idx;
    }

    /** {@code n} split into {@code parts} positive sizes. */
    private static int[] partition(Rng r, int n, int parts) {
        int[] sizes = new int[parts];
        Arrays.fill(sizes, 1);
        for (int left = n - parts; left > 0; left--) sizes[r.nextInt(parts)]++;
        return sizes;
    }

    /** A shape of the same size, 1-4 dimensions, sometimes with a −1 for reshape to infer. */
    private static int[] factorization(Rng r, int size) {
        int rank = 1 + r.nextInt(4);
        int[] s = new int[rank];
        int left = size;
        for (int i = 0; i < rank - 1; i++) {
            List<Integer> divisors = new ArrayList<>();
            for (int d = 1; d <= left; d++) if (left % d == 0) divisors.add(d);
            s[i] = divisors.get(r.nextInt(divisors.size()));
            left /= s[i];
        }
        s[rank - 1] = left;
        if (r.nextInt(3) == 0) s[r.nextInt(rank)] = -1;
        return s;
    }

    /** A shape {@code s} broadcasts to: its size-1 axes grown to 2-3, sometimes a new leading axis. */
    private static int[] expandedShape(Rng r, int[] s) {
        int lead = r.nextInt(2);
        int[] t = new int[lead + s.length];
        if (lead == 1) t[0] = 2 + r.nextInt(2);
        for (int i = 0; i < s.length; i++) t[lead + i] = s[i] == 1 && r.nextInt(3) != 0 ? 2 + r.nextInt(2) : s[i];
        return t;
    }

    /** A mask shape that broadcasts with {@code s}: some axes 1, some of s's size-1 axes grown (so s itself is broadcast up). */
    private static int[] maskShape(Rng r, int[] s) {
        int[] m = s.clone();
        for (int i = 0; i < m.length; i++) {
            int pick = r.nextInt(4);
            if (pick == 0) m[i] = 1;
            else if (pick == 1 && m[i] == 1) m[i] = 2;
        }
        return m;
    }

    /** 0/1 values, about half of each. */
    private static Tensor mask(Rng r, int[] shape) {
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) d[i] = r.nextInt(2);
        return t;
    }
}
