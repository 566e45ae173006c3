// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.kernels;

import dev.jaye.tensor.Check;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

class ActivationGradTest {

    /**
     * Fast vs reference. Simd.tanh / Simd.exp are within 3 ulp of Math (SimdTest), i.e. |Δt| ≤ 2e-7.
     * gelu' moves with t by ½ − t·x·u' (|x| ≤ 8: at most ~40), and silu' with σ by 1 + x − 2xσ
     * (at most ~17): so |Δ| ≤ 1e-5·|g|, plus a few float roundings of the result (rtol 1e-5).
     */
    private static void close(String what, float[] g, float[] ref, float[] got) {
        for (int i = 0; i < ref.length; i++)
            if (Math.abs(ref[i] - got[i]) > 1e-5f * Math.abs(g[i]) + 1e-5f * Math.abs(ref[i]))
                fail(what + " at " + i + ": reference " + ref[i] + ", fast " + got[i]);
    }

    @Property(tries = 100, seed = "42")
    void fastBackwardsMatchTheReferences(@ForAll @IntRange(min = 1, max = 300) int n, @ForAll long seed) {
        float[] x = Check.floats(seed, n, -8f, 8f), g = Check.normals(seed + 1, n);
        float[] ref = new float[n], got = new float[n];
        ActivationGrad.geluBackwardScalar(x, g, ref, n);
        ActivationGrad.geluBackward(x, g, got, n);
        close("gelu backward n=" + n, g, ref, got);
        ActivationGrad.siluBackwardScalar(x, g, ref, n);
        ActivationGrad.siluBackward(x, g, got, n);
        close("silu backward n=" + n, g, ref, got);
    }

    @Test
    void knownDerivatives() {
        assertEquals(0.5f, ActivationGrad.geluGrad(0f), 1e-7f);                // ½(1 + tanh 0)
        assertEquals(0.5f, ActivationGrad.siluGrad(0f), 1e-7f);                // σ(0)·(1 + 0)
        assertEquals(1f, ActivationGrad.geluGrad(10f), 1e-6f);                 // GELU ≈ x far right
        assertEquals(0f, ActivationGrad.geluGrad(-10f), 1e-6f);                // ≈ 0 far left
        // silu'(1) = σ(1)(1 + 1 − σ(1)) = 0.7310586 · 1.2689414
        assertEquals(0.7310586f * 1.2689414f, ActivationGrad.siluGrad(1f), 1e-6f);
        // the analytic derivative against a central difference of the forward definition
        for (float x = -4f; x <= 4f; x += 0.37f) {
            double h = 1e-3;
            double num = (gelu(x + h) - gelu(x - h)) / (2 * h);
            assertEquals(num, ActivationGrad.geluGrad(x), 1e-4, "gelu' at " + x);
        }
    }

    private static double gelu(double x) {
        return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
    }
}
