// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.sft;

import dev.jaye.models.tokenizer.Tokenizer;
import dev.jaye.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SftBatchTest {
    private final Tokenizer tok = Tokenizer.bytesOnly();

    private int[] withEos(String s) {
        int[] ids = tok.encode(s), r = java.util.Arrays.copyOf(ids, ids.length + 1);
        r[ids.length] = Tokenizer.EOS;
        return r;
    }

    @Test
    void onlyResponseTokensAreTargetsAndPaddingIsIgnored() {
        int[] p1 = {1, 3, 50}, p2 = {1, 3};
        int[] r1 = withEos("ab"), r2 = withEos("c");
        SftBatch b = SftBatch.of(tok, List.of(p1, p2), List.of(r1, r2), List.of(Tensor.zeros(3, 2, 2), Tensor.zeros(3, 2, 2)),
                SftBatch.Weighting.RESPONSE);
        int T = b.batch().length();
        assertEquals(6, T);                                      // 3 + "ab" + eos
        int I = SftBatch.IGNORE, a = 'a' + 4, bb = 'b' + 4, c = 'c' + 4, e = Tokenizer.EOS;
        assertArrayEquals(new int[]{I, I, a, bb, e, I, /* row 2 */ I, c, e, I, I, I}, b.targets());
        assertArrayEquals(new float[]{0, 0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0}, b.weights());
    }

    @Test
    void answerOnlyWeightsTheBoxedContent() {
        int[] r = withEos("so 12. \\boxed{12}");
        boolean[] in = SftBatch.answerTokens(tok, r);
        StringBuilder picked = new StringBuilder();
        for (int k = 0; k < r.length; k++) if (in[k]) picked.append(tok.decodeToken(r[k]));
        assertEquals("12", picked.toString());
        int[] nested = withEos("\\boxed{x} then \\boxed{\\frac{3}{4}}");
        boolean[] in2 = SftBatch.answerTokens(tok, nested);
        StringBuilder p2 = new StringBuilder();
        for (int k = 0; k < nested.length; k++) if (in2[k]) p2.append(tok.decodeToken(nested[k]));
        assertEquals("\\frac{3}{4}", p2.toString(), "the last box, nested braces matched");

        SftBatch b = SftBatch.of(tok, List.of(new int[]{1}), List.of(r), List.of(Tensor.zeros(3, 2, 2)), SftBatch.Weighting.ANSWER_ONLY);
        float total = 0;
        for (float w : b.weights()) total += w;
        assertEquals(2f, total, "two digit tokens carry the loss");
        SftBatch none = SftBatch.of(tok, List.of(new int[]{1}), List.of(withEos("no box")), List.of(Tensor.zeros(3, 2, 2)),
                SftBatch.Weighting.ANSWER_ONLY);
        total = 0;
        for (float w : none.weights()) total += w;
        assertEquals(7f, total, "without a box, every response token (6 bytes + eos) counts");
    }
}
