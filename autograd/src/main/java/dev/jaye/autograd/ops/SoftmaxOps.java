// SPDX-License-Identifier: Apache-2.0
package dev.jaye.autograd.ops;

import dev.jaye.autograd.Var;
import dev.jaye.tensor.Parallel;
import dev.jaye.tensor.Shape;
import dev.jaye.tensor.Tensor;
import dev.jaye.tensor.kernels.Softmax;

/**
 * Softmax, log-softmax and the fused cross-entropy loss, all along the last axis (rows of n).
 *
 * <p>The one derivative behind all three: for y = softmax(x) in one row,
 * dy_j/dx_i = y_j·(δ_ij − y_i). Rows are independent; each backward below runs rows on threads
 * ({@link Parallel}), one row per thread, so the result does not depend on the thread count.
 */
public final class SoftmaxOps {
    private SoftmaxOps() {}

    /** Rough cost of one element of a backward row, in multiply-adds, for {@link Parallel}. */
    private static final int WORK = 4;

    /**
     * y = softmax(x) along the last axis. Backward, with g = dL/dy:
     * <pre>
     *   dL/dx_i = Σ_j g_j·y_j·(δ_ij − y_i) = y_i·(g_i − Σ_j g_j·y_j)
     * </pre>
     * so one dot product per row and one pass, from the saved output alone.
     */
    public static Var softmax(Var x) {
        Var out = Var.of("softmax", x.value.softmax(), x);
        return out.withBackward(() -> {
            int n = x.value.dim(-1), rows = rows(x.value);
            float[] y = out.value.data(), g = out.grad().data();
            Tensor dx = Tensor.zeros(x.shape());
            float[] d = dx.data();
            Parallel.forRange(rows, (long) n * WORK, (r0, r1) -> {
                for (int r = r0; r < r1; r++) {
                    int o = r * n;
                    float dot = 0f;
                    for (int j = 0; j < n; j++) dot += g[o + j] * y[o + j];
                    for (int i = 0; i < n; i++) d[o + i] = y[o + i] * (g[o + i] - dot);
                }
            });
            x.accumulateFresh(dx);
        });
    }

    /**
     * y = log softmax(x) along the last axis, y_j = x_j − log Σ_k exp(x_k). Backward:
     * <pre>
     *   dy_j/dx_i = δ_ij − softmax(x)_i   ->   dL/dx_i = g_i − softmax(x)_i·Σ_j g_j
     * </pre>
     * softmax(x) = exp(y) is recovered from the saved output; nothing else is kept.
     */
    public static Var logSoftmax(Var x) {
        Var out = Var.of("log_softmax", x.value.logSoftmax(), x);
        return out.withBackward(() -> {
            int n = x.value.dim(-1), rows = rows(x.value);
            float[] y = out.value.data(), g = out.grad().data();
            Tensor dx = Tensor.zeros(x.shape());
            float[] d = dx.data();
            Parallel.forRange(rows, (long) n * WORK, (r0, r1) -> {
                for (int r = r0; r < r1; r++) {
                    int o = r * n;
                    float sum = 0f;
                    for (int j = 0; j < n; j++) sum += g[o + j];
                    for (int i = 0; i < n; i++) d[o + i] = g[o + i] - (float) Math.exp(y[o + i]) * sum;
                }
            });
            x.accumulateFresh(dx);
        });
    }

