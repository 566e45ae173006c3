// SPDX-License-Identifier: Apache-2.0
package dev.jaye.models.generate;

import dev.jaye.autograd.Var;
import dev.jaye.autograd.ops.ShapeOps;
import dev.jaye.autograd.ops.SoftmaxOps;
import dev.jaye.models.Vlm;
import dev.jaye.models.processor.Processor;
import dev.jaye.tensor.Tensor;
import dev.jaye.tensor.opencl.DeviceWeights;

import java.util.ArrayList;
import java.util.List;

/**
 * Step III of the method: log p(response token | image, prompt, earlier response tokens), for
 * rows of (image, prompt ids, response ids), the response tokens only.
 *
 * <p>Each row is the sequence prompt + response, right-padded. The logits at column t predict
 * the token at t + 1, so response token j (at column P + j, P = prompt length) is read from
 * column P - 1 + j. Only those rows of the hidden states go through the output head: the
 * [B, T, V] logits of every position are never made, only [rows of response, V].
 *
 * <p>Two forms. {@link #compute} runs under no-grad in chunks of {@code forwardBatchSize} rows
 * (the method's forward_batch_size), so memory is bounded by one chunk: the old-policy and the
 * reference log-probs. {@link #differentiable} keeps the graph, for the policy update.
 * Both take log_softmax of the raw logits (temperature 1), as generation reports it.
 */
public final class LogProbs {
    private LogProbs() {}

    /** One row per (image, prompt, response); {@code result[i].length == responses.get(i).length}. */
    public static float[][] compute(Vlm model, List<Tensor> images, List<int[]> prompts, List<int[]> responses,
                                    int forwardBatchSize) {
        int N = check(images, prompts, responses);
        if (forwardBatchSize < 1) throw new IllegalArgumentException("forwardBatchSize must be >= 1, got " + forwardBatchSize);
        int V = model.config.lm().vocab();
        float[][] out = new float[N][];
        float[] scratch = new float[V];
        try (var g = Var.noGrad(); var constant = DeviceWeights.scope()) {   // weights sent to a device once for all chunks
            for (int c0 = 0; c0 < N; c0 += forwardBatchSize) {
                int c1 = Math.min(N, c0 + forwardBatchSize);
                boolean any = false;
                for (int b = c0; b < c1; b++) any |= responses.get(b).length > 0;
                if (!any) {                                       // nothing to score: no forward
                    for (int b = c0; b < c1; b++) out[b] = new float[0];
                    continue;
                }
                Chunk c = chunk(model, images.subList(c0, c1), prompts.subList(c0, c1), responses.subList(c0, c1));
                float[] logits = c.logits.value.data();           // (B·R, V)
                for (int b = 0; b < c1 - c0; b++) {
                    int len = responses.get(c0 + b).length;
                    out[c0 + b] = new float[len];
                    for (int j = 0; j < len; j++) {
                        int row = b * c.R + j;
                        out[c0 + b][j] = Sampler.logProb(logits, row * V, V, c.targets[row], scratch);
                    }
                }
            }
        }
        return out;
    }

    /**
     * The same log-probs as a differentiable [B, R] (R = the longest response), 0 past each row's
     * response. One forward for all rows: the caller chooses the batch (ppo_backward_batch_size).
     */
    public static Var differentiable(Vlm model, List<Tensor> images, List<int[]> prompts, List<int[]> responses) {
        return withEntropy(model, images, prompts, responses).logProbs();
    }

    /**
     * {@link #differentiable}'s log-probs and, beside them, the entropy of the whole next-token
     * distribution at each response position ([B, R], 0 past a row's response; a plain tensor,
     * outside the graph): the policy update logs it, and it costs one pass over logits that are
     * already there.
     */
    public record Scored(Var logProbs, Tensor entropy) {}

    public static Scored withEntropy(Vlm model, List<Tensor> images, List<int[]> prompts, List<int[]> responses) {
        int B = check(images, prompts, responses);
        if (responses.stream().allMatch(r -> r.length == 0)) throw new IllegalArgumentException("no response tokens in the batch");
        Chunk c = chunk(model, images, prompts, responses);
        Var logSoftmax = SoftmaxOps.logSoftmax(c.logits);                         // (B·R, V)
        Var lp = ShapeOps.gather(logSoftmax, 1, c.targets);                       // (B·R, 1)
        float[] ls = logSoftmax.value.data(), pad = c.padding.data(), h = new float[B * c.R];
        int V = c.logits.shape()[1];
        for (int row = 0; row < h.length; row++) {
            if (pad[row] != 0f) continue;
            double e = 0;                                                         // H = -sum p log p
            for (int v = row * V, end = v + V; v < end; v++) e -= Math.exp(ls[v]) * ls[v];
            h[row] = (float) e;
        }
        return new Scored(ShapeOps.maskedFill(lp.reshape(B, c.R), c.padding, 0f), Tensor.wrap(h, B, c.R));
    }

    /**
     * One right-padded forward: logits [B·R, V] at the columns that predict response tokens
     * (row b·R + j for token j of row b), their targets, and [B, R] 1 where j is past the row's
     * response (those rows read column 0 and target {@code <pad>}: computed, then ignored).
     */
    private record Chunk(Var logits, int[] targets, Tensor padding, int R) {}

    private static Chunk chunk(Vlm model, List<Tensor> images, List<int[]> prompts, List<int[]> responses) {
        int B = images.size(), R = 0;
        List<int[]> rows = new ArrayList<>(B);
        for (int b = 0; b < B; b++) {
            int[] p = prompts.get(b), r = responses.get(b);
            int[] row = java.util.Arrays.copyOf(p, p.length + r.length);
            System.arraycopy(r, 0, row, p.length, r.length);
            rows.add(row);
            R = Math.max(R, r.length);
        }
        Processor.Batch batch = Processor.pad(rows, images, false);
        int T = batch.length(), C = model.config.lm().width();
        int[] at = new int[B * R], targets = new int[B * R];   // hidden row, next token; 0 (= <pad>) past the response
        float[] padding = new float[B * R];
        for (int b = 0; b < B; b++) {
            int P = prompts.get(b).length;
            int[] r = responses.get(b);
            for (int j = 0; j < R; j++) {
                if (j < r.length) {
                    at[b * R + j] = b * T + P - 1 + j;
                    targets[b * R + j] = r[j];
                } else {
                    at[b * R + j] = b * T;
                    padding[b * R + j] = 1f;
                }
            }
        }
        Var h = model.hidden(batch).reshape(B * T, C);                          // each distinct image encoded once
        Var logits = model.lm.logits(ShapeOps.indexSelect(h, 0, at));            // (B·R, V)
        return new Chunk(logits, targets, Tensor.wrap(padding, B, R), R);
    }

    private static int check(List<Tensor> images, List<int[]> prompts, List<int[]> responses) {
        int N = images.size();
        if (prompts.size() != N || responses.size() != N) throw new IllegalArgumentException(
                N + " images, " + prompts.size() + " prompts and " + responses.size() + " responses: need one of each per row");
        for (int i = 0; i < N; i++)
            if (prompts.get(i).length == 0) throw new IllegalArgumentException("row " + i + " has an empty prompt");
        return N;
    }
}
