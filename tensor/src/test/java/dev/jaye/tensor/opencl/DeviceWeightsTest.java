// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.opencl;

import dev.jaye.tensor.Check;
import dev.jaye.tensor.kernels.MatMul;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;

import java.util.ConcurrentModificationException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Weights kept on the device within a scope: what crosses the bus (counted by Transfers, as on a
 * discrete GPU), that results stay those of the reference, and that a weight written inside its
 * scope is caught. On PoCL the device reads host memory, so a stale weight cannot show in a
 * result here; the byte counts and the check are what test the bookkeeping.
 */
@AddLifecycleHook(RequiresOpenCl.class)
class DeviceWeightsTest {
    static final int M = 24, N = 20, K = 36;

    /** y = x·Wᵀ, the linear layer's forward: checked against the reference; returns the bytes sent to the device. */
    static long forward(float[] x, float[] w) {
        return product(x, w, M, N, K, true);
    }

    /** dx = dy·W, the backward's use of the same weight in the other layout. */
    static long backward(float[] dy, float[] w) {
        return product(dy, w, M, K, N, false);
    }

    /** One scope in which w is marked and used once; returns the bytes sent. */
    static long forwardInAScope(float[] x, float[] w) {
        try (var scope = DeviceWeights.scope()) {
            DeviceWeights.mark(w);
            return forward(x, w);
        }
    }

    static long product(float[] a, float[] w, int rows, int cols, int inner, boolean transB) {
        float[] ref = new float[rows * cols], got = new float[rows * cols];
        MatMul.matmulScalar(a, 0, w, 0, ref, 0, rows, cols, inner, false, transB, false);
        long before = Transfers.toDeviceBytes();
        OpenClMatMul.matmul(a, 0, w, 0, got, 0, rows, cols, inner, false, transB, false, RequiresOpenCl.device());
        Check.gemmClose(transB ? "x·Wᵀ" : "dy·W", a, w, new float[rows * cols], ref, got, rows, cols, inner, false, transB, false);
        return Transfers.toDeviceBytes() - before;
    }

    @Example
    void aMarkedWeightCrossesOncePerScope() {
        float[] w = Check.normals(1, N * K);
        long wBytes = 4L * w.length;
        try (var scope = DeviceWeights.scope()) {
            DeviceWeights.mark(w);
            long first = forward(Check.normals(2, M * K), w);
            long second = forward(Check.normals(3, M * K), w);
            long third = backward(Check.normals(4, M * N), w);
            assertEquals(4L * (M * K + M * N) + wBytes, first, "x, the new output's buffer, and W once");
            assertEquals(4L * (M * K + M * N), second, "W is already there");
            assertEquals(4L * (M * N + M * K), third, "the backward's layout reads the same copy of W");
        }
    }

    @Example
    void outsideAScopeOrUnmarkedTheWeightIsSentEveryTime() {
        float[] w = Check.normals(5, N * K), x = Check.normals(6, M * K);
        forward(x, w);                                      // both arrays now sit in the shared kernel's fields
        assertEquals(4L * (M * K + w.length + M * N), forward(x, w),
                "no scope: x and W are put again, and the new output's buffer is a copy");
        try (var scope = DeviceWeights.scope()) {           // a scope, but W never marked
            forward(x, w);
            assertTrue(forward(x, w) >= 4L * w.length, "an unmarked array is not kept");
        }
    }

    @Example
    void theNextScopeSendsTheNewValues() {
        float[] w = Check.normals(7, N * K), x = Check.normals(8, M * K);
        forwardInAScope(x, w);
        for (int i = 0; i < w.length; i++) w[i] *= -0.5f;   // an optimiser step, between scopes
        long sent = forwardInAScope(x, w);                  // checks the result against the new W
        assertTrue(sent >= 4L * w.length, "the new scope sends W again: " + sent);
    }

