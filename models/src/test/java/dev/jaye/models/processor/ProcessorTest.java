// SPDX-License-Identifier: Apache-2.0
package dev.jaye.models.processor;

import dev.jaye.models.tokenizer.Tokenizer;
import dev.jaye.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ProcessorTest {
    private final Processor p = new Processor(Tokenizer.bytesOnly(), new ImageProcessor(8), 4);

    @Test
    void promptIsBosThenImageTokensThenTheQuestionAndANewline() {
        int[] ids = p.promptIds("Hi");
        assertArrayEquals(new int[]{Tokenizer.BOS, 3, 3, 3, 3, 'H' + 4, 'i' + 4, '\n' + 4}, ids);
        assertEquals(ids.length, p.tokenizer().encode(p.template("Hi"), true).length, "the template spells the same ids");
        assertArrayEquals(ids, p.tokenizer().encode(p.template("Hi"), true));
    }

    @Test
    void aQuestionCannotSmuggleInSpecialTokens() {
        int[] ids = p.promptIds("<image>");
        int images = 0;
        for (int id : ids) if (id == Tokenizer.IMAGE) images++;
        assertEquals(4, images, "only the template's own <image> tokens");
    }

    @Test
    void padsOnTheLeftForGenerationAndOnTheRightForTraining() {
        List<int[]> rows = List.of(new int[]{5, 6, 7}, new int[]{8});
        List<Tensor> px = List.of(Tensor.zeros(3, 8, 8), Tensor.ones(3, 8, 8));
        Processor.Batch left = Processor.pad(rows, px, true);
        assertArrayEquals(new int[]{5, 6, 7, 0, 0, 8}, left.ids());
        assertArrayEquals(new float[]{1, 1, 1, 0, 0, 1}, left.mask().data());
        Processor.Batch right = Processor.pad(rows, px, false);
        assertArrayEquals(new int[]{5, 6, 7, 8, 0, 0}, right.ids());
        assertArrayEquals(new float[]{1, 1, 1, 1, 0, 0}, right.mask().data());
        assertArrayEquals(new int[]{2, 3, 8, 8}, right.pixels().shape());
        assertEquals(1f, right.pixels().get(1, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Processor.pad(rows, List.of(Tensor.zeros(3, 8, 8)), true));
    }
}
