// SPDX-License-Identifier: Apache-2.0
package dev.jaye.models.generate;

import dev.jaye.autograd.Var;
import dev.jaye.autograd.ops.ShapeOps;
import dev.jaye.models.Vlm;
import dev.jaye.models.generate.Generator.Response;
import dev.jaye.models.generate.Generator.Settings;
import dev.jaye.models.lm.KvCache;
import dev.jaye.models.processor.Processor;
import dev.jaye.models.tokenizer.Tokenizer;
import dev.jaye.tensor.Rng;
import dev.jaye.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeneratorTest {
    /**
     * How far two float32 computations of the same logits or log-probs may drift when only their
     * batching differs (cache or not, batch or alone, left or right padding). Every product is the
     * same sum taken in another order: GEMM blocking depends on the number of rows, and attention
     * rows have different lengths (masked keys add exact zeros, but move the vector/scalar split).
     * Each reordering costs a few ulps of float32 (eps 1.2e-7) per sum over ~32-64 terms of size
     * ~1, through 2 layers. Measured on these models: cached vs full forward 0 (bit-identical),
     * batch vs alone and generation vs LogProbs about 1.5e-6 on log-probs of a few units.
     * 1e-4 leaves a wide margin yet is far below what a real bug shifts (a RoPE position off by
     * one moves logits by about 1).
     */
    static final float TOL = 1e-4f;

    /** Makes {@code <eos>} likely (tied head: a long {@code <eos>} row), so that rows finish at many lengths. */
    static Vlm eosLikely(Vlm m) {
        float[] E = m.lm.embed.value.data();
        int C = m.config.lm().width();
        for (int c = 0; c < C; c++) E[Tokenizer.EOS * C + c] *= 40;
        return m;
    }

    /** Asserts two generations' rows equal bit for bit (ids, log-probs, finished); returns the lengths seen. */
    static java.util.TreeSet<Integer> sameBits(List<Response> expected, List<Response> actual, Settings s) {
        assertEquals(expected.size(), actual.size());
        java.util.TreeSet<Integer> lengths = new java.util.TreeSet<>();
        for (int r = 0; r < actual.size(); r++) {
            assertArrayEquals(expected.get(r).ids(), actual.get(r).ids(), s + " row " + r);
            assertArrayEquals(expected.get(r).logProbs(), actual.get(r).logProbs(), s + " row " + r);
            assertEquals(expected.get(r).finished(), actual.get(r).finished(), s + " row " + r);
            lengths.add(actual.get(r).ids().length);
        }
        return lengths;
    }

    static float maxDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        float m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    @Test
    void logitsWithTheKvCacheEqualAFullForward() {
        Vlm m = Fixtures.model(1);
        Processor p = Fixtures.processor();
        List<Tensor> images = Fixtures.images(3, 2);
        Processor.Batch prompts = Processor.pad(Fixtures.prompts(p, Fixtures.QUESTIONS.subList(0, 3)), images, true);
        int B = prompts.rows(), T = prompts.length(), V = m.config.lm().vocab(), k = 5;
        Rng rng = new Rng(3);
        int[][] extra = new int[B][k];                                  // k more tokens per row, any text ids
        for (int[] r : extra) for (int s = 0; s < k; s++) r[s] = 4 + rng.nextInt(256);

        // All at once: prompt + k tokens, left-padded as before; column T - 1 + j predicts token j.
        List<int[]> full = new ArrayList<>();
        for (int b = 0; b < B; b++) {
            int[] prompt = Fixtures.prompts(p, Fixtures.QUESTIONS.subList(b, b + 1)).get(0);
            int[] row = java.util.Arrays.copyOf(prompt, prompt.length + k);
            System.arraycopy(extra[b], 0, row, prompt.length, k);
            full.add(row);
        }
        Processor.Batch all = Processor.pad(full, images, true);
        float worst = 0;
        try (var g = Var.noGrad()) {
            float[] whole = m.forward(all.pixels(), all.ids(), all.mask()).value.data();   // (B, T + k, V)
            // One token per step, as generation does, and several tokens in one step.
            for (int[] chunks : List.of(new int[]{1, 1, 1, 1, 1}, new int[]{1, 3, 1})) {
                KvCache cache = m.newCache();
                Var x = m.embed(m.imageTokens(prompts.pixels()), prompts.ids(), B, T);
                Var h = m.lm.forward(x, Vlm.positions(prompts.mask()), prompts.mask(), cache);
                worst = Math.max(worst, compare(whole, T + k, T - 1, m.lm.logits(ShapeOps.slice(h, 1, T - 1, T)).value.data(), 1, B, V));
                Tensor keyMask = prompts.mask();
                int[] len = Generator.promptLengths(prompts.mask());
                int done = 0;                                               // extra tokens fed so far
                for (int n : chunks) {
                    int[] next = new int[B * n], pos = new int[B * n];
                    for (int b = 0; b < B; b++)
                        for (int c = 0; c < n; c++) {
                            next[b * n + c] = extra[b][done + c];
                            pos[b * n + c] = len[b] + done + c;
                        }
                    keyMask = Tensor.concat(1, keyMask, Tensor.ones(B, n));
                    float[] step = m.lm.logits(m.lm.forward(m.lm.embed(next, B, n), pos, keyMask, cache)).value.data();
                    worst = Math.max(worst, compare(whole, T + k, T + done, step, n, B, V));
                    done += n;
                }
                assertEquals(T + k, cache.length());
            }
        }
        System.out.println("cache vs full forward: max |logit diff| = " + worst);
        assertTrue(worst < TOL, "cached logits differ by " + worst);
    }

    /** Max |difference| between columns [from, from + n) of whole [B, Tw, V] and step [B, n, V]. */
    static float compare(float[] whole, int Tw, int from, float[] step, int n, int B, int V) {
        float worst = 0;
        for (int b = 0; b < B; b++)
            for (int c = 0; c < n; c++) {
                int w = (b * Tw + from + c) * V, s = (b * n + c) * V;
                worst = Math.max(worst, maxDiff(java.util.Arrays.copyOfRange(whole, w, w + V), java.util.Arrays.copyOfRange(step, s, s + V)));
            }
        return worst;
    }

    @Test
    void aBatchGivesTheSameResponsesAsOneQueryAtATime() {
        Vlm m = Fixtures.model(4);
        Processor p = Fixtures.processor();
        Generator gen = new Generator(m, p);
        List<Tensor> images = Fixtures.images(4, 5);
        List<int[]> prompts = Fixtures.prompts(p, Fixtures.QUESTIONS);
        float worst = 0;
        for (Settings s : List.of(Settings.greedy(10), Settings.sampling(1.0, 0.95, 10, 6).withTopK(50),
                Settings.sampling(0.7, 1.0, 10, 7))) {
            List<Response> batch = gen.generate(Processor.pad(prompts, images, true), s);
            for (int b = 0; b < prompts.size(); b++) {
                Response alone = gen.generate(Processor.pad(List.of(prompts.get(b)), List.of(images.get(b)), true), s,
                        new long[]{s.rowSeed(b)}).get(0);
                Response r = batch.get(b);
                assertArrayEquals(alone.ids(), r.ids(), s + " row " + b);
                assertEquals(alone.text(), r.text());
                assertEquals(alone.finished(), r.finished());
                worst = Math.max(worst, maxDiff(alone.logProbs(), r.logProbs()));
            }
        }
        System.out.println("batch vs alone: max |log-prob diff| = " + worst);
        assertTrue(worst < TOL, "log-probs differ by " + worst);
    }

    /**
     * Rows that finish leave the batch once they are a quarter of it; the rows still going must
     * come out exactly as when every row stays to the end, bit for bit (the runs' numbers do not
     * change with this speed-up), whatever order the rows finish in.
     */
    @Test
    void droppingFinishedRowsChangesNoNumber() {
        Vlm m = eosLikely(Fixtures.model(31));
        Processor p = Fixtures.processor();
        List<Tensor> images = new ArrayList<>();
        List<int[]> prompts = new ArrayList<>();
        List<Tensor> four = Fixtures.images(4, 32);
        for (int r = 0; r < 24; r++) {                   // six draws of each question, as a group of samples
            images.add(four.get(r % 4));
            prompts.add(p.promptIds(Fixtures.QUESTIONS.get(r % 4)));
        }
        Generator dropping = new Generator(m, p), keeping = new Generator(m, p);
        keeping.dropFinished = false;
        for (Settings s : List.of(Settings.sampling(1.0, 1.0, 24, 3), Settings.sampling(0.6, 0.9, 24, 4))) {
            List<Response> a = dropping.generate(Processor.pad(prompts, images, true), s), b = keeping.generate(Processor.pad(prompts, images, true), s);
            java.util.TreeSet<Integer> lengths = sameBits(b, a, s);
            assertTrue(lengths.size() >= 5 && lengths.first() * 2 < lengths.last(), "rows finished at many lengths: " + lengths);
        }
    }

    /**
     * Rows that ask the same question about the same image read their prompt once; every row must
     * come out exactly as when each reads its own, bit for bit. The batch mixes a question's draws
     * (interleaved, not grouped) with near misses that must not share: the same question about
     * another copy of the picture (another tensor: another image in the batch) and another
     * question about the same picture.
     */
    @Test
    void rowsWithTheSamePromptReadItOnceAndChangeNoNumber() {
        Vlm m = eosLikely(Fixtures.model(17));       // rows finish, and leave the batch after the shared prefill too
        Processor p = Fixtures.processor();
        List<Tensor> four = Fixtures.images(4, 41);
        List<Tensor> images = new ArrayList<>();
        List<int[]> prompts = new ArrayList<>();
        for (int r = 0; r < 20; r++) {                   // five draws of each of four questions
            images.add(four.get(r % 4));
            prompts.add(p.promptIds(Fixtures.QUESTIONS.get(r % 4)));
        }
        images.add(four.get(0).add(0f));                 // question 0 about a copy of image 0
        prompts.add(p.promptIds(Fixtures.QUESTIONS.get(0)));
        images.add(four.get(0));                         // question 1 about image 0
        prompts.add(p.promptIds(Fixtures.QUESTIONS.get(1)));

        Processor.Batch batch = Processor.pad(prompts, images, true);
        int[] of = Generator.sameRows(batch);
        for (int r = 0; r < 20; r++) assertEquals(r % 4, of[r], "row " + r);
        assertEquals(20, of[20], "another image tensor is another image");
        assertEquals(21, of[21], "another question about the same image");

        Generator sharing = new Generator(m, p), reading = new Generator(m, p);
        reading.sharePrompts = false;
        for (Settings s : List.of(Settings.sampling(1.0, 1.0, 24, 5), Settings.sampling(0.6, 0.9, 24, 6), Settings.greedy(24))) {
            List<Response> a = sharing.generate(batch, s), b = reading.generate(batch, s);
            java.util.TreeSet<Integer> lengths = sameBits(b, a, s);
            if (s.temperature() == 1.0) assertTrue(lengths.size() >= 4 && lengths.first() * 2 < lengths.last(),
                    "rows finished at many lengths, so finished rows left the batch: " + lengths);
            if (s.temperature() == 1.0) assertFalse(java.util.Arrays.equals(a.get(0).ids(), a.get(4).ids()),
                    "a question's draws share a prompt, not their samples");
        }
    }

    @Test
    void generationLogProbsAreWhatLogProbsRecomputes() {
        Vlm m = Fixtures.model(8);
        Processor p = Fixtures.processor();
        List<Tensor> images = Fixtures.images(4, 9);
        List<Response> out = new Generator(m, p).generate(images, Fixtures.QUESTIONS, Settings.sampling(1.0, 1.0, 12, 10));
        List<int[]> responses = out.stream().map(Response::ids).toList();
        float[][] again = LogProbs.compute(m, images, Fixtures.prompts(p, Fixtures.QUESTIONS), responses, 3);
        float worst = 0;
        for (int b = 0; b < out.size(); b++) worst = Math.max(worst, maxDiff(out.get(b).logProbs(), again[b]));
        System.out.println("generation vs LogProbs: max |log-prob diff| = " + worst);
        assertTrue(worst < TOL, "log-probs differ by " + worst);
    }

    @Test
    void greedyIsDeterministicAndTopK1OrATinyTopPIsGreedy() {
        Vlm m = Fixtures.model(11);
        Generator gen = new Generator(m, Fixtures.processor());
        List<Tensor> images = Fixtures.images(4, 12);
        List<Response> greedy = gen.generate(images, Fixtures.QUESTIONS, Settings.greedy(8));
        List<Response> sampled = gen.generate(images, Fixtures.QUESTIONS, Settings.sampling(1.0, 1.0, 8, 13));
        boolean differs = false;
        for (Settings s : List.of(Settings.greedy(8), Settings.sampling(1.0, 1.0, 8, 14).withTopK(1),
                Settings.sampling(1.0, 1e-6, 8, 15), Settings.sampling(0.01, 0.001, 8, 16))) {
            List<Response> again = gen.generate(images, Fixtures.QUESTIONS, s);
            for (int b = 0; b < images.size(); b++) {
                assertArrayEquals(greedy.get(b).ids(), again.get(b).ids(), s + " row " + b);
                assertArrayEquals(greedy.get(b).logProbs(), again.get(b).logProbs(), s + " row " + b);
            }
        }
        for (int b = 0; b < images.size(); b++) differs |= !java.util.Arrays.equals(greedy.get(b).ids(), sampled.get(b).ids());
        assertTrue(differs, "sampling at temperature 1 should not just be greedy on this model");
    }

    @Test
    void sampledRunsRepeatWithTheSameSeedAndChangeWithAnother() {
        Vlm m = Fixtures.model(17);
        Generator gen = new Generator(m, Fixtures.processor());
        List<Tensor> images = Fixtures.images(4, 18);
        Settings s = Settings.sampling(1.0, 0.9, 8, 19);
        List<Response> a = gen.generate(images, Fixtures.QUESTIONS, s), b = gen.generate(images, Fixtures.QUESTIONS, s),
                c = gen.generate(images, Fixtures.QUESTIONS, s.withSeed(20));
        boolean differs = false;
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).ids(), b.get(i).ids());
            differs |= !java.util.Arrays.equals(a.get(i).ids(), c.get(i).ids());
        }
        assertTrue(differs);
        assertNotEquals(s.rowSeed(0), s.rowSeed(1));
        assertNotEquals(s.rowSeed(1), s.withSeed(20).rowSeed(1));
    }

    @Test
    void responsesStopAtMaxTokensOrAtEos() {
        Vlm m = Fixtures.model(21);
        Processor p = Fixtures.processor();
        List<Tensor> images = Fixtures.images(4, 22);
        List<Response> plain = new Generator(m, p).generate(images, Fixtures.QUESTIONS, Settings.greedy(6));
        for (Response r : plain) {
            assertEquals(6, r.ids().length, "no <eos> on this model: every row runs to maxTokens");
            assertEquals(6, r.logProbs().length);
            assertFalse(r.finished());
            for (int t : r.ids()) assertTrue(t >= Tokenizer.BYTE_OFFSET && t < 260, "only decodable, non-special ids: " + t);
        }
        // Make <eos> win where row 0's third greedy token won: its output-head row (tied to the
        // embedding) becomes 1.5 times that token's, so its logit is 1.5 times the winning one.
        int target = plain.get(0).ids()[2], C = m.config.lm().width();
        float[] E = m.lm.embed.value.data();
        for (int c = 0; c < C; c++) E[Tokenizer.EOS * C + c] = 1.5f * E[target * C + c];

        Generator gen = new Generator(m, p);
        List<Response> out = gen.generate(images, Fixtures.QUESTIONS, Settings.greedy(6));
        Response r0 = out.get(0);
        assertTrue(r0.finished());
        assertTrue(r0.ids().length <= 3, "stops at the first <eos>");
        assertEquals(Tokenizer.EOS, r0.ids()[r0.ids().length - 1], "the <eos> is kept in the ids");
        assertEquals(r0.ids().length, r0.logProbs().length, "and has a log-prob");
        assertFalse(r0.text().contains("<eos>"));
        int running = 0;
        for (int b = 0; b < out.size(); b++) {
            Response r = out.get(b);
            if (r.finished()) continue;
            running++;
            assertEquals(6, r.ids().length);
            // A row that keeps going after others finished is unaffected by their <pad> feeding.
            Response alone = gen.generate(Processor.pad(List.of(p.promptIds(Fixtures.QUESTIONS.get(b))), List.of(images.get(b)), true),
                    Settings.greedy(6), new long[]{0}).get(0);
            assertArrayEquals(alone.ids(), r.ids());
        }
        assertTrue(running > 0, "some row should still be running when row 0 stops");

        // stopAtEos off: every row runs to maxTokens, <eos> and all.
        for (Response r : gen.generate(images, Fixtures.QUESTIONS, Settings.greedy(6).withStopAtEos(false)))
            assertEquals(6, r.ids().length);
    }

    @Test
    void badBatchesAndSettingsAreRefused() {
        Vlm m = Fixtures.model(23);
        Processor p = Fixtures.processor();
        Generator gen = new Generator(m, p);
        List<Tensor> images = Fixtures.images(2, 24);
        List<int[]> prompts = Fixtures.prompts(p, Fixtures.QUESTIONS.subList(0, 2));
        Processor.Batch right = Processor.pad(prompts, images, false);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> gen.generate(right, Settings.greedy(4)))
                .getMessage().contains("not left-padded"));
        Processor.Batch left = Processor.pad(prompts, images, true);
        assertThrows(IllegalArgumentException.class, () -> gen.generate(left, Settings.greedy(200)), "past max_positions");
        assertThrows(IllegalArgumentException.class, () -> gen.generate(left, Settings.greedy(4), new long[]{1}));
        assertThrows(IllegalArgumentException.class, () -> Settings.sampling(-1, 1, 4, 0));
        assertThrows(IllegalArgumentException.class, () -> Settings.sampling(1, 0, 4, 0));
        assertThrows(IllegalArgumentException.class, () -> Settings.sampling(1, 1, 0, 0));
    }
}
