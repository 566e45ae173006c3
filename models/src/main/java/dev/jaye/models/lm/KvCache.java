// SPDX-License-Identifier: Apache-2.0
package dev.jaye.models.lm;

import dev.jaye.tensor.Tensor;

/**
 * Keys and values of the tokens seen so far, per layer, so that generating one more token costs
 * one token's work instead of re-reading the whole sequence. Each layer keeps k, v as
 * [B, Hkv, T, D]; a step appends its new positions along T.
 *
 * <p>Why a new tensor per step (a copy of the cache so far) rather than a preallocated buffer:
 * the attention kernel needs each head's keys contiguous, [Tk, D], and the filled part of a
 * larger buffer is not. Attending over the whole buffer with its empty slots masked out avoids
 * the copy but makes every step attend over the full capacity; measured on the tiny model
 * (16 rows, 48-token prompts) that was no faster at 64 new tokens and 10% slower at 256.
 */
public final class KvCache {
    private final Tensor[] k, v;

    public KvCache(int layers) {
        k = new Tensor[layers];
        v = new Tensor[layers];
    }

    /** Appends this step's keys and values to layer {@code i} and returns all of them so far. */
    Tensor[] append(int i, Tensor newK, Tensor newV) {
        k[i] = k[i] == null ? newK : Tensor.concat(2, k[i], newK);
        v[i] = v[i] == null ? newV : Tensor.concat(2, v[i], newV);
        return new Tensor[]{k[i], v[i]};
    }

    /** Positions cached so far. */
    public int length() {
        return k[0] == null ? 0 : k[0].dim(2);
    }
}
