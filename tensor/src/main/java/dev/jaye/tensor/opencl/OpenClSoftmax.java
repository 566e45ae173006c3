// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.opencl;

import com.aparapi.Kernel;


/**
 * Softmax and log-softmax of the rows of x [rows, n] on OpenCL; definitions
 * {@code Softmax.softmaxScalar} and {@code Softmax.logSoftmaxScalar}, same arguments.
 *
 * <p>One work-item per row, making the reference's passes: the row max, then Σ exp(x - max), then
 * the outputs. Subtracting the max keeps every exponent ≤ 0, so nothing overflows; a row that is
 * all -inf (everything masked) gives 0 (softmax) and -inf (log-softmax), as on the CPU.
 *
 * <p>Why not a work-group per row with a tree reduction in local memory: that is the fast form
 * for long rows (a vocabulary of logits) on a GPU, but it only pays once rows are long and few;
 * with rows = batch x sequence there are thousands of rows to spread over the device anyway. It
 * is the step to take after measuring on a real GPU.
 */
public final class OpenClSoftmax {
    private OpenClSoftmax() {}

    static final class RowKernel extends Kernel {
        float[] x = new float[1], out = new float[1];
        int rows, n, logOut;

        @Override
        public void run() {
            int r = getGlobalId();
            if (r < rows) row(r * n);
        }

        void row(int o) {
            float m = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) m = max(m, x[o + j]);
            if (m == Float.NEGATIVE_INFINITY) {                   // all masked: attend to nothing
                for (int j = 0; j < n; j++) out[o + j] = logOut == 1 ? Float.NEGATIVE_INFINITY : 0f;
            } else if (logOut == 1) {
                float sum = 0f;
                for (int j = 0; j < n; j++) sum += exp(x[o + j] - m);
                float logSum = log(sum);
                for (int j = 0; j < n; j++) out[o + j] = (x[o + j] - m) - logSum;
            } else {
                float sum = 0f;
                for (int j = 0; j < n; j++) {
                    float e = exp(x[o + j] - m);
                    out[o + j] = e;
                    sum += e;
                }
                float inv = 1f / sum;                            // sum >= 1: the max term is exp(0)
                for (int j = 0; j < n; j++) out[o + j] *= inv;
            }
        }
    }

    /** Softmax of each row: {@code Softmax.softmaxScalar}'s arguments, plus the device. In place is fine. */
    public static Launch softmax(float[] x, float[] out, int rows, int n, OpenClDevice device) {
        return launch(x, out, rows, n, false, device);
    }

    /** Log-softmax of each row: {@code Softmax.logSoftmaxScalar}'s arguments, plus the device. */
    public static Launch logSoftmax(float[] x, float[] out, int rows, int n, OpenClDevice device) {
        return launch(x, out, rows, n, true, device);
    }

    private static Launch launch(float[] x, float[] out, int rows, int n, boolean log, OpenClDevice device) {
        String name = log ? "logSoftmax" : "softmax";
        Args.sizes(name, rows, n);
        Args.fits(name + " x", x, 0, (long) rows * n);
        Args.fits(name + " out", out, 0, (long) rows * n);
        if (rows == 0 || n == 0) return Launch.nothing(name, device);
        x = Launcher.unaliased(x, out);
        RowKernel k = Launcher.kernel(RowKernel.class, device, RowKernel::new);
        synchronized (k) {
            k.x = x; k.out = out;
            k.rows = rows; k.n = n; k.logOut = log ? 1 : 0;
            return Launcher.run(k, name, device, Launcher.range1D(device, rows), new Launcher.Copies().in(x).out(out, 0, (long) rows * n));
        }
    }
}
