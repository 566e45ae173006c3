// SPDX-License-Identifier: Apache-2.0
package dev.jaye.autograd;

import dev.jaye.tensor.Rng;
import dev.jaye.tensor.Shape;
import dev.jaye.tensor.Tensor;

import java.util.Arrays;
import java.util.function.Function;

/**
 * Checks analytic gradients against central finite differences.
 *
 * <p>The function's output is reduced to a scalar L = Σ w·f(x) with fixed random weights w (so
 * every output element matters, with a different weight), L is accumulated in double, and for
 * each input element x_j the numeric slope (L(x_j + h) − L(x_j − h)) / 2h is compared with the
 * analytic dL/dx_j from {@link Var#backward(Tensor)}.
 *
 * <p>Why this is reliable in float32: the kernels are deterministic, so outputs that do not
 * depend on x_j come out bit-identical in both evaluations and cancel exactly; only the outputs
 * x_j touches add rounding noise, about 1e-7·Σ|w·f| / h. With h = 1e-2 that noise and the
 * O(h²) truncation error stay near 1e-4 of the gradient, two orders below the 2e-2 tolerance,
 * while a wrong backward (a missing term, a wrong sign or index, a forgotten broadcast reduction)
 * is off by a sizeable fraction of the gradient. Each element's error is measured relative to
 * max(|analytic|, |numeric|, 5% of the largest numeric gradient of that input), so tiny gradients
 * are not judged on their own rounding noise.
 */
public final class GradCheck {
    private GradCheck() {}

    public static final double STEP = 1e-2;
    public static final double TOLERANCE = 2e-2;

    /** The verdict, with the worst element: which input, its flat index, both gradients. */
    public record Result(String op, String shapes, boolean ok, double worstError, int input, int index,
                         double analytic, double numeric) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%s %s: %s, worst relative error %.2e at input %d index %d (analytic %.6g, numeric %.6g)",
                    op, shapes, ok ? "ok" : "FAILED", worstError, input, index, analytic, numeric);
        }
    }

    /** Checks {@code f} at {@code inputs} with the default step and tolerance. */
    public static Result check(String op, Function<Var[], Var> f, long seed, Tensor... inputs) {
        return check(op, f, seed, STEP, TOLERANCE, inputs);
    }

    public static Result check(String op, Function<Var[], Var> f, long seed, double step, double tolerance, Tensor... inputs) {
        Var[] vars = new Var[inputs.length];
        for (int i = 0; i < inputs.length; i++) vars[i] = Var.param(inputs[i].copy());
        Var out = f.apply(vars);
        Tensor w = Tensor.randn(new Rng(seed), 1f, out.shape());
        out.backward(w);
        float[][] analytic = new float[inputs.length][];
        for (int i = 0; i < inputs.length; i++)
            analytic[i] = vars[i].grad() == null ? new float[inputs[i].size()] : vars[i].grad().data();
        return compare(op, shapes(inputs), analytic, tolerance, (i, j) -> slope(f, inputs, w, i, j, step));
    }

    /**
     * The same check for parameters that a function closes over (a whole model's forward):
     * {@code params} are perturbed in place, one element at a time, and restored.
     */
    public static Result checkParams(String op, java.util.function.Supplier<Var> f, long seed, double step, double tolerance, Var... params) {
        for (Var p : params) p.zeroGrad();
        Var out = f.get();
        Tensor w = Tensor.randn(new Rng(seed), 1f, out.shape());
        out.backward(w);
        float[][] analytic = new float[params.length][];
        Tensor[] values = new Tensor[params.length];
        for (int i = 0; i < params.length; i++) {
            values[i] = params[i].value;
            analytic[i] = params[i].grad() == null ? new float[values[i].size()] : params[i].grad().data().clone();
            params[i].zeroGrad();
        }
        return compare(op, shapes(values), analytic, tolerance, (i, j) -> {
            float[] d = params[i].value.data();
            float x = d[j], up = (float) (x + step), down = (float) (x - step);
            d[j] = up;
            double lUp = weighted(f, w);
            d[j] = down;
            double lDown = weighted(f, w);
            d[j] = x;
            return (lUp - lDown) / ((double) up - down);
        });
    }

    private static double weighted(java.util.function.Supplier<Var> f, Tensor w) {
        try (var g = Var.noGrad()) {
            return dot(f.get().value, w);
        }
    }

    /** The numeric slope of element j of input i. */
    private interface Slope {
        double at(int input, int index);
    }

    /** Compares analytic with numeric gradients element by element and keeps the worst (see the class comment). */
    private static Result compare(String op, String shapes, float[][] analytic, double tolerance, Slope numericSlope) {
        double worst = -1, wa = 0, wn = 0;
        int wi = -1, wj = -1;
        for (int i = 0; i < analytic.length; i++) {
            double[] numeric = new double[analytic[i].length];
            double scale = 0;
            for (int j = 0; j < numeric.length; j++) {
                numeric[j] = numericSlope.at(i, j);
                scale = Math.max(scale, Math.abs(numeric[j]));
            }
            for (int j = 0; j < numeric.length; j++) {
                double a = analytic[i][j];
                double denom = Math.max(Math.max(Math.abs(a), Math.abs(numeric[j])), 0.05 * scale);
                double err = denom == 0 ? 0 : Math.abs(a - numeric[j]) / denom;
                if (err > worst) {
                    worst = err;
                    wi = i;
                    wj = j;
                    wa = a;
                    wn = numeric[j];
                }
            }
        }
        return new Result(op, shapes, worst <= tolerance, Math.max(worst, 0), wi, wj, wa, wn);
    }

    private static String shapes(Tensor[] ts) {
        StringBuilder sb = new StringBuilder();
        for (Tensor t : ts) sb.append(sb.isEmpty() ? "" : " ").append(Shape.str(t.shape()));
        return sb.toString();
    }

    private static double dot(Tensor out, Tensor w) {
        float[] o = out.data(), wd = w.data();
        if (o.length != wd.length) throw new IllegalStateException("output shape changed between evaluations: " + Arrays.toString(out.shape()));
        double l = 0;
        for (int k = 0; k < o.length; k++) l += (double) wd[k] * o[k];
        return l;
    }

    /** (L(x_j + h) − L(x_j − h)) / 2h for element j of input i, evaluated without recording. */
    private static double slope(Function<Var[], Var> f, Tensor[] inputs, Tensor w, int i, int j, double h) {
        float x = inputs[i].data()[j];
        float up = (float) (x + h), down = (float) (x - h);
        double lUp = loss(f, inputs, w, i, j, up), lDown = loss(f, inputs, w, i, j, down);
        return (lUp - lDown) / ((double) up - down);     // the step actually taken, after rounding to float
    }

    private static double loss(Function<Var[], Var> f, Tensor[] inputs, Tensor w, int i, int j, float xj) {
        Var[] vars = new Var[inputs.length];
        for (int k = 0; k < inputs.length; k++) {
            Tensor t = inputs[k].copy();
            if (k == i) t.data()[j] = xj;
            vars[k] = Var.constant(t);
        }
        try (var g = Var.noGrad()) {
            return dot(f.apply(vars).value, w);
        }
    }
}
