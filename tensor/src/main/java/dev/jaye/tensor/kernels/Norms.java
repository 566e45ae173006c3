// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.kernels;

/**
 * STUB: LayerNorm and RMSNorm forward over the last axis of x viewed as [rows, C]. The per-row
 * statistics are written out (when the arrays are not null) because backward needs them.
 */
public final class Norms {
    private Norms() {}

    /** out = (x - mean) · rstd · w + b, rstd = 1/sqrt(var + eps); b may be null. */
    public static void layerNormScalar(float[] x, float[] w, float[] b, float eps, int rows, int C, float[] out, float[] mean, float[] rstd) { throw new UnsupportedOperationException(); }

    public static void layerNorm(float[] x, float[] w, float[] b, float eps, int rows, int C, float[] out, float[] mean, float[] rstd) { throw new UnsupportedOperationException(); }

    /** out = x · rstd · w, rstd = 1/sqrt(mean(x²) + eps). */
    public static void rmsNormScalar(float[] x, float[] w, float eps, int rows, int C, float[] out, float[] rstd) { throw new UnsupportedOperationException(); }

    public static void rmsNorm(float[] x, float[] w, float eps, int rows, int C, float[] out, float[] rstd) { throw new UnsupportedOperationException(); }
}
