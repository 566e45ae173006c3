// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.opencl;

import com.aparapi.Kernel;
import dev.jaye.tensor.kernels.Elementwise.Binary;
import dev.jaye.tensor.kernels.Elementwise.Unary;

import java.util.Arrays;

/**
 * Element-wise ops on OpenCL, one work-item per element: add, subtract and multiply of two arrays
 * of the same shape, and the GELU and SiLU activations. Their definitions are
 * {@code Elementwise.binaryScalar} and {@code Elementwise.unaryScalar}, whose arguments the entry
 * methods take.
 *
 * <p>Only what a training step offloads is here. Broadcasting is left to the CPU: on a device it
 * needs shape arithmetic per element, and a broadcast operand (a bias) is small enough that the
 * CPU version costs less than the copy. Add, subtract and multiply are single IEEE operations,
 * correctly rounded in OpenCL as in Java, so they give the reference's bits. GELU and SiLU use
 * OpenCL's tanh and exp, which may be a few ulp off (the spec allows 5 and 3), so they agree to
 * rounding only.
 */
public final class OpenClElementwise {
    private OpenClElementwise() {}

    static final int ADD = 0, SUB = 1, MUL = 2;
    static final int GELU = 0, SILU = 1;

    /** out[i] = a[i] op b[i]. */
    static final class BinaryKernel extends Kernel {
        float[] a = new float[1], b = new float[1], out = new float[1];
        int n, op;

        @Override
        public void run() {
            int i = getGlobalId();
            if (i < n) {
                float x = a[i], y = b[i];
                out[i] = op == ADD ? x + y : op == SUB ? x - y : x * y;
            }
        }
    }

    /** out[outOff + i] = op(x[xOff + i]), written as Elementwise.unaryScalar writes it. */
    static final class UnaryKernel extends Kernel {
        float[] x = new float[1], out = new float[1];
        int xOff, outOff, n, op;
        float geluC, geluK;                                      // constants come in as arguments

        @Override
        public void run() {
            int i = getGlobalId();
            // One expression: Aparapi 3.0.2 declared a local that is assigned in both branches of
            // an if inside the first branch only, and the OpenCL build failed.
            if (i < n) out[outOff + i] = op == GELU ? gelu(x[xOff + i]) : silu(x[xOff + i]);
        }

        float gelu(float v) {
            return 0.5f * v * (1f + tanh(geluC * (geluK * v * v * v + v)));
        }

        float silu(float v) {
            return v / (1f + exp(-v));                           // -0, not NaN, for v << 0
        }
    }

    /**
     * out = a op b for a and b of equal shape (no broadcasting), op one of ADD, SUB, MUL: the
     * arguments of {@code Elementwise.binaryScalar}, plus the device.
     */
    public static Launch binary(Binary op, float[] a, int[] aShape, float[] b, int[] bShape, float[] out, int[] outShape,
                                OpenClDevice device) {
        int code = switch (op) {
            case ADD -> ADD;
            case SUB -> SUB;
            case MUL -> MUL;
            default -> throw new IllegalArgumentException("OpenCL binary ops are ADD, SUB and MUL, not " + op);
        };
        if (!Arrays.equals(aShape, bShape) || !Arrays.equals(aShape, outShape))
            throw new IllegalArgumentException("OpenCL " + op + " needs equal shapes (no broadcasting): "
                    + Arrays.toString(aShape) + ", " + Arrays.toString(bShape) + " -> " + Arrays.toString(outShape));
        long size = 1;
        for (int d : aShape) size *= d;
        Args.fits(op + " a", a, 0, size);
        Args.fits(op + " b", b, 0, size);
        Args.fits(op + " out", out, 0, size);
        if (size == 0) return Launch.nothing("binary " + op, device);
        int n = Math.toIntExact(size);
        a = Launcher.unaliased(a, out);
        b = Launcher.unaliased(b, out, a);
        BinaryKernel k = Launcher.kernel(BinaryKernel.class, device, BinaryKernel::new);
        synchronized (k) {
            k.a = a; k.b = b; k.out = out;
            k.n = n; k.op = code;
            return Launcher.run(k, "binary " + op, device, Launcher.range1D(device, n), new Launcher.Copies().in(a, b).out(out, 0, n));
        }
    }

    /** GELU (tanh form) or SiLU of x[xOff, xOff+n) into out[outOff, ...): {@code Elementwise.unaryScalar}'s arguments, plus the device. */
    public static Launch unary(Unary op, float[] x, int xOff, float[] out, int outOff, int n, OpenClDevice device) {
        int code = switch (op) {
            case GELU -> GELU;
            case SILU -> SILU;
            default -> throw new IllegalArgumentException("OpenCL unary ops are GELU and SILU, not " + op);
        };
        Args.fits(op + " x", x, xOff, n);
        Args.fits(op + " out", out, outOff, n);
        if (n == 0) return Launch.nothing("unary " + op, device);
        x = Launcher.unaliased(x, out);
        UnaryKernel k = Launcher.kernel(UnaryKernel.class, device, UnaryKernel::new);
        synchronized (k) {
            k.x = x; k.out = out;
            k.xOff = xOff; k.outOff = outOff; k.n = n; k.op = code;
            // Elementwise's own constants, computed the same way (they are package-private there).
            k.geluC = (float) Math.sqrt(2.0 / Math.PI);
            k.geluK = 0.044715f;
            return Launcher.run(k, "unary " + op, device, Launcher.range1D(device, n), new Launcher.Copies().in(x).out(out, outOff, n));
        }
    }
}