    /**
     * Mean cross-entropy of the rows of {@code logits} [N, V] (or [..., V], N = all leading
     * axes) against integer {@code targets} [N], as one fused op:
     * <pre>
     *   loss = Σ_i w_i·(−log softmax(x_i)[t_i]) / Σ_i w_i      over rows i with t_i ≠ ignoreIndex
     * </pre>
     * {@code weights} (per row, ≥ 0; null = all 1) let a loss count some tokens more than others;
     * rows whose target is {@code ignoreIndex} (prompt tokens in a response-only loss, padding)
     * count for nothing, in the sum and in the normaliser. When nothing counts (Σ w_i = 0) the
     * loss is defined as 0 with a zero gradient, rather than the NaN of 0/0, so a batch without
     * response tokens is a no-op instead of a poisoned step. (Backward then accumulates nothing,
     * so the ops before it skip their backward too: a zero gradient without the arithmetic.)
     *
     * <p>Backward, with c_i = w_i / Σ_k w_k and g = dL/dloss:
     * <pre>
     *   −log softmax(x_i)[t] = log Σ_j exp(x_ij) − x_it
     *   d/dx_ij               = softmax(x_i)_j − [j = t_i]
     *   dL/dx_ij              = g·c_i·(softmax(x_i)_j − [j = t_i])     (0 for ignored rows)
     * </pre>
     * Why fused: composed from logSoftmax and a gather it would keep the [N, V] log-probabilities
     * for backward, which for a 50k vocabulary is the largest tensor of a step. Here forward keeps
     * nothing but the inputs, and backward recomputes each row's softmax straight into the
     * gradient, then subtracts 1 at the target and scales: one pass, no extra [N, V] buffer.
     */
    public static Var crossEntropy(Var logits, int[] targetsIn, float[] weightsIn, int ignoreIndex) {
        Tensor x = logits.value;
        int[] targets = targetsIn.clone();                       // backward runs later: the caller may reuse its arrays
        float[] weights = weightsIn == null ? null : weightsIn.clone();
        if (x.rank() == 0) throw new IllegalArgumentException("crossEntropy needs logits [N, V], shape is []");
        int V = x.dim(-1), N = Shape.prod(x.shape(), 0, x.rank() - 1);
        if (targets.length != N) throw new IllegalArgumentException(
                "crossEntropy: " + targets.length + " targets for logits " + Shape.str(x.shape()) + " (" + N + " rows)");
        if (weights != null && weights.length != N) throw new IllegalArgumentException(
                "crossEntropy: " + weights.length + " weights for " + N + " rows");
        float[] xd = x.data();
        double wSum = 0;
        for (int i = 0; i < N; i++) {
            if (targets[i] == ignoreIndex) continue;
            if (targets[i] < 0 || targets[i] >= V) throw new IndexOutOfBoundsException(
                    "crossEntropy: target " + targets[i] + " of row " + i + " is outside the vocabulary [0, " + V + ")");
            wSum += weights == null ? 1 : weights[i];
        }

        // Per-row losses on threads (each row whole on one thread), then summed in row order in
        // double: the same bits for any thread count.
        float[] rowLoss = new float[N];
        Parallel.forRange(N, (long) V * 8, (r0, r1) -> {
            float[] logp = new float[V];
            for (int r = r0; r < r1; r++) {
                if (targets[r] == ignoreIndex) continue;
                Softmax.logSoftmaxRow(xd, r * V, logp, 0, V);
                rowLoss[r] = -logp[targets[r]];
            }
        });
        double total = 0;
        for (int i = 0; i < N; i++)
            if (targets[i] != ignoreIndex) total += (weights == null ? 1 : weights[i]) * (double) rowLoss[i];
        float loss = wSum == 0 ? 0f : (float) (total / wSum);
        double norm = wSum;

        Var out = Var.of("cross_entropy", Tensor.scalar(loss), logits);
        return out.withBackward(() -> {
            if (norm == 0) return;                               // nothing counted: zero gradient, nothing to add
            float g = out.grad().item();
            Tensor dx = Tensor.zeros(x.shape());
            float[] d = dx.data();
            Parallel.forRange(N, (long) V * 8, (r0, r1) -> {
                for (int r = r0; r < r1; r++) {
                    if (targets[r] == ignoreIndex) continue;     // its row stays 0
                    int o = r * V;
                    float c = (float) (g * (weights == null ? 1 : weights[r]) / norm);
                    Softmax.softmaxRow(xd, o, d, o, V);          // softmax(x_r), recomputed in place
                    d[o + targets[r]] -= 1f;                     // − onehot(t_r)
                    for (int j = 0; j < V; j++) d[o + j] *= c;
                }
            });
            logits.accumulateFresh(dx);
        });
    }

    private static int rows(Tensor x) {
        return Shape.prod(x.shape(), 0, x.rank() - 1);
    }
}
