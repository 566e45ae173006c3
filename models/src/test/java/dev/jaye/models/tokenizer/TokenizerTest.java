// SPDX-License-Identifier: Apache-2.0
package dev.jaye.models.tokenizer;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pre-splitting, training, specials and decoding, on examples small enough to check by hand. */
class TokenizerTest {

    /** Byte b's id. */
    static int b(char c) {
        return Tokenizer.BYTE_OFFSET + c;
    }

    /**
     * A small corpus in the style of the tasks' prompts, with some non-ASCII text so that merges
     * also join the bytes of multi-byte characters. Seeded, so always the same.
     */
    static List<String> corpus() {
        String[] questions = {"How many shapes are there?", "How many red circles are there?",
                "Count the blue squares in the image.", "What is the total number of triangles?",
                "Combien de formes y a-t-il ? Réponds.", "图中有几个形状？"};
        Random rnd = new Random(7);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 300; i++)
            texts.add(questions[rnd.nextInt(questions.length)] + " \\boxed{" + rnd.nextInt(40) + "}");
        return texts;
    }

    static final Tokenizer TRAINED = Tokenizer.train(corpus(), 360);

    // --- pre-split -----------------------------------------------------------------------

    @Test
    void preSplitKeepsWordsWithTheirSpaceAndSplitsDigits() {
        assertEquals(List.of("How", " many", " shapes", " are", " there", "?", " \\", "boxed", "{", "1", "2", "}"),
                PreSplit.split("How many shapes are there? \\boxed{12}"));
        // A space before a digit is its own chunk: "3" is the same token everywhere.
        assertEquals(List.of("is", " ", "3", "."), PreSplit.split("is 3."));
        // Whitespace runs give their last space to the following word (GPT-2's rule).
        assertEquals(List.of("a", " ", " b", "\n\n", "c", "  "), PreSplit.split("a  b\n\nc  "));
        // Combining marks stay in their word; supplementary characters (a mathematical bold A,
        // a letter; an emoji, "other" like '!') are never cut between their two chars.
        assertEquals(List.of("re\u0301ponse", " \uD835\uDC00\uD835\uDC00", "!", " \uD83D\uDE00!"),
                PreSplit.split("re\u0301ponse \uD835\uDC00\uD835\uDC00! \uD83D\uDE00!"));
    }

    // --- training ------------------------------------------------------------------------

    @Test
    void trainingMergesTheMostFrequentPairAndBreaksTiesBySmallestPair() {
        // "aaab": (a,a) occurs twice (overlapping counts), (a,b) once -> merge (a,a) into 260.
        // The word is then [260, a, b]: (260,a) and (a,b) both occur once; the tie goes to the
        // pair with the smaller first id, (a,b) -> 261.
        Tokenizer t = Tokenizer.train(List.of("aaab"), 262);
        assertArrayEquals(new int[][]{{b('a'), b('a')}, {b('a'), b('b')}}, t.merges());
        assertArrayEquals(new int[]{260, 261}, t.encode("aaab"));
        assertArrayEquals(new int[]{260, b('a')}, t.encode("aaa"));       // left to right, no overlap
    }

    @Test
    void trainingStopsEarlyWhenEveryChunkIsOneToken() {
        Tokenizer t = Tokenizer.train(List.of("ab ab"), 1000);
        // Chunks "ab", " ab": merges (a,b), then (' ', ab). Nothing is left to merge.
        assertEquals(262, t.vocabSize());
        assertArrayEquals(new int[]{260, 261}, t.encode("ab ab"));
    }

    @Test
    void trainingReachesTheRequestedSizeAndLearnsCommonWords() {
        assertEquals(360, TRAINED.vocabSize());
        for (String word : List.of(" shapes", " there", "How", " many", "boxed"))
            assertEquals(1, TRAINED.encode(word).length, word + " should be one token");
        String prompt = "How many shapes are there? \\boxed{12}";
        int[] ids = TRAINED.encode(prompt);
        assertTrue(ids.length * 3 < prompt.getBytes(StandardCharsets.UTF_8).length,
                ids.length + " tokens for " + prompt.length() + " bytes");
        assertEquals(prompt, TRAINED.decode(ids));
        // Digits stay single, whatever numbers the corpus had.
        assertArrayEquals(new int[]{b('{'), b('1'), b('2'), b('}'), b(' '), b('1'), b('2')}, TRAINED.encode("{12} 12"));
    }

    @Test
    void trainingIsDeterministicAndIndependentOfCorpusOrder() {
        List<String> shuffled = new ArrayList<>(corpus());
        Collections.shuffle(shuffled, new Random(1));
        assertArrayEquals(TRAINED.merges(), Tokenizer.train(corpus(), 360).merges());
        assertArrayEquals(TRAINED.merges(), Tokenizer.train(shuffled, 360).merges());
        // Down to the last merges, where most pairs occur once and the tie-break decides.
        assertArrayEquals(Tokenizer.train(corpus(), 1000).merges(), Tokenizer.train(shuffled, 1000).merges());
    }

    /**
     * The incremental trainer makes exactly the merges of the textbook one, which recounts every
     * pair of every chunk after each merge (same counts, same tie-break). Run to exhaustion, so
     * the last merges, decided by ties between pairs seen once, are compared too.
     */
    @Test
    void incrementalTrainingMatchesRecountingEveryPair() {
        assertArrayEquals(textbookTrain(corpus(), 1000), Tokenizer.train(corpus(), 1000).merges());
    }

    static int[][] textbookTrain(List<String> corpus, int vocabSize) {
        List<List<Integer>> words = new ArrayList<>();
        for (String text : corpus)
            for (String chunk : PreSplit.split(text)) {
                List<Integer> w = new ArrayList<>();
                for (byte x : chunk.getBytes(StandardCharsets.UTF_8)) w.add(Tokenizer.BYTE_OFFSET + (x & 0xff));
                words.add(w);
            }
        List<int[]> merges = new ArrayList<>();
        while (Tokenizer.FIRST_MERGE + merges.size() < vocabSize) {
            Map<List<Integer>, Integer> count = new HashMap<>();
            for (List<Integer> w : words)
                for (int i = 0; i + 1 < w.size(); i++) count.merge(List.of(w.get(i), w.get(i + 1)), 1, Integer::sum);
            if (count.isEmpty()) break;
            List<Integer> best = count.entrySet().stream().min(Comparator
                    .comparing((Map.Entry<List<Integer>, Integer> e) -> -e.getValue())
                    .thenComparing(e -> e.getKey().get(0)).thenComparing(e -> e.getKey().get(1))).orElseThrow().getKey();
            int id = Tokenizer.FIRST_MERGE + merges.size();
            merges.add(new int[]{best.get(0), best.get(1)});
            for (List<Integer> w : words)
                for (int i = 0; i + 1 < w.size(); i++)
                    if (w.get(i).equals(best.get(0)) && w.get(i + 1).equals(best.get(1))) {
                        w.set(i, id);
                        w.remove(i + 1);
                    }
        }
        return merges.toArray(new int[0][]);
    }

    @Test
    void trainingRefusesAVocabularySmallerThanTheBytes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tokenizer.train(corpus(), 259));
        assertTrue(e.getMessage().contains("259"), e.getMessage());
        assertEquals(260, Tokenizer.train(corpus(), 260).vocabSize());
    }

    @Test
    void bytesOnlyHasOneTokenPerByte() {
        Tokenizer t = Tokenizer.bytesOnly();
        assertEquals(260, t.vocabSize());
        assertArrayEquals(new int[]{b('h'), b('i'), 4 + 0xC3, 4 + 0xA9}, t.encode("hié"));
    }

    // --- special tokens ------------------------------------------------------------------

    @Test
    void specialIdsComeFirst() {
        Tokenizer t = Tokenizer.bytesOnly();
        assertEquals(List.of(0, 1, 2, 3), List.of(t.padId(), t.bosId(), t.eosId(), t.imageId()));
        for (int id = 0; id < 4; id++) assertEquals(Tokenizer.SPECIALS.get(id), t.decodeToken(id));
        assertEquals("a", t.decodeToken(b('a')));
    }

    @Test
    void specialsAreRecognisedOnlyWhenAllowed() {
        for (Tokenizer t : List.of(Tokenizer.bytesOnly(), TRAINED)) {
            String text = "<bos><image>How many?<eos>";
            int[] plain = t.encode(text);
            for (int id : plain) assertTrue(id >= Tokenizer.BYTE_OFFSET, "special id " + id + " from plain text");
            assertEquals(text, t.decode(plain));

            int[] special = t.encode(text, true);
            assertEquals(t.bosId(), special[0]);
            assertEquals(t.imageId(), special[1]);
            assertEquals(t.eosId(), special[special.length - 1]);
            assertArrayEquals(t.encode("How many?"), java.util.Arrays.copyOfRange(special, 2, special.length - 1));
            assertEquals(text, t.decode(special));
        }
        Tokenizer t = Tokenizer.bytesOnly();
        assertArrayEquals(new int[]{b('<'), 3, b('a'), b('<')}, t.encode("<<image>a<", true));
        assertArrayEquals(new int[]{b('<'), b('i'), b('m'), b('>')}, t.encode("<im>", true));
    }

    @Test
    void padDecodesToNothing() {
        Tokenizer t = Tokenizer.bytesOnly();
        assertEquals("<bos>hi<eos>", t.decode(new int[]{1, b('h'), b('i'), 2, 0, 0}));
        assertEquals("<pad>", t.decodeToken(0));
    }

    // --- decoding --------------------------------------------------------------------------

    @Test
    void invalidUtf8DecodesToReplacementCharacters() {
        Tokenizer t = Tokenizer.bytesOnly();
        // 0xE2 0x82 starts a 3-byte character that never ends; 0xFF is never valid.
        assertEquals("\uFFFDa\uFFFD", t.decode(new int[]{4 + 0xE2, 4 + 0x82, b('a'), 4 + 0xFF}));
        assertEquals("\uFFFD", t.decodeToken(4 + 0xE2));
    }

    @Test
    void decodingAnIdOutsideTheVocabularyNamesIt() {
        var e = assertThrows(IllegalArgumentException.class, () -> TRAINED.decode(new int[]{5, 400}));
        assertTrue(e.getMessage().contains("400") && e.getMessage().contains("position 1"), e.getMessage());
    }

    @Test
    void fromMergesChecksEachMerge() {
        assertEquals(261, Tokenizer.fromMerges(new int[][]{{b('a'), b('b')}}).vocabSize());
        var e = assertThrows(IllegalArgumentException.class,
                () -> Tokenizer.fromMerges(new int[][]{{b('a'), b('b')}, {261, b('c')}}));
        assertTrue(e.getMessage().startsWith("merges[1][0]: id 261 is not defined yet"), e.getMessage());
    }
}