    @Example
    void aWeightWrittenInsideItsScopeIsCaught() {
        DeviceWeights.setChecking(true);
        try {
            float[] w = Check.normals(9, N * K), x = Check.normals(10, M * K);
            DeviceWeights.Scope scope = DeviceWeights.scope();
            DeviceWeights.mark(w);
            forward(x, w);
            w[3] += 1f;
            ConcurrentModificationException e = assertThrows(ConcurrentModificationException.class, () -> forward(x, w),
                    "the device would skip the upload and use the old values");
            assertTrue(e.getMessage().contains("DeviceWeights scope"), e.getMessage());
            assertThrows(ConcurrentModificationException.class, scope::close, "the scope's end says so too");

            float[] cpuOnly = Check.normals(11, 8);               // never near a device: checked all the same
            DeviceWeights.Scope other = DeviceWeights.scope();
            DeviceWeights.mark(cpuOnly);
            cpuOnly[0] = 7f;
            assertThrows(ConcurrentModificationException.class, other::close);
        } finally {
            DeviceWeights.setChecking(Boolean.getBoolean("jaye.opencl.checkWeights"));
        }
    }

    @Example
    void slotsAreReusedAcrossScopes() {
        float[][] ws = {Check.normals(11, N * K), Check.normals(12, N * K), Check.normals(13, N * K)};
        float[] x = Check.normals(14, M * K);
        int before = -1;
        for (int round = 0; round < 3; round++) {
            try (var scope = DeviceWeights.scope()) {
                for (float[] w : ws) {
                    DeviceWeights.mark(w);
                    forward(x, w);
                }
            }
            int now = DeviceWeights.kernels(OpenClMatMul.Tiled.class).size();
            if (round > 0) assertEquals(before, now, "round " + round + " made new slots");
            before = now;
        }
    }

    @Example
    void aClosedScopeLeavesItsSlotsHoldingOnlyTheirWeights() {
        float[] w = Check.normals(15, N * K), x = Check.normals(16, M * K);
        forwardInAScope(x, w);
        OpenClMatMul.Tiled mine = null;
        for (var k : DeviceWeights.kernels(OpenClMatMul.Tiled.class)) if (((OpenClMatMul.Tiled) k).b == w) mine = (OpenClMatMul.Tiled) k;
        assertTrue(mine != null, "a slot holds w");
        assertEquals(1, mine.a.length, "the activation is let go");
        assertEquals(1, mine.c.length, "the result is let go");
        forwardInAScope(Check.normals(17, M * K), w);       // and the slot still works
    }

    /** Nested scopes and any shapes: the inner scope's products still give the reference's results. */
    @Property(tries = 20, seed = "42")
    void keptWeightsGiveTheReferenceResults(@ForAll @IntRange(min = 1, max = 40) int rows, @ForAll @IntRange(min = 1, max = 40) int out,
                                            @ForAll @IntRange(min = 1, max = 40) int in, @ForAll long seed) {
        float[] w = Check.normals(seed, out * in);
        try (var outer = DeviceWeights.scope()) {
            DeviceWeights.mark(w);
            for (int call = 0; call < 3; call++) {
                float[] x = Check.normals(seed + 1 + call, rows * in), ref = new float[rows * out], got = new float[rows * out];
                MatMul.matmulScalar(x, 0, w, 0, ref, 0, rows, out, in, false, true, false);
                if (call == 1) {
                    try (var inner = DeviceWeights.scope()) {
                        DeviceWeights.mark(w);
                        OpenClMatMul.matmul(x, 0, w, 0, got, 0, rows, out, in, false, true, false, RequiresOpenCl.device());
                    }
                } else {
                    OpenClMatMul.matmul(x, 0, w, 0, got, 0, rows, out, in, false, true, false, RequiresOpenCl.device());
                }
                Check.gemmClose("kept W", x, w, new float[rows * out], ref, got, rows, out, in, false, true, false);
            }
        }
    }
}
