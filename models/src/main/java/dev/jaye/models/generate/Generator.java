// SPDX-License-Identifier: Apache-2.0
package dev.jaye.models.generate;

import dev.jaye.autograd.Var;
import dev.jaye.autograd.ops.ShapeOps;
import dev.jaye.models.Vlm;
import dev.jaye.models.lm.KvCache;
import dev.jaye.models.lm.LanguageModel;
import dev.jaye.models.processor.Processor;
import dev.jaye.models.tokenizer.Tokenizer;
import dev.jaye.tensor.Parallel;
import dev.jaye.tensor.Rng;
import dev.jaye.tensor.Tensor;
import dev.jaye.tensor.kernels.PackedWeights;
import dev.jaye.tensor.opencl.Backend;
import dev.jaye.tensor.opencl.DeviceWeights;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Step II of the method, response collection: a batch of prompts in, one sampled response per
 * row out, with the KV cache.
 *
 * <pre>
 *   images -> ViT + connector, once per distinct image    image tokens [images, I, C]
 *   prefill: each distinct prompt of the left-padded batch fills the cache, logits of the last column
 *            (a question's n draws share it: its cache row is copied to each)
 *   repeat:  pick a token per row (Sampler)
 *            feed the B new tokens as one column          [B, 1] -> logits [B, 1, V]
 * </pre>
 * Left padding puts every row's last prompt token in the same (last) column, so each step is one
 * column for the whole batch. Positions still count each row's real tokens from 0, as in
 * {@link Vlm#positions}, so a row gets the same RoPE angles as it would alone; the key mask grows
 * by a column of 1s per step and keeps hiding the prompt padding.
 *
 * <p>What comes back per row ({@link Response}): the response ids <b>including the {@code <eos>}
 * when the row emitted one</b> (the method scores the response up to and including the
 * end-of-sequence, and puts the reward on it); the text without special tokens; the
 * log-probability of each id (see {@link Sampler}: the raw model's log_softmax, the same number
 * {@link LogProbs} recomputes); and {@code finished}, true iff the response ends with
 * {@code <eos>}: the row stopped by itself (false: it hit {@code maxTokens}, which the method's
 * penalty rewards look at).
 *
 * <p>A finished row keeps being fed {@code <pad>} so that the batch stays one rectangle; its
 * logits are ignored. The loop ends when every row has finished or at {@code maxTokens}.
 *
 * <p>Never sampled: {@code <pad>}, {@code <bos>} and {@code <image>} (an extra {@code <image>}
 * would break the image splice when step III re-reads the ids, and a {@code <pad>} would read as
 * padding), and ids the tokenizer cannot decode (a model's vocabulary may be larger than its
 * tokenizer's). Only {@code <eos>} among the specials can come out.
 *
 * <p>Seeds: each row samples from its own {@link Rng}, seeded by {@link Settings#rowSeed}(row)
 * unless the caller passes seeds. A row's tokens then depend only on its prompt, its image and
 * its seed, not on the other rows: generating row i alone with seed rowSeed(i) gives the same
 * tokens (up to float rounding, which only matters at a near tie). Give each generation step its
 * own {@link Settings#seed}, or every step repeats the same draws.
 */
public final class Generator {

    /**
     * temperature: 0 = greedy, else softmax(logits / temperature); topK: 0 = off; topP: 1 = off;
     * maxTokens: the most tokens a response may have, {@code <eos>} included; stopAtEos: false
     * keeps sampling past {@code <eos>} (benchmarks that need a fixed length).
     */
    public record Settings(double temperature, int topK, double topP, int maxTokens, long seed, boolean stopAtEos) {
        public Settings {
            if (!(temperature >= 0) || Double.isInfinite(temperature)) throw new IllegalArgumentException("temperature must be >= 0 and finite, got " + temperature);
            if (topK < 0) throw new IllegalArgumentException("topK must be >= 0 (0 = off), got " + topK);
            if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("topP must be in (0, 1] (1 = off), got " + topP);
            if (maxTokens < 1) throw new IllegalArgumentException("max tokens (--max-tokens, max_tokens) must be >= 1, got " + maxTokens);
        }

        /** Sampling at {@code temperature} with nucleus {@code topP}, no top-k, stopping at {@code <eos>}. */
        public static Settings sampling(double temperature, double topP, int maxTokens, long seed) {
            return new Settings(temperature, 0, topP, maxTokens, seed, true);
        }

        /** The most likely token every step. */
        public static Settings greedy(int maxTokens) {
            return new Settings(0, 0, 1, maxTokens, 0, true);
        }

        public Settings withTopK(int k) { return new Settings(temperature, k, topP, maxTokens, seed, stopAtEos); }
        public Settings withSeed(long s) { return new Settings(temperature, topK, topP, maxTokens, s, stopAtEos); }
        public Settings withStopAtEos(boolean on) { return new Settings(temperature, topK, topP, maxTokens, seed, on); }

        /**
         * Row {@code row}'s seed: the SplitMix64 finaliser of seed + (row + 1)·golden ratio, so
         * nearby seeds and rows give unrelated streams, and a row's seed does not depend on the
         * batch size.
         */
        public long rowSeed(int row) {
            long z = seed + (row + 1L) * 0x9E3779B97F4A7C15L;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }
    }

    /** One row's response; {@code ids}, {@code logProbs} have the same length. */
    public record Response(int[] ids, String text, float[] logProbs, boolean finished) {}

    private final Vlm model;
    private final Processor processor;
    private final boolean[] banned;
    boolean dropFinished = true;                  // tests: false keeps every row in the batch to the end
    boolean sharePrompts = true;                  // tests: false reads every row's prompt itself

    public Generator(Vlm model, Processor processor) {
        this.model = model;
        this.processor = processor;
        int V = model.config.lm().vocab(), known = processor.tokenizer().vocabSize();
        if (known > V) throw new IllegalArgumentException("the tokenizer has " + known + " ids, the model only " + V);
        banned = new boolean[V];
        banned[Tokenizer.PAD] = banned[Tokenizer.BOS] = banned[Tokenizer.IMAGE] = true;
        Arrays.fill(banned, known, V, true);
    }

    /** Responses to questions about images (pixels [3, S, S] each, as the ImageProcessor gives). */
    public List<Response> generate(List<Tensor> images, List<String> questions, Settings s) {
        List<int[]> rows = new ArrayList<>();
        for (String q : questions) rows.add(processor.promptIds(q));
        return generate(Processor.pad(rows, images, true), s);
    }

    /** Responses to a left-padded prompt batch; row b samples with seed {@code s.rowSeed(b)}. */
    public List<Response> generate(Processor.Batch prompts, Settings s) {
        long[] seeds = new long[prompts.rows()];
        for (int b = 0; b < seeds.length; b++) seeds[b] = s.rowSeed(b);
        return generate(prompts, s, seeds);
    }

    /** Responses to a left-padded prompt batch, row b sampling from {@code new Rng(rowSeeds[b])}. */
    public List<Response> generate(Processor.Batch prompts, Settings s, long[] rowSeeds) {
        int B = prompts.rows(), T = prompts.length(), V = model.config.lm().vocab();
        if (rowSeeds.length != B) throw new IllegalArgumentException(rowSeeds.length + " seeds for " + B + " rows");
        int[] len = promptLengths(prompts.mask());                 // real tokens per row
        int longest = Arrays.stream(len).max().orElse(0);
        if (longest + s.maxTokens() > model.config.lm().maxPositions()) throw new IllegalArgumentException("a prompt of "
                + longest + " tokens plus " + s.maxTokens() + " new ones exceeds lm.max_positions " + model.config.lm().maxPositions());
        Rng[] rng = new Rng[B];
        for (int b = 0; b < B; b++) rng[b] = new Rng(rowSeeds[b]);

        int[][] ids = new int[B][s.maxTokens()];
        float[][] logp = new float[B][s.maxTokens()];
        int[] n = new int[B];                                      // tokens so far per row
        boolean[] done = new boolean[B];
        float[] scratch = new float[V];
        LanguageModel lm = model.lm;

        // No gradients, and weights that stay put: each weight matrix is packed for the GEMM once
        // for the whole generation instead of at every step (PackedWeights), and sent to an
        // OpenCL device once (DeviceWeights). Each step is a chain of small products: split them
        // across threads sooner than usual (Parallel.fineGrained).
        try (var g = Var.noGrad(); var packed = PackedWeights.scope(); var onDevice = DeviceWeights.scope();
             var fine = Parallel.fineGrained()) {
            // Prefill: each distinct prompt once; only the last column's logits are needed.
            // Rows that ask the same question about the same image (a question's n draws in an
            // evaluation, its group in an RL step) have the same prompt: it is read once, and its
            // cache and last logits are copied to each of them. A row's numbers do not depend on
            // the rows beside it, so the copies are exactly what each row would have computed.
            // Not with an OpenCL device (a smaller product may stay on the CPU; see below).
            int[] of = sharePrompts && Backend.device().isEmpty() ? sameRows(prompts) : null;   // row -> its prompt
            int[] read = of == null ? null : Arrays.stream(of).distinct().toArray();             // the rows read
            Processor.Batch once = of == null || read.length == B ? prompts : rowsOf(prompts, read);
            int U = once.rows();
            KvCache cache = model.newCache();
            Var x = model.embed(model.imageTokens(once.pixels()), once.image(), once.ids(), U, T);   // each image once
            Var h = lm.forward(x, Vlm.positions(once.mask()), once.mask(), cache);   // (U, T, C)
            float[] logits = lm.logits(ShapeOps.slice(h, 1, T - 1, T)).value.data();  // (U, 1, V)
            if (U < B) {
                int[] at = new int[B];                             // row b's prompt among the rows read
                for (int b = 0; b < B; b++) at[b] = Arrays.binarySearch(read, of[b]);
                cache.keepRows(at);
                float[] all = new float[B * V];
                for (int b = 0; b < B; b++) System.arraycopy(logits, at[b] * V, all, b * V, V);
                logits = all;                                      // (B, 1, V)
            }
            Tensor keyMask = prompts.mask();
            int[] row = new int[B];                                // batch position -> the caller's row
            for (int b = 0; b < B; b++) row[b] = b;

            for (int step = 0; ; step++) {
                int A = row.length, finished = 0;
                int[] next = new int[A];                           // <pad> (0) for finished rows
                int[] pos = new int[A];
                for (int a = 0; a < A; a++) {
                    int b = row[a];
                    pos[a] = len[b] + step;                        // the new token's position in row b
                    if (!done[b]) {
                        int t = Sampler.sample(logits, a * V, V, banned, s.temperature(), s.topK(), s.topP(), rng[b]);
                        ids[b][n[b]] = t;
                        logp[b][n[b]++] = Sampler.logProb(logits, a * V, V, t, scratch);
                        done[b] = (t == Tokenizer.EOS && s.stopAtEos()) || n[b] == s.maxTokens();
                        next[a] = t;
                    }
                    if (done[b]) finished++;
                }
                if (finished == A) break;
                // Finished rows would go on costing a row of every product: once they are a quarter
                // of the batch, they leave it (a row's numbers do not depend on the rows beside it,
                // so the others decode exactly as before; GeneratorTest holds it to that). Not with
                // an OpenCL device: a smaller product can fall below the size it is offloaded at,
                // and the CPU's sums are not the device's.
                if (dropFinished && finished * 4 >= A && Backend.device().isEmpty()) {
                    int[] keep = new int[A - finished];
                    for (int a = 0, j = 0; a < A; a++) if (!done[row[a]]) keep[j++] = a;
                    cache.keepRows(keep);
                    keyMask = keyMask.indexSelect(0, keep);
                    int[] r = new int[keep.length], nx = new int[keep.length], ps = new int[keep.length];
                    for (int j = 0; j < keep.length; j++) {
                        r[j] = row[keep[j]];
                        nx[j] = next[keep[j]];
                        ps[j] = pos[keep[j]];
                    }
                    row = r;
                    next = nx;
                    pos = ps;
                    A = keep.length;
                }
                keyMask = Tensor.concat(1, keyMask, Tensor.ones(A, 1));   // (A, Tk + 1)
                h = lm.forward(lm.embed(next, A, 1), pos, keyMask, cache);  // (A, 1, C)
                logits = lm.logits(h).value.data();                         // (A, 1, V)
            }
        }

        Tokenizer tok = processor.tokenizer();
        List<Response> out = new ArrayList<>(B);
        for (int b = 0; b < B; b++) {
            int[] r = Arrays.copyOf(ids[b], n[b]);
            boolean finished = n[b] > 0 && r[n[b] - 1] == Tokenizer.EOS;
            int[] text = Arrays.stream(r).filter(t -> t >= Tokenizer.BYTE_OFFSET).toArray();
            out.add(new Response(r, tok.decode(text), Arrays.copyOf(logp[b], n[b]), finished));
        }
        return out;
    }

    /**
     * For each row, the first row with the same image and the same (padded) tokens: itself
     * unless an earlier row asks the same question about the same picture. Comparing the ids is
     * enough: padding is {@code <pad>}, which a real prompt never holds, so equal ids mean equal
     * masks.
     */
    static int[] sameRows(Processor.Batch p) {
        int B = p.rows(), T = p.length();
        int[] ids = p.ids(), of = new int[B];
        java.util.Map<Integer, List<Integer>> byImage = new java.util.HashMap<>();   // image -> the first rows of its prompts
        for (int b = 0; b < B; b++) {
            List<Integer> firsts = byImage.computeIfAbsent(p.image()[b], i -> new ArrayList<>());
            of[b] = b;
            for (int u : firsts)
                if (Arrays.equals(ids, b * T, b * T + T, ids, u * T, u * T + T)) {
                    of[b] = u;
                    break;
                }
            if (of[b] == b) firsts.add(b);
        }
        return of;
    }

    /** Rows {@code rows} of a batch (ascending), with the same images and width. */
    static Processor.Batch rowsOf(Processor.Batch p, int[] rows) {
        int T = p.length();
        int[] ids = new int[rows.length * T], image = new int[rows.length];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(p.ids(), rows[r] * T, ids, r * T, T);
            image[r] = p.image()[rows[r]];
        }
        return new Processor.Batch(ids, p.mask().indexSelect(0, rows), p.pixels(), image);
    }

    /** Real tokens per row of a left-padded mask; refuses padding after a real token. */
    static int[] promptLengths(Tensor mask) {
        int B = mask.dim(0), T = mask.dim(1);
        float[] m = mask.data();
        int[] len = new int[B];
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T; t++) {
                boolean real = m[b * T + t] != 0f;
                if (len[b] > 0 && !real) throw new IllegalArgumentException("row " + b + " is not left-padded (padding at column " + t + ")");
                if (real) len[b]++;
            }
            if (len[b] == 0) throw new IllegalArgumentException("row " + b + " has no prompt tokens");
        }
        return len;
    }
}
