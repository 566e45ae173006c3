// SPDX-License-Identifier: Apache-2.0
package dev.jaye.models.processor;

import dev.jaye.models.tokenizer.Tokenizer;
import dev.jaye.tensor.Tensor;

import java.util.List;

/**
 * Step I of the method, data flow: images and questions become the model's inputs. The prompt
 * template lives here and nowhere else:
 * <pre>
 *   &lt;bos&gt; &lt;image&gt; x I   question   \n          (then the response, then &lt;eos&gt;)
 * </pre>
 * A batch pads every row to the longest one: on the left for generation (so every row's next
 * token lands in the same, last column), on the right for training. The mask is 1 on real tokens.
 */
public final class Processor {
    private final Tokenizer tokenizer;
    private final ImageProcessor images;
    private final int imageTokens;

    public Processor(Tokenizer tokenizer, ImageProcessor images, int imageTokens) {
        this.tokenizer = tokenizer;
        this.images = images;
        this.imageTokens = imageTokens;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public ImageProcessor images() {
        return images;
    }

    /** The prompt as text, with the special tokens spelled out. */
    public String template(String question) {
        return "<bos>" + "<image>".repeat(imageTokens) + question + "\n";
    }

    /** Token ids of a prompt: specials are recognised in the template, never in the question itself. */
    public int[] promptIds(String question) {
        int[] head = new int[1 + imageTokens];
        head[0] = Tokenizer.BOS;
        java.util.Arrays.fill(head, 1, head.length, Tokenizer.IMAGE);
        int[] q = tokenizer.encode(question + "\n");
        int[] ids = java.util.Arrays.copyOf(head, head.length + q.length);
        System.arraycopy(q, 0, ids, head.length, q.length);
        return ids;
    }

    /**
     * A padded batch: ids [B·T] row-major, mask [B, T], and the batch's distinct images, pixels
     * [U, 3, S, S] (U ≤ B), with {@code image[b]} the one row b asks about. An RL step asks
     * num_samples questions about each image: its vision tower then runs once per image, not once
     * per row, and the rows' gradients (when the tower trains) add up in the shared image tokens.
     */
    public record Batch(int[] ids, Tensor mask, Tensor pixels, int[] image) {
        public int rows() { return mask.dim(0); }
        public int length() { return mask.dim(1); }
    }

    /**
     * Pads token rows to a batch; {@code left} puts the padding before the tokens. Rows given the
     * same pixel tensor (the same object) share one image in the batch.
     */
    public static Batch pad(List<int[]> rows, List<Tensor> pixels, boolean left) {
        return pad(rows, pixels, left, 0);
    }

    /**
     * The same, at least {@code width} tokens wide: a part of a batch padded as the whole batch
     * is. How much left padding a row gets moves its keys between the vector lanes and the scalar
     * tail of the softmax sums, so a part padded less than the whole would differ in the last bits.
     */
    public static Batch pad(List<int[]> rows, List<Tensor> pixels, boolean left, int width) {
        if (rows.size() != pixels.size()) throw new IllegalArgumentException(rows.size() + " token rows but " + pixels.size() + " images");
        int B = rows.size(), T = width;
        for (int[] r : rows) T = Math.max(T, r.length);
        int[] ids = new int[B * T];                     // Tokenizer.PAD is 0
        float[] mask = new float[B * T];
        for (int b = 0; b < B; b++) {
            int[] r = rows.get(b);
            int start = b * T + (left ? T - r.length : 0);
            System.arraycopy(r, 0, ids, start, r.length);
            java.util.Arrays.fill(mask, start, start + r.length, 1f);
        }
        java.util.Map<Tensor, Integer> seen = new java.util.IdentityHashMap<>();
        List<Tensor> distinct = new java.util.ArrayList<>();
        int[] image = new int[B];
        for (int b = 0; b < B; b++) {
            Tensor px = pixels.get(b);
            Integer at = seen.get(px);
            if (at == null) {
                seen.put(px, at = distinct.size());
                distinct.add(px);
            }
            image[b] = at;
        }
        return new Batch(ids, Tensor.wrap(mask, B, T), Tensor.stack(0, distinct.toArray(new Tensor[0])), image);
    }
}
