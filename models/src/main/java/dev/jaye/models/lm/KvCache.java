// SPDX-License-Identifier: Apache-2.0
package dev.jaye.models.lm;

import dev.jaye.tensor.Tensor;

/**
 * Keys and values of the tokens seen so far, per layer, so that generating one more token costs
 * one token's work instead of re-reading the whole sequence. Each layer keeps k and v in a buffer
 * [B, Hkv, capacity, D] whose first {@link #length} positions are filled; a step writes its new
 * positions after them, and the capacity doubles (one copy) when it runs out. Decoding attends
 * to the filled part in place ({@code Attention.decode}), so nothing is copied per step.
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
            capacity = Math.max(64, 2 * T);
        }
        if (s[0] != B || s[1] != Hkv || s[3] != D) throw new IllegalArgumentException("KV cache holds [" + B + ", " + Hkv
                + ", T, " + D + "], got " + dev.jaye.tensor.Shape.str(s));
        if (k[i] == null) {
            k[i] = new float[B * Hkv * capacity * D];
            v[i] = new float[B * Hkv * capacity * D];
        }
        if (length[i] + T > capacity) grow(length[i] + T);
        float[] nk = newK.data(), nv = newV.data();
        for (int bh = 0; bh < B * Hkv; bh++) {
            System.arraycopy(nk, bh * T * D, k[i], (bh * capacity + length[i]) * D, T * D);
            System.arraycopy(nv, bh * T * D, v[i], (bh * capacity + length[i]) * D, T * D);
        }
        length[i] += T;
    }

    /** Doubles the capacity of every layer (until it holds {@code need}), keeping what is cached. */
    private void grow(int need) {
        int cap = capacity;
        while (cap < need) cap *= 2;
        for (int i = 0; i < k.length; i++) {
            if (k[i] == null) continue;
            float[] nk = new float[B * Hkv * cap * D], nv = new float[B * Hkv * cap * D];
            for (int bh = 0; bh < B * Hkv; bh++) {
                System.arraycopy(k[i], bh * capacity * D, nk, bh * cap * D, length[i] * D);
                System.arraycopy(v[i], bh * capacity * D, nv, bh * cap * D, length[i] * D);
            }
            k[i] = nk;
            v[i] = nv;
        }
        capacity = cap;
    }

    float[] keys(int i) { return k[i]; }
    float[] values(int i) { return v[i]; }
    int capacity() { return capacity; }
    int length(int i) { return length[i]; }

    /** The filled part of layer i as contiguous [B, Hkv, length, D] tensors (for several new tokens at once). */
    Tensor[] contiguous(int i) {
        int n = length[i];
        float[] ck = new float[B * Hkv * n * D], cv = new float[B * Hkv * n * D];
        for (int bh = 0; bh < B * Hkv; bh++) {
            System.arraycopy(k[i], bh * capacity * D, ck, bh * n * D, n * D);
            System.arraycopy(v[i], bh * capacity * D, cv, bh * n * D, n * D);
        }
        return new Tensor[]{Tensor.wrap(ck, B, Hkv, n, D), Tensor.wrap(cv, B, Hkv, n, D)};
    }

    /** Positions cached so far (in the first layer). */
    public int length() {
        return length[0];
    }
}
