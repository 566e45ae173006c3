// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.opencl;

import com.aparapi.Kernel;
import com.aparapi.device.JavaDevice;
import com.aparapi.internal.kernel.KernelManager;
import dev.jaye.tensor.Check;
import dev.jaye.tensor.kernels.Attention;
import dev.jaye.tensor.kernels.Elementwise;
import dev.jaye.tensor.kernels.MatMul;
import dev.jaye.tensor.kernels.Norms;
import dev.jaye.tensor.kernels.Softmax;
import net.jqwik.api.Example;
import net.jqwik.api.lifecycle.AddLifecycleHook;

import java.util.LinkedHashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The guards every kernel relies on: Aparapi's silent fall back to Java threads becomes an
 * exception, whether translation fails or execution lands elsewhere; and copies are counted.
 */
@AddLifecycleHook(RequiresOpenCl.class)
class OpenClLauncherTest {

    /** {@code break} is one of the constructs Aparapi 3.0.2 does not translate (docs/performance.md 6). */
    static final class WithBreak extends Kernel {
        float[] x = new float[1];
        int n;

        @Override
        public void run() {
            int i = getGlobalId();
            for (int j = 0; j < n; j++) {
                if (x[j] < 0f) break;
                x[i] += 1f;
            }
        }
    }

    /**
     * Translates, but into OpenCL that does not build: Aparapi 3.0.2 declares {@code r} inside the
     * first branch only ("use of undeclared identifier 'r'"). If this ever builds, Aparapi fixed
     * it, and OpenClElementwise.UnaryKernel may go back to the plainer form.
     */
    static final class BadOpenCl extends Kernel {
        float[] x = new float[1];
        int op;

        @Override
        public void run() {
            int i = getGlobalId();
            float r;
            if (op == 0) r = x[i] + 1f;
            else r = x[i] - 1f;
            x[i] = r;
        }
    }

    /** A kernel Aparapi translates fine. */
    static final class AddOne extends Kernel {
        float[] x = new float[1];

        @Override
        public void run() {
            x[getGlobalId()] += 1f;
        }
    }

