// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.sft;

import dev.jaye.models.processor.Processor;
import dev.jaye.models.tokenizer.Tokenizer;
import dev.jaye.tensor.Tensor;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A supervised batch: prompt + response rows, right-padded, with a next-token target and a loss
 * weight at every position. Only response tokens are targets (the prompt and the image are
 * context, not something to imitate), and in answer-only mode only the tokens inside the final
 * {@code \boxed{...}}: docs/nano-recipe.md found that a from-scratch model trained on whole
 * responses learns the template and ignores the image, while the answer tokens alone force it to look.
 *
 * @param batch   ids [B·T], mask [B, T], pixels
 * @param targets the token to predict at each position [B·T], {@link #IGNORE} where nothing is
 * @param weights the loss weight of each position [B·T] (0 where ignored)
 */
public record SftBatch(Processor.Batch batch, int[] targets, float[] weights) {

    /** Target value of positions that are not predicted. */
    public static final int IGNORE = -1;

    /** Which response tokens carry loss. */
    public enum Weighting { RESPONSE, ANSWER_ONLY }

    /**
     * Builds a batch from prompts and responses (each response already ends with {@code <eos>}).
     * In ANSWER_ONLY mode a response without {@code \boxed{}} falls back to all its tokens.
     */
    public static SftBatch of(Tokenizer tok, List<int[]> prompts, List<int[]> responses, List<Tensor> pixels, Weighting w) {
        int B = prompts.size();
        List<int[]> rows = new java.util.ArrayList<>(B);
        for (int b = 0; b < B; b++) {
            int[] p = prompts.get(b), r = responses.get(b), row = java.util.Arrays.copyOf(p, p.length + r.length);
            System.arraycopy(r, 0, row, p.length, r.length);
            rows.add(row);
        }
        Processor.Batch batch = Processor.pad(rows, pixels, false);
        int T = batch.length();
        int[] targets = new int[B * T];
        float[] weights = new float[B * T];
        java.util.Arrays.fill(targets, IGNORE);
        for (int b = 0; b < B; b++) {
            int[] r = responses.get(b);
            boolean[] inAnswer = w == Weighting.ANSWER_ONLY ? answerTokens(tok, r) : null;
            boolean any = false;
            if (inAnswer != null) for (boolean x : inAnswer) any |= x;
            int p = prompts.get(b).length;
            for (int k = 0; k < r.length; k++) {
                int at = b * T + p - 1 + k;                       // position p-1+k predicts response token k
                targets[at] = r[k];
                weights[at] = inAnswer == null || !any || inAnswer[k] ? 1f : 0f;
            }
        }
        return new SftBatch(batch, targets, weights);
    }

    /**
     * Which tokens of a response lie inside the last {@code \boxed{...}} (braces matched; a token
     * that straddles the edge counts). Works on bytes: braces are ASCII, so UTF-8 cannot fool it.
     */
    public static boolean[] answerTokens(Tokenizer tok, int[] response) {
        int[] start = new int[response.length + 1];
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int k = 0; k < response.length; k++) {
            start[k] = bytes.size();
            if (response[k] != Tokenizer.EOS && response[k] != Tokenizer.PAD) bytes.writeBytes(tok.tokenBytes(response[k]));
        }
        start[response.length] = bytes.size();
        byte[] text = bytes.toByteArray();
        byte[] marker = "\\boxed{".getBytes(StandardCharsets.US_ASCII);
        int open = lastIndexOf(text, marker);
        boolean[] in = new boolean[response.length];
        if (open < 0) return in;
        int from = open + marker.length, depth = 1, to = from;
        for (; to < text.length && depth > 0; to++) {
            if (text[to] == '{') depth++;
            else if (text[to] == '}') depth--;
        }
        int end = depth == 0 ? to - 1 : text.length;             // content is [from, end)
        for (int k = 0; k < response.length; k++) in[k] = start[k] < end && start[k + 1] > from;
        return in;
    }

    private static int lastIndexOf(byte[] text, byte[] pat) {
        outer:
        for (int i = text.length - pat.length; i >= 0; i--) {
            for (int j = 0; j < pat.length; j++) if (text[i + j] != pat[j]) continue outer;
            return i;
        }
        return -1;
    }
}
