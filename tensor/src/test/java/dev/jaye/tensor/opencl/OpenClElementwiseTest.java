// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.opencl;

import dev.jaye.tensor.Check;
import dev.jaye.tensor.kernels.Elementwise;
import dev.jaye.tensor.kernels.Elementwise.Binary;
import dev.jaye.tensor.kernels.Elementwise.Unary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Element-wise kernels against Elementwise's definitions. With u = 2^-24 (so 1 ulp ≤ 2u relative):
 * <ul>
 *   <li>ADD, SUB, MUL are one correctly rounded operation on both sides: identical bits.</li>
 *   <li>SiLU = x/(1 + e^-x): OpenCL's exp may be 3 ulp off and the reference's 0.5, so e^-x
 *       differs by ≤ 7u relative; 1 + e^-x adds a rounding on each side (≤ 11u); OpenCL's divide
 *       may be 2.5 ulp off: ≤ 17u relative in all. Checked with rtol 20u.</li>
 *   <li>GELU = 0.5·x·(1 + t), t = tanh(a): near t = -1 the sum cancels, so the bound is absolute.
 *       OpenCL's tanh may be 5 ulp off (≤ 5u, as |t| < 1), the reference's 0.5u; a, computed with
 *       a few roundings or fused, moves t by ≤ 4u·|a|·(1 - t²) ≤ 2u. So 1 + t differs by ≤ 12u
 *       with its own roundings, and out by ≤ 6u·|x| + 4u·|out|.</li>
 * </ul>
 */
@AddLifecycleHook(RequiresOpenCl.class)
class OpenClElementwiseTest {
    static final float U = 0x1p-24f;

    @Property(tries = 25, seed = "42")
    void binaryOpsGiveTheReferenceBits(@ForAll @IntRange(min = 1, max = 5000) int n, @ForAll @IntRange(min = 0, max = 2) int pick,
                                       @ForAll long seed) {
        Binary op = new Binary[] {Binary.ADD, Binary.SUB, Binary.MUL}[pick];
        int[] shape = {n};
        float[] a = Check.normals(seed, n), b = Check.normals(seed + 1, n), ref = new float[n], out = new float[n];
        Elementwise.binaryScalar(op, a, shape, b, shape, ref, shape);
        OpenClElementwise.binary(op, a, shape, b, shape, out, shape, RequiresOpenCl.device());
        Check.identical(op + " n=" + n, ref, out);
    }

    @Property(tries = 25, seed = "42")
    void geluAndSiluMatchReference(@ForAll @IntRange(min = 1, max = 5000) int n, @ForAll boolean silu,
                                   @ForAll @IntRange(min = 0, max = 7) int off, @ForAll long seed) {
        Unary op = silu ? Unary.SILU : Unary.GELU;
        float[] x = Check.normals(seed, off + n);
        for (int i = 0; i < x.length; i++) x[i] *= 4f;           // well into both tails
        x[off] = -100f;                                          // e^-x overflows: SiLU must give -0, not NaN
        float[] ref = Check.normals(seed + 1, off + n), out = ref.clone();   // outside [off, off+n) must survive
        Elementwise.unaryScalar(op, x, off, ref, off, n);
        OpenClElementwise.unary(op, x, off, out, off, n, RequiresOpenCl.device());
        if (silu) Check.close("SiLU n=" + n, ref, out, 1e-37f, 20 * U);
        else
            for (int i = 0; i < ref.length; i++) {                // per element: the bound scales with |x_i|
                float tol = 6 * U * Math.abs(x[i]) + 4 * U * Math.abs(ref[i]);
                if (!(Math.abs(ref[i] - out[i]) <= tol))
                    fail("GELU(" + x[i] + ") n=" + n + " at " + i + ": ref " + ref[i] + " got " + out[i] + " (tolerance " + tol + ")");
            }
    }

    @Example
    void inPlaceAddDoublesAnArray() {
        float[] a = {1, 2, 3};
        int[] s = {3};
        OpenClElementwise.binary(Binary.ADD, a, s, a, s, a, s, RequiresOpenCl.device());
        Check.identical("a + a in place", new float[] {2, 4, 6}, a);
    }

    @Example
    void broadcastingAndOtherOpsAreRefused() {
        OpenClDevice dev = RequiresOpenCl.device();
        assertThrows(IllegalArgumentException.class, () -> OpenClElementwise.binary(Binary.ADD, new float[6], new int[] {2, 3},
                new float[3], new int[] {3}, new float[6], new int[] {2, 3}, dev));
        assertThrows(IllegalArgumentException.class, () -> OpenClElementwise.binary(Binary.DIV, new float[3], new int[] {3},
                new float[3], new int[] {3}, new float[3], new int[] {3}, dev));
        assertThrows(IllegalArgumentException.class, () -> OpenClElementwise.unary(Unary.EXP, new float[3], 0, new float[3], 0, 3, dev));
    }

    /** Elementwise's entry points send what the device has to it once a device is chosen, and keep broadcasts. */
    @Example
    void elementwiseEntryPointsDispatchToTheDevice() {
        int n = 1000;
        int[] shape = {n};
        float[] a = Check.normals(20, n), b = Check.normals(21, n);
        long saved = Backend.minWork();
        try {
            Backend.use(Device.opencl(RequiresOpenCl.device().index()));
            Backend.setMinWork(0);
            for (Binary op : new Binary[] {Binary.ADD, Binary.SUB, Binary.MUL}) {
                float[] ref = new float[n], out = new float[n];
                Elementwise.binaryScalar(op, a, shape, b, shape, ref, shape);
                Transfers.reset();
                Elementwise.binary(op, a, shape, b, shape, out, shape);
                assertTrue(Transfers.bytes() >= 4L * 3 * n, op + " went to the device: " + Transfers.bytes() + " bytes");
                Check.identical(op + " through Elementwise", ref, out);
            }
            for (Unary op : new Unary[] {Unary.GELU, Unary.SILU}) {
                float[] ref = new float[n], out = new float[n];
                Elementwise.unaryScalar(op, a, 0, ref, 0, n);
                Transfers.reset();
                Elementwise.unary(op, a, 0, out, 0, n);
                assertTrue(Transfers.bytes() >= 4L * 2 * n, op + " went to the device");
                for (int i = 0; i < n; i++) {                    // the bounds of the class comment
                    float tol = op == Unary.SILU ? 1e-37f + 20 * U * Math.abs(ref[i]) : 6 * U * Math.abs(a[i]) + 4 * U * Math.abs(ref[i]);
                    if (!(Math.abs(ref[i] - out[i]) <= tol)) fail(op + "(" + a[i] + ") through Elementwise: ref " + ref[i] + " got " + out[i]);
                }
            }
            Transfers.reset();
            float[] bias = Check.normals(22, 10), sum = new float[n];
            Elementwise.binary(Binary.ADD, a, new int[] {100, 10}, bias, new int[] {10}, sum, new int[] {100, 10});
            assertEquals(0, Transfers.bytes(), "a broadcast stays on the CPU");
        } finally {
            Backend.useCpu();
            Backend.setMinWork(saved);
        }
    }
}
