// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.kernels;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Runs every CPU kernel on fixed inputs and prints one line per kernel: its name and a SHA-256 of
 * its outputs' bits. {@link WidthTest} runs it in JVMs of several vector widths
 * ({@code -Djaye.simd.bits}) and compares the lines. The sizes are chosen to leave tails at every
 * width (1 to 37 elements, 67, 100, 4099 across a parallel chunk) and products with ragged tiles.
 */
public final class WidthProbe {
    private WidthProbe() {}

    public static void main(String[] args) throws Exception {
        System.out.println("width " + Simd.F.length());
        int[] sizes = {1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 23, 31, 32, 33, 37, 67, 100, 4099};

        for (Elementwise.Unary op : Elementwise.Unary.values()) {
            Digest d = new Digest();
            for (int n : sizes) {
                float[] x = values(n, op == Elementwise.Unary.LOG || op == Elementwise.Unary.SQRT || op == Elementwise.Unary.RSQRT ? 0 : -6, 6, 1000 + n);
                float[] out = new float[n];
                Elementwise.unary(op, x, 0, out, 0, n);
                d.add(out);
            }
            d.print("unary " + op);
        }
        Digest pow = new Digest();
        for (int n : sizes) {
            float[] out = new float[n];
            Elementwise.pow(values(n, 0, 3, 7 + n), 1.7f, out, n);
            pow.add(out);
        }
        pow.print("pow");
        for (Elementwise.Binary op : Elementwise.Binary.values()) {
            Digest d = new Digest();
            for (int n : sizes) {
                float[] a = values(3 * n, -2, 2, n), b = values(n, -2, 2, 5 * n), out = new float[3 * n];
                Elementwise.binary(op, a, new int[]{3, n}, b, new int[]{n}, out, new int[]{3, n});
                d.add(out);
            }
            for (int n : sizes) {                                // one operand a single value (the broadcast path)
                float[] a = values(n, -2, 2, 3 * n), b = {0.75f}, out = new float[n];
                Elementwise.binary(op, a, new int[]{n}, b, new int[]{1}, out, new int[]{n});
                d.add(out);
                Elementwise.binary(op, b, new int[]{1}, a, new int[]{n}, out, new int[]{n});
                d.add(out);
            }
            d.print("binary " + op);
        }

        Digest gelu = new Digest(), silu = new Digest();
        for (int n : sizes) {
            float[] x = values(n, -5, 5, 3 * n), g = values(n, -1, 1, 4 * n), dx = new float[n];
            ActivationGrad.geluBackward(x, g, dx, n);
            gelu.add(dx);
            ActivationGrad.siluBackward(x, g, dx, n);
            silu.add(dx);
        }
        gelu.print("gelu backward");
        silu.print("silu backward");

        Digest soft = new Digest(), logSoft = new Digest();
        for (int n : sizes) {
            if (n > 100) continue;
            float[] x = values(3 * n, -8, 8, 11 * n), out = new float[3 * n];
            Softmax.softmax(x, out, 3, n);
            soft.add(out);
            Softmax.logSoftmax(x, out, 3, n);
            logSoft.add(out);
        }
        for (int n : new int[]{1, 9, 37}) {                      // in place, and with -inf, +inf, NaN, -0 and tiny entries
            float[] x = values(n, -90, 8, 19 * n);
            if (n > 5) {
                x[1] = Float.NEGATIVE_INFINITY;
                x[3] = -0f;
                x[4] = -89f;
            }
            float[] a = x.clone(), b = x.clone();
            Softmax.softmaxRow(a, 0, a, 0, n);
            Softmax.logSoftmaxRow(b, 0, b, 0, n);
            soft.add(a, b);
            x[n - 1] = Float.POSITIVE_INFINITY;
            Softmax.softmaxRow(x, 0, a, 0, n);
            soft.add(a);
        }
        soft.print("softmax");
        logSoft.print("log softmax");

        Digest layer = new Digest(), rms = new Digest();
        for (int C : sizes) {
            if (C > 100) continue;
            float[] x = values(4 * C, -3, 3, 13 * C), w = values(C, 0.5f, 1.5f, C), b = values(C, -1, 1, 2 * C);
            float[] out = new float[4 * C], mean = new float[4], rstd = new float[4];
            Norms.layerNorm(x, w, b, 1e-5f, 4, C, out, mean, rstd);
            layer.add(out, mean, rstd);
            Norms.layerNorm(x, w, null, 1e-5f, 4, C, out, mean, rstd);
            layer.add(out);
            Norms.rmsNorm(x, w, 1e-5f, 4, C, out, rstd);
            rms.add(out, rstd);
        }
        layer.print("layer norm");
        rms.print("rms norm");

        for (Reduce.Op op : Reduce.Op.values()) {
            Digest d = new Digest();
            for (int n : sizes)
                for (int inner : new int[]{1, 3, 17}) {
                    float[] x = values(2 * n * inner, -4, 4, 17 * n + inner), out = new float[2 * inner];
                    Reduce.reduce(op, x, 2, n, inner, out);
                    d.add(out);
                }
            d.print("reduce " + op);
        }

        Digest arg = new Digest();
        for (int n : sizes)
            for (int inner : new int[]{1, 3}) {
                float[] x = values(2 * n * inner, -4, 4, 23 * n + inner);
                if (n > 3) x[2] = x[n - 1] = 5f;                  // a tie: the first one wins
                int[] out = new int[2 * inner];
                Reduce.argmax(x, 2, n, inner, out);
                float[] f = new float[out.length];
                for (int i = 0; i < out.length; i++) f[i] = out[i];
                arg.add(f);
            }
        arg.print("argmax");

        Digest mm = new Digest();
        int[][] shapes = {{1, 1, 1}, {3, 5, 7}, {4, 16, 9}, {9, 33, 17}, {17, 40, 64}, {33, 67, 100}, {64, 96, 1100}};
        for (int[] s : shapes)
            for (int form = 0; form < 4; form++) {
                int M = s[0], N = s[1], K = s[2];
                boolean transA = form == 1, transB = form == 2, acc = form == 3;
                float[] a = values(M * K, -1, 1, M + N), b = values(K * N, -1, 1, N + K), c = values(M * N, -1, 1, M * N);
                MatMul.matmul(a, 0, b, 0, c, 0, M, N, K, transA, transB, acc);
                mm.add(c);
            }
        float[] w = values(40 * 24, -1, 1, 99), xs = values(3 * 5 * 24, -1, 1, 98), ys = new float[3 * 5 * 40];
        MatMul.batched(3, xs, 0, 5 * 24, w, 0, 0, ys, 0, 5 * 40, 5, 40, 24, false, true, false);   // x·Wᵀ per batch item
        mm.add(ys);
        try (var packed = PackedWeights.scope()) {               // a weight packed once for many calls
            packed.weight(w);
            MatMul.matmul(xs, 0, w, 0, ys, 0, 15, 40, 24, false, true, false);
            mm.add(ys);
        }
        mm.print("matmul");

        Digest rope = new Digest();
        for (int D : new int[]{2, 6, 16, 34}) {
            int B = 2, H = 3, T = 5;
            float[] x = values(B * H * T * D, -2, 2, D), out = new float[x.length];
            Rope.rope(x, out, B, H, T, D, new int[]{0, 1, 2, 3, 9}, 10000f, false);
            rope.add(out);
            Rope.rope(x, out, B, H, T, D, new int[]{0, 0, 1, 2, 3, 4, 5, 6, 7, 8}, 10000f, true);
            rope.add(out);
        }
        rope.print("rope");

        Digest att = new Digest(), dec = new Digest();
        for (int D : new int[]{4, 12, 16, 20}) {
            int B = 2, H = 4, Hkv = 2, Tk = 19;
            float[] k = values(B * Hkv * Tk * D, -1, 1, 3 * D), v = values(B * Hkv * Tk * D, -1, 1, 5 * D);
            float[] mask = new float[B * Tk];
            for (int j = 0; j < B * Tk; j++) mask[j] = j == 2 || j == Tk + 5 ? 0f : 1f;
            for (int Tq : new int[]{1, 7, 19}) {
                float[] q = values(B * H * Tq * D, -1, 1, 7 * D + Tq), out = new float[q.length], probs = new float[B * H * Tq * Tk];
                Attention.attention(q, k, v, B, H, Hkv, Tq, Tk, D, 0.37f, true, mask, out, probs);
                att.add(out, probs);
                Attention.attention(q, k, v, B, H, Hkv, Tq, Tk, D, 0.37f, Tq > 1, mask, out, null);
                att.add(out);
            }
            int capacity = 32;                                   // a multiple of every width's lanes
            float[] kT = values(B * Hkv * D * capacity, -1, 1, 9 * D), vc = values(B * Hkv * capacity * D, -1, 1, 11 * D);
            float[] q = values(B * H * D, -1, 1, 13 * D), out = new float[q.length];
            Attention.decodeCached(q, kT, vc, B, H, Hkv, Tk, capacity, D, 0.37f, mask, out);
            dec.add(out);
        }
        att.print("attention");
        dec.print("attention, cached decode");
    }

    /** n values in [lo, hi), from a fixed seed. */
    static float[] values(int n, float lo, float hi, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = lo + (hi - lo) * (float) r.nextDouble();
        return x;
    }

    /** SHA-256 over the bits of every float added. */
    static final class Digest {
        private final MessageDigest sha;

        Digest() throws Exception {
            sha = MessageDigest.getInstance("SHA-256");
        }

        void add(float[]... arrays) {
            for (float[] a : arrays) {
                ByteBuffer buf = ByteBuffer.allocate(4 * a.length);
                for (float f : a) buf.putInt(Float.floatToRawIntBits(f));
                sha.update(buf.array());
            }
        }

        void print(String name) {
            System.out.println(name + " " + HexFormat.of().formatHex(sha.digest()));
        }
    }
}