    @Example
    void untranslatableKernelIsRefusedBeforeItRuns() {
        OpenClDevice dev = RequiresOpenCl.device();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Launcher.kernel(WithBreak.class, dev, WithBreak::new));
        assertTrue(e.getMessage().contains("WithBreak") && e.getMessage().contains("break"), e.getMessage());
    }

    @Example
    void kernelWhoseOpenClFailsToBuildIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Launcher.kernel(BadOpenCl.class, RequiresOpenCl.device(), BadOpenCl::new));
        assertTrue(e.getMessage().contains("BadOpenCl"), e.getMessage());
    }

    @Example
    void executionOnJavaThreadsIsAnError() {
        // What Aparapi does when OpenCL fails at run time, forced: the kernel's only device is the
        // Java thread pool. The result would be right; the launch must still refuse it.
        AddOne k = new AddOne();
        KernelManager.instance().setPreferredDevices(k, new LinkedHashSet<>(List.of(JavaDevice.THREAD_POOL)));
        k.setExplicit(true);
        try {
            synchronized (k) {
                k.x = new float[8];
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> Launcher.run(k, "add-one",
                        RequiresOpenCl.device(), JavaDevice.THREAD_POOL.createRange(8), new Launcher.Copies().inOut(k.x)));
                assertTrue(e.getMessage().contains("add-one") && e.getMessage().contains("fell back"), e.getMessage());
            }
        } finally {
            k.dispose();
        }
    }

    @Example
    void transfersCountWhatIsCopied() {
        int M = 5, N = 6, K = 7;
        float[] a = Check.normals(1, M * K), b = Check.normals(2, K * N), c = new float[M * N];
        Transfers.reset();
        // Arrays new to the kernel's fields: Aparapi creates each buffer as a copy of its array,
        // the output's included, and nothing is put on top.
        Launch plain = OpenClMatMul.matmul(a, 0, b, 0, c, 0, M, N, K, false, false, false, RequiresOpenCl.device());
        assertEquals(4L * (a.length + b.length + c.length), Transfers.toDeviceBytes(), "three new buffers, each a copy");
        assertEquals(4L * c.length, Transfers.unreadBytes(), "C's copy is one the kernel never reads");
        assertEquals(4L * c.length, Transfers.toHostBytes(), "C comes back");
        assertEquals(Transfers.bytes(), plain.bytes());
        // The same arrays again: the buffers stay, and the inputs are put to refresh them.
        Launch same = OpenClMatMul.matmul(a, 0, b, 0, c, 0, M, N, K, false, false, false, RequiresOpenCl.device());
        assertEquals(4L * (a.length + b.length) + 4L * c.length, same.bytes(), "A and B put; C only comes back");
        Launch acc = OpenClMatMul.matmul(a, 0, b, 0, c, 0, M, N, K, false, false, true, RequiresOpenCl.device());
        assertEquals(4L * (a.length + b.length + c.length) + 4L * c.length, acc.bytes(), "accumulating puts C too");
        assertEquals(plain.bytes() + same.bytes() + acc.bytes(), Transfers.bytes());
        assertEquals(4L * c.length, Transfers.unreadBytes(), "later calls reuse C's buffer");
    }

    @Example
    void newArraysInFieldsAreFoundAndTheRestAreNot() {
        AddOne k = new AddOne();
        float[] x = new float[3], y = new float[4];
        synchronized (k) {
            k.x = x;
            assertEquals(List.of(x), Buffers.rebound(k), "first execution: every buffer field is new");
            assertEquals(List.of(), Buffers.rebound(k), "same array: the buffer stays");
            k.x = y;
            assertEquals(List.of(y), Buffers.rebound(k));
            Buffers.forget(k);                              // a failed execution: nothing is known
            k.x = x;
            assertEquals(List.of(), Buffers.rebound(k), "after a failure no array counts as new, so every input is put");
            assertEquals(List.of(), Buffers.rebound(k));
        }
    }

    /**
     * Every kernel called twice with the same arrays, their values changed in between: the second
     * call must send the new values. Devices get buffers of their own (Devices turns Aparapi's
     * shared-memory mode off), so on PoCL too a missed upload would compute with the old values.
     */
    @Example
    void sameArraysWithNewValuesAreSentAgain() {
        OpenClDevice dev = RequiresOpenCl.device();
        int rows = 6, n = 10;
        int[] shape = {rows, n};
        float[] x = Check.normals(30, rows * n), y = Check.normals(31, rows * n), z = Check.normals(32, rows * n);
        float[] w = Check.normals(33, n), b = Check.normals(34, n);
        float[] mm = new float[rows * rows], out = new float[rows * n], mean = new float[rows], rstd = new float[rows];
        for (int round = 0; round < 2; round++) {
            for (float[] a : new float[][] {x, y, z, w, b}) for (int i = 0; i < a.length; i++) a[i] = a[i] * -1.5f + 0.25f;
            float[] ref = new float[rows * rows];
            OpenClMatMul.matmul(x, 0, y, 0, mm, 0, rows, rows, n, false, true, false, dev);
            MatMul.matmulScalar(x, 0, y, 0, ref, 0, rows, rows, n, false, true, false);
            Check.close("matmul, round " + round, ref, mm, 1e-5f, 1e-5f);
            ref = new float[rows * n];
            OpenClSoftmax.softmax(x, out, rows, n, dev);
            Softmax.softmaxScalar(x, ref, rows, n);
            Check.close("softmax, round " + round, ref, out, 1e-6f, 1e-5f);
            OpenClNorms.layerNorm(x, w, b, 1e-5f, rows, n, out, mean, rstd, dev);
            Norms.layerNormScalar(x, w, b, 1e-5f, rows, n, ref, new float[rows], new float[rows]);
            Check.close("layer norm, round " + round, ref, out, 1e-5f, 1e-4f);
            OpenClElementwise.binary(Elementwise.Binary.SUB, x, shape, y, shape, out, shape, dev);
            Elementwise.binaryScalar(Elementwise.Binary.SUB, x, shape, y, shape, ref, shape);
            Check.identical("x - y, round " + round, ref, out);
            OpenClAttention.attention(x, y, z, 1, 1, 1, rows, rows, n, 0.3f, true, null, out, null, dev);
            Attention.attentionScalar(x, y, z, 1, 1, 1, rows, rows, n, 0.3f, true, null, ref, null);
            Check.close("attention, round " + round, ref, out, 1e-5f, 1e-4f);
        }
    }

    /** A kernel that failed on the device stays on the CPU: no retry (and perhaps a rebuild) at every call. */
    @Example
    void aKernelThatFellBackIsNotOffloadedAgain() {
        long saved = Backend.minWork();
        try {
            Backend.use(Device.opencl(RequiresOpenCl.device().index()));
            Backend.setMinWork(0);
            assertTrue(Backend.offload("matmul", 1), "a device, and work above the threshold");
            Backend.fellBack("matmul", new IllegalStateException("made up for the test"));
            assertTrue(!Backend.offload("matmul", Long.MAX_VALUE), "matmul stays on the CPU");
            assertTrue(Backend.offload("softmax", 1), "other kernels are not affected");
            assertTrue(Backend.ran("softmax", d -> {}), "a kernel that runs");
            assertTrue(!Backend.ran("norm", d -> { throw new IllegalStateException("refused"); }), "a kernel that cannot run...");
            assertTrue(!Backend.offload("norm", 1), "...falls back, and stays on the CPU");
        } finally {
            Backend.forgetFallBacks();
            Backend.useCpu();
            Backend.setMinWork(saved);
        }
    }
}
