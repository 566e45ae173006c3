// SPDX-License-Identifier: Apache-2.0
package dev.jaye.models.lm;

import dev.jaye.tensor.Tensor;
import dev.jaye.tensor.kernels.Attention;

/**
 * Keys and values of the tokens seen so far, per layer, so that generating one more token costs
 * one token's work instead of re-reading the whole sequence. Values are kept as [B, Hkv,
 * capacity, D] and keys transposed, [B, Hkv, D, capacity] (why: {@code Attention.decodeCached}
 * scores a vector's worth of keys at once without horizontal sums); the first {@link #length}
 * positions are filled. A step writes its new positions after them, and the capacity doubles
 * (one copy) when it runs out. Decoding attends to the filled part in place, so nothing is
 * copied per step.
 */
public final class KvCache {
    private final float[][] k, v;
    private final int[] length;
    private int B, Hkv, D, capacity;

    public KvCache(int layers) {
        k = new float[layers][];
        v = new float[layers][];
        length = new int[layers];
    }

    /** Writes this step's keys and values [B, Hkv, T, D] for layer {@code i} after the ones cached. */
    void append(int i, Tensor newK, Tensor newV) {
        int[] s = newK.shape();
        int T = s[2];
        if (k[i] == null && capacity == 0) {
            B = s[0];
            Hkv = s[1];
            D = s[3];
            capacity = roundUp(Math.max(64, 2 * T));
        }
        if (s[0] != B || s[1] != Hkv || s[3] != D) throw new IllegalArgumentException("KV cache holds [" + B + ", " + Hkv
                + ", T, " + D + "], got " + dev.jaye.tensor.Shape.str(s));
        if (k[i] == null) {
            k[i] = new float[B * Hkv * D * capacity];
            v[i] = new float[B * Hkv * capacity * D];
        }
        if (length[i] + T > capacity) grow(length[i] + T);
        float[] nk = newK.data(), nv = newV.data(), ki = k[i];
        int n = length[i];
        for (int bh = 0; bh < B * Hkv; bh++) {
            for (int t = 0; t < T; t++)
                for (int d = 0; d < D; d++) ki[(bh * D + d) * capacity + n + t] = nk[(bh * T + t) * D + d];
            System.arraycopy(nv, bh * T * D, v[i], (bh * capacity + n) * D, T * D);
        }
        length[i] += T;
    }

    /** A capacity that {@code Attention.decodeCached} can read a whole vector past the filled part of. */
    private static int roundUp(int n) {
        int m = Attention.cacheMultiple();
        return (n + m - 1) / m * m;
    }

    /** Doubles the capacity of every layer (until it holds {@code need}), keeping what is cached. */
    private void grow(int need) {
        int cap = capacity;
        while (cap < need) cap *= 2;
        for (int i = 0; i < k.length; i++) {
            if (k[i] == null) continue;
            float[] nk = new float[B * Hkv * D * cap], nv = new float[B * Hkv * cap * D];
            for (int bh = 0; bh < B * Hkv; bh++) {
                for (int d = 0; d < D; d++) System.arraycopy(k[i], (bh * D + d) * capacity, nk, (bh * D + d) * cap, length[i]);
                System.arraycopy(v[i], bh * capacity * D, nv, bh * cap * D, length[i] * D);
            }
            k[i] = nk;
            v[i] = nv;
        }
        capacity = cap;
    }

    /** Layer i's keys, transposed: [B, Hkv, D, capacity]. */
    float[] keysTransposed(int i) { return k[i]; }
    /** Layer i's values: [B, Hkv, capacity, D]. */
    float[] values(int i) { return v[i]; }
    int capacity() { return capacity; }
    int length(int i) { return length[i]; }

    /** The filled part of layer i as contiguous [B, Hkv, length, D] tensors (for several new tokens at once). */
    Tensor[] contiguous(int i) {
        int n = length[i];
        float[] ck = new float[B * Hkv * n * D], cv = new float[B * Hkv * n * D], ki = k[i];
        for (int bh = 0; bh < B * Hkv; bh++) {
            for (int t = 0; t < n; t++)
                for (int d = 0; d < D; d++) ck[(bh * n + t) * D + d] = ki[(bh * D + d) * capacity + t];
            System.arraycopy(v[i], bh * capacity * D, cv, bh * n * D, n * D);
        }
        return new Tensor[]{Tensor.wrap(ck, B, Hkv, n, D), Tensor.wrap(cv, B, Hkv, n, D)};
    }

    /**
     * Keeps only batch rows {@code rows}, in that order, and drops the others: generation lets go
     * of the rows that have finished. What a kept row has cached does not move within its row, so
     * it goes on decoding exactly as before. A row may be named more than once: generation copies
     * a prompt read once to each of the rows that ask it.
     */
    public void keepRows(int[] rows) {
        int per = Hkv * D * capacity;                      // one row of one layer, keys or values
        for (int i = 0; i < k.length; i++) {
            if (k[i] == null) continue;
            float[] nk = new float[rows.length * per], nv = new float[rows.length * per];
            for (int r = 0; r < rows.length; r++) {
                System.arraycopy(k[i], rows[r] * per, nk, r * per, per);
                System.arraycopy(v[i], rows[r] * per, nv, r * per, per);
            }
            k[i] = nk;
            v[i] = nv;
        }
        B = rows.length;
    }

    /** Positions cached so far (in the first layer). */
    public int length() {
        return length[0];
    }
}
