// SPDX-License-Identifier: Apache-2.0
package dev.jaye.autograd.ops;

import dev.jaye.autograd.Var;
import dev.jaye.tensor.Shape;
import dev.jaye.tensor.Tensor;
import dev.jaye.tensor.kernels.Elementwise;
import dev.jaye.tensor.kernels.MatMul;
import dev.jaye.tensor.kernels.PackedWeights;
import dev.jaye.tensor.kernels.Reduce;
import dev.jaye.tensor.opencl.DeviceWeights;

/**
 * Matrix products and the linear layer, each forward next to its backward.
 *
 * <p>Write X = op(A) and Y = op(B) for the operands as the product reads them (A itself, or Aᵀ
 * with {@code transA}), C = X·Y and G = dL/dC. Since C_ij = Σ_k X_ik·Y_kj,
 * <pre>
 *   dL/dX_ik = Σ_j G_ij·Y_kj  ->  dX = G·Yᵀ
 *   dL/dY_kj = Σ_i G_ij·X_ik  ->  dY = Xᵀ·G
 * </pre>
 * and a transposed operand gets the transposed gradient, (P·Q)ᵀ = Qᵀ·Pᵀ:
 * <pre>
 *   form  forward      dA                      dB
 *   nn    C = A·B      G·Bᵀ                    Aᵀ·G
 *   tn    C = Aᵀ·B     (G·Bᵀ)ᵀ = B·Gᵀ          A·G
 *   nt    C = A·Bᵀ     G·B                     (Aᵀ·G)ᵀ = Gᵀ·A
 *   tt    C = Aᵀ·Bᵀ    (G·B)ᵀ = Bᵀ·Gᵀ          (A·G)ᵀ = Gᵀ·Aᵀ
 * </pre>
 * Every entry is again a product of two stored matrices, each read as stored or transposed, which
 * is exactly what {@link MatMul} takes: the backward never materialises a transpose.
 */
public final class MatMulOp {
    private MatMulOp() {}

    /** A·B over the last two axes; batch axes equal, or B 2-D and shared by the batch. */
    public static Var matmul(Var a, Var b) {
        return matmul(a, b, false, false);
    }

    /**
     * op(A)·op(B) over the last two axes, op = transpose where the flag says so. Batch axes of A
     * and B are equal, or B is 2-D and shared by the whole batch (then dB sums over the batch).
     */
    public static Var matmul(Var a, Var b, boolean transA, boolean transB) {
        Var out = Var.of("matmul" + (transA ? "_t" : "_n") + (transB ? "t" : "n"),
                Tensor.matmul(a.value, b.value, transA, transB), a, b);     // checks the shapes
        return out.withBackward(() -> {
            int[] as = a.shape(), bs = b.shape(), cs = out.shape();
            int ra = as.length, M = cs[ra - 2], N = cs[ra - 1];
            int K = transA ? as[ra - 2] : as[ra - 1];
            int batch = Shape.prod(as, 0, ra - 2);
            boolean shared = bs.length == 2;
            int aStride = M * K, bStride = shared ? 0 : K * N, gStride = M * N;
            float[] A = a.value.data(), B = b.value.data(), G = out.grad().data();
            if (a.needsGrad()) {
                Tensor dA = Tensor.zeros(as);
                if (!transA)      // dA = G·Yᵀ: Yᵀ is B read transposed, or B as stored when it was read transposed
                    MatMul.batched(batch, G, 0, gStride, B, 0, bStride, dA.data(), 0, aStride, M, K, N, false, !transB, false);
                else              // dA = (G·Yᵀ)ᵀ = Y·Gᵀ, [K, M] like A's storage
                    MatMul.batched(batch, B, 0, bStride, G, 0, gStride, dA.data(), 0, aStride, K, M, N, transB, true, false);
                a.accumulateFresh(dA);
            }
            if (b.needsGrad()) {
                Tensor dB = Tensor.zeros(bs);
                float[] d = dB.data();
                if (!shared) {
                    if (!transB)  // dB = Xᵀ·G: Xᵀ is A read transposed, or A as stored when it was read transposed
                        MatMul.batched(batch, A, 0, aStride, G, 0, gStride, d, 0, bStride, K, N, M, !transA, false, false);
                    else          // dB = (Xᵀ·G)ᵀ = Gᵀ·X, [N, K] like B's storage
                        MatMul.batched(batch, G, 0, gStride, A, 0, aStride, d, 0, bStride, N, K, M, true, transA, false);
                } else {
                    // A B shared by the batch was used once per batch element, so its gradient is
                    // the sum of the per-element ones: the same products, added into one output
                    // one after another (batched() might run them on different threads at once).
                    for (int i = 0; i < batch; i++) {
                        int ao = i * aStride, go = i * gStride;
                        if (!transB) MatMul.matmul(A, ao, G, go, d, 0, K, N, M, !transA, false, i > 0);
                        else MatMul.matmul(G, go, A, ao, d, 0, N, K, M, true, transA, i > 0);
                    }
                }
                b.accumulateFresh(dB);
            }
        });
    }

