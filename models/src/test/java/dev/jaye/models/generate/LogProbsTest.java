// SPDX-License-Identifier: Apache-2.0
package dev.jaye.models.generate;

import dev.jaye.autograd.Var;
import dev.jaye.models.Vlm;
import dev.jaye.models.processor.Processor;
import dev.jaye.tensor.Rng;
import dev.jaye.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogProbsTest {
    /** Five rows: prompts of different lengths, responses of 0 to 9 tokens. */
    static List<int[]> responses() {
        Rng rng = new Rng(31);
        List<int[]> r = new ArrayList<>();
        for (int len : new int[]{7, 0, 9, 3, 1}) {
            int[] ids = new int[len];
            for (int j = 0; j < len; j++) ids[j] = 4 + rng.nextInt(256);
            r.add(ids);
        }
        return r;
    }

    static List<String> questions() {
        List<String> q = new ArrayList<>(Fixtures.QUESTIONS);
        q.add("Why?");
        return q;
    }

    /** Row b alone through the full forward: log_softmax of every position's logits, [T·V]. */
    static float[] fullLogSoftmax(Vlm m, List<Tensor> images, List<int[]> prompts, List<int[]> responses, int b) {
        int[] row = java.util.Arrays.copyOf(prompts.get(b), prompts.get(b).length + responses.get(b).length);
        System.arraycopy(responses.get(b), 0, row, prompts.get(b).length, responses.get(b).length);
        Processor.Batch one = Processor.pad(List.of(row), List.of(images.get(b)), false);
        try (var g = Var.noGrad()) {
            return m.forward(one.pixels(), one.ids(), one.mask()).value.logSoftmax().data();
        }
    }

    @Test
    void chunksGiveWhatOneBatchGives() {
        Vlm m = Fixtures.model(32);
        Processor p = Fixtures.processor();
        List<Tensor> images = Fixtures.images(5, 33);
        List<int[]> prompts = Fixtures.prompts(p, questions()), responses = responses();
        float[][] whole = LogProbs.compute(m, images, prompts, responses, 5);
        for (int chunk : new int[]{1, 2, 3, 100}) {
            float[][] parts = LogProbs.compute(m, images, prompts, responses, chunk);
            for (int b = 0; b < 5; b++) {
                assertEquals(responses.get(b).length, parts[b].length);
                assertTrue(GeneratorTest.maxDiff(whole[b], parts[b]) < GeneratorTest.TOL, "chunk " + chunk + " row " + b);
            }
        }
        for (float[] row : whole) for (float v : row) assertTrue(v < 0 && Float.isFinite(v));
    }

    /** The definition: log_softmax of the full forward's logits at the column before each response token. */
    @Test
    void logProbsAreTheFullForwardsLogSoftmaxAtTheResponse() {
        Vlm m = Fixtures.model(34);
        Processor p = Fixtures.processor();
        List<Tensor> images = Fixtures.images(5, 35);
        List<int[]> prompts = Fixtures.prompts(p, questions()), responses = responses();
        float[][] got = LogProbs.compute(m, images, prompts, responses, 2);
        int V = m.config.lm().vocab();
        for (int b = 0; b < 5; b++) {
            float[] lsm = fullLogSoftmax(m, images, prompts, responses, b);
            int P = prompts.get(b).length;
            for (int j = 0; j < responses.get(b).length; j++)
                assertEquals(lsm[(P - 1 + j) * V + responses.get(b)[j]], got[b][j], GeneratorTest.TOL);
        }
    }

    @Test
    void theDifferentiableFormHasTheSameValuesAndGradients() {
        Vlm m = Fixtures.model(36);
        Processor p = Fixtures.processor();
        List<Tensor> images = Fixtures.images(5, 37);
        List<int[]> prompts = Fixtures.prompts(p, questions()), responses = responses();
        float[][] plain = LogProbs.compute(m, images, prompts, responses, 5);
        Var lp = LogProbs.differentiable(m, images, prompts, responses);
        assertArrayEquals(new int[]{5, 9}, lp.shape());
        for (int b = 0; b < 5; b++)
            for (int j = 0; j < 9; j++) {
                float v = lp.value.get(b, j);
                if (j < plain[b].length) assertEquals(plain[b][j], v, GeneratorTest.TOL);
                else assertEquals(0f, v, "0 past the response");
            }
        lp.sum().backward();
        Tensor g = m.lm.embed.grad();
        assertNotNull(g);
        float norm = 0;
        for (float v : g.data()) norm += v * v;
        assertTrue(norm > 0 && Float.isFinite(norm));
        assertThrows(IllegalArgumentException.class,
                () -> LogProbs.differentiable(m, images.subList(1, 2), prompts.subList(1, 2), responses.subList(1, 2)));
    }

    /** The entropy beside the log-probs is -sum p log p of the full forward's distribution, 0 past a response. */
    @Test
    void entropyIsThatOfTheWholeNextTokenDistribution() {
        Vlm m = Fixtures.model(38);
        Processor p = Fixtures.processor();
        List<Tensor> images = Fixtures.images(5, 39);
        List<int[]> prompts = Fixtures.prompts(p, questions()), responses = responses();
        LogProbs.Scored s = LogProbs.withEntropy(m, images, prompts, responses);
        int V = m.config.lm().vocab();
        for (int b = 0; b < 5; b++) {
            float[] lsm = fullLogSoftmax(m, images, prompts, responses, b);
            int P = prompts.get(b).length;
            for (int j = 0; j < 9; j++) {
                if (j >= responses.get(b).length) {
                    assertEquals(0f, s.entropy().get(b, j));
                    continue;
                }
                double h = 0;
                for (int v = 0; v < V; v++) h -= Math.exp(lsm[(P - 1 + j) * V + v]) * lsm[(P - 1 + j) * V + v];
                assertEquals(h, s.entropy().get(b, j), 1e-3 * h);
                assertTrue(h > 0.5 && h <= Math.log(V) + 1e-4, "a random model is far from certain: " + h);
            }
        }
    }
}
