// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.opencl;

import com.aparapi.Kernel;


/**
 * LayerNorm and RMSNorm forward over the rows of x [rows, C] on OpenCL; definitions
 * {@code Norms.layerNormScalar} and {@code Norms.rmsNormScalar}, same arguments and the same eps
 * semantics (eps is added to the variance, or to mean(x²), inside the square root).
 *
 * <p>One work-item per row making the reference's passes (mean, then the variance of x - mean,
 * not E[x²] - mean², which cancels when |mean| is large; then the outputs), so results agree to
 * rounding: OpenCL's sqrt and division need not be correctly rounded (3 and 2.5 ulp).
 *
 * <p>Optional arrays (bias, mean, rstd) cannot be null in a kernel: Aparapi needs an array in
 * every array field. A flag says whether each one is used, and the field holds a one-element
 * placeholder otherwise, which is neither copied in nor read back.
 */
public final class OpenClNorms {
    private OpenClNorms() {}

    static final class LayerNormKernel extends Kernel {
        float[] x = new float[1], w = new float[1], b = new float[1], out = new float[1];
        float[] mean = new float[1], rstd = new float[1];
        int rows, c, hasBias, hasMean, hasRstd;
        float eps;
        // Placeholders for absent optional arrays, one per field (a shared one would alias).
        // Host side only: run() never names them, so Aparapi does not pass them.
        final float[] noB = new float[1], noMean = new float[1], noRstd = new float[1];

        @Override
        public void run() {
            int r = getGlobalId();
            if (r < rows) row(r);
        }

        void row(int r) {
            int o = r * c;
            float m = 0f;
            for (int i = 0; i < c; i++) m += x[o + i];
            m /= c;
            float v = 0f;
            for (int i = 0; i < c; i++) {
                float d = x[o + i] - m;
                v += d * d;
            }
            v /= c;
            float s = 1f / sqrt(v + eps);
            for (int i = 0; i < c; i++) {
                float nx = (x[o + i] - m) * s;                   // normalised: mean 0, variance 1
                out[o + i] = hasBias == 1 ? nx * w[i] + b[i] : nx * w[i];
            }
            if (hasMean == 1) mean[r] = m;
            if (hasRstd == 1) rstd[r] = s;
        }
    }

    static final class RmsNormKernel extends Kernel {
        float[] x = new float[1], w = new float[1], out = new float[1], rstd = new float[1];
        int rows, c, hasRstd;
        float eps;
        final float[] noRstd = new float[1];                     // as in LayerNormKernel

        @Override
        public void run() {
            int r = getGlobalId();
            if (r < rows) row(r);
        }

        void row(int r) {
            int o = r * c;
            float ss = 0f;
            for (int i = 0; i < c; i++) ss += x[o + i] * x[o + i];
            float s = 1f / sqrt(ss / c + eps);
            for (int i = 0; i < c; i++) out[o + i] = x[o + i] * s * w[i];
            if (hasRstd == 1) rstd[r] = s;
        }
    }

    /** LayerNorm: {@code Norms.layerNormScalar}'s arguments (b, mean, rstd may be null), plus the device. */
    public static Launch layerNorm(float[] x, float[] w, float[] b, float eps, int rows, int C, float[] out,
                                   float[] mean, float[] rstd, OpenClDevice device) {
        Args.sizes("layerNorm", rows, C);
        long size = (long) rows * C;
        Args.fits("layerNorm x", x, 0, size);
        Args.fits("layerNorm w", w, 0, C);
        if (b != null) Args.fits("layerNorm b", b, 0, C);
        Args.fits("layerNorm out", out, 0, size);
        if (mean != null) Args.fits("layerNorm mean", mean, 0, rows);
        if (rstd != null) Args.fits("layerNorm rstd", rstd, 0, rows);
        if (rows == 0 || C == 0) return Launch.nothing("layerNorm", device);   // C = 0 would divide 0 by 0
        x = Launcher.unaliased(x, out);
        w = Launcher.unaliased(w, out, x);
        if (b != null) b = Launcher.unaliased(b, out, x, w);
        LayerNormKernel k = Launcher.kernel(LayerNormKernel.class, device, LayerNormKernel::new);
        synchronized (k) {
            k.x = x; k.w = w; k.out = out;
            k.b = b != null ? b : k.noB;
            k.mean = mean != null ? mean : k.noMean;
            k.rstd = rstd != null ? rstd : k.noRstd;
            k.hasBias = b != null ? 1 : 0; k.hasMean = mean != null ? 1 : 0; k.hasRstd = rstd != null ? 1 : 0;
            k.rows = rows; k.c = C; k.eps = eps;
            Launcher.Copies copies = new Launcher.Copies().in(x, w, b).out(out, 0, size).out(mean, 0, rows).out(rstd, 0, rows);
            return Launcher.run(k, "layerNorm", device, Launcher.range1D(device, rows), copies);
        }
    }

    /** RMSNorm: {@code Norms.rmsNormScalar}'s arguments (rstd may be null), plus the device. */
    public static Launch rmsNorm(float[] x, float[] w, float eps, int rows, int C, float[] out, float[] rstd,
                                 OpenClDevice device) {
        Args.sizes("rmsNorm", rows, C);
        long size = (long) rows * C;
        Args.fits("rmsNorm x", x, 0, size);
        Args.fits("rmsNorm w", w, 0, C);
        Args.fits("rmsNorm out", out, 0, size);
        if (rstd != null) Args.fits("rmsNorm rstd", rstd, 0, rows);
        if (rows == 0 || C == 0) return Launch.nothing("rmsNorm", device);
        x = Launcher.unaliased(x, out);
        w = Launcher.unaliased(w, out, x);
        RmsNormKernel k = Launcher.kernel(RmsNormKernel.class, device, RmsNormKernel::new);
        synchronized (k) {
            k.x = x; k.w = w; k.out = out;
            k.rstd = rstd != null ? rstd : k.noRstd;
            k.hasRstd = rstd != null ? 1 : 0;
            k.rows = rows; k.c = C; k.eps = eps;
            Launcher.Copies copies = new Launcher.Copies().in(x, w).out(out, 0, size).out(rstd, 0, rows);
            return Launcher.run(k, "rmsNorm", device, Launcher.range1D(device, rows), copies);
        }
    }
}