    /**
     * The linear layer y = x·Wᵀ + b: x [..., in], W [out, in] (PyTorch's layout: one row per
     * output), b [out] or null; y [..., out]. All leading axes of x are rows of one product.
     * <pre>
     *   y_rj = Σ_i x_ri·W_ji + b_j
     *   dx = dy·W        [rows, out]·[out, in]
     *   dW = dyᵀ·x       [out, rows]·[rows, in]   (summed over every row: W is shared by all)
     *   db = Σ_r dy_r    (likewise)
     * </pre>
     */
    public static Var linear(Var x, Var w, Var b) {
        int[] xs = x.shape(), ws = w.shape();
        if (xs.length == 0 || ws.length != 2 || ws[1] != xs[xs.length - 1]) throw new IllegalArgumentException(
                "linear needs x [..., in] and W [out, in]; shapes are " + Shape.str(xs) + " and " + Shape.str(ws));
        int in = ws[1], outF = ws[0], rows = Shape.prod(xs, 0, xs.length - 1);
        if (b != null && (b.shape().length != 1 || b.shape()[0] != outF)) throw new IllegalArgumentException(
                "linear bias has shape " + Shape.str(b.shape()) + ", W " + Shape.str(ws) + " needs [" + outF + "]");
        int[] ys = xs.clone();
        ys[ys.length - 1] = outF;
        Tensor y = Tensor.zeros(ys);
        float[] yd = y.data();
        PackedWeights.markWeight(w.value.data());      // reused packed within a PackedWeights scope (generation)
        DeviceWeights.mark(w.value.data());             // kept on an OpenCL device within a DeviceWeights scope
        MatMul.matmul(x.value.data(), 0, w.value.data(), 0, yd, 0, rows, outF, in, false, true, false);   // x·Wᵀ
        if (b != null)                                  // y += b on every row (broadcast, vectorised, in place)
            Elementwise.binary(Elementwise.Binary.ADD, yd, ys, b.value.data(), new int[]{outF}, yd, ys);
        Var out = b == null ? Var.of("linear", y, x, w) : Var.of("linear", y, x, w, b);
        return out.withBackward(() -> {
            float[] G = out.grad().data();
            if (x.needsGrad()) {
                Tensor dx = Tensor.zeros(xs);
                MatMul.matmul(G, 0, w.value.data(), 0, dx.data(), 0, rows, in, outF, false, false, false);
                x.accumulateFresh(dx);
            }
            if (w.needsGrad()) {
                Tensor dW = Tensor.zeros(ws);
                MatMul.matmul(G, 0, x.value.data(), 0, dW.data(), 0, outF, in, rows, true, false, false);
                w.accumulateFresh(dW);
            }
            if (b != null && b.needsGrad()) {               // db = column sums of dy (vectorised across columns)
                Tensor db = Tensor.zeros(outF);
                Reduce.reduce(Reduce.Op.SUM, G, 1, rows, outF, db.data());
                b.accumulateFresh(db);
            }
        });
    }
}
