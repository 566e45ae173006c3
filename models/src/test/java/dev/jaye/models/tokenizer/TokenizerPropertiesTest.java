// SPDX-License-Identifier: Apache-2.0
package dev.jaye.models.tokenizer;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Round trips and the fast encoder against the textbook one, on random input (fixed seeds). */
class TokenizerPropertiesTest {
    static final Tokenizer BYTES = Tokenizer.bytesOnly(), TRAINED = TokenizerTest.TRAINED;

    /**
     * Strings of up to 200 code points from all of Unicode except the surrogate range
     * U+D800..U+DFFF, mixed with words and special-token strings. Surrogates are excluded on
     * their own because a lone surrogate in a Java String is not a character: UTF-8 has no
     * encoding for it (getBytes writes '?'), so no byte-level tokenizer could give it back.
     * They still occur, in valid pairs, as the supplementary characters U+10000..U+10FFFF.
     * Ranges are weighted so that ASCII, where the merges are, is common.
     */
    @Provide
    Arbitrary<String> unicode() {
        Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(0x20, 0x7E)),          // printable ASCII
                Tuple.of(1, Arbitraries.of((int) '\n', (int) '\t', 0)),
                Tuple.of(2, Arbitraries.integers().between(0x80, 0xD7FF)),        // rest of the BMP ...
                Tuple.of(1, Arbitraries.integers().between(0xE000, 0xFFFF)),      // ... past the surrogates
                Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10FFFF)));  // supplementary
        Arbitrary<String> piece = Arbitraries.frequencyOf(
                Tuple.of(12, codePoint.map(Character::toString)),
                Tuple.of(2, Arbitraries.of(" shapes", " there", "How", " \\boxed{", "图中", "Réponds")),
                Tuple.of(1, Arbitraries.of(Tokenizer.SPECIALS)));
        return piece.list().ofMaxSize(200).map(l -> String.join("", l));
    }

    @Property(tries = 300, seed = "42")
    void bytesOnlyRoundTrips(@ForAll("unicode") String s) {
        assertEquals(s, BYTES.decode(BYTES.encode(s)));
    }

    @Property(tries = 300, seed = "42")
    void trainedRoundTrips(@ForAll("unicode") String s) {
        assertEquals(s, TRAINED.decode(TRAINED.encode(s)));
    }

    /** With specials allowed the text still comes back, except pad, which decodes to nothing. */
    @Property(tries = 300, seed = "42")
    void trainedRoundTripsWithSpecials(@ForAll("unicode") String s) {
        assertEquals(s.replace("<pad>", ""), TRAINED.decode(TRAINED.encode(s, true)));
    }

    /** Any ids decode without throwing; for bytes-only that is exactly Java's lenient UTF-8 decoding. */
    @Property(tries = 300, seed = "42")
    void anyBytesDecodeAsJavaDecodesThem(@ForAll @Size(max = 100) byte[] bytes) {
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) ids[i] = Tokenizer.BYTE_OFFSET + (bytes[i] & 0xff);
        assertEquals(new String(bytes, StandardCharsets.UTF_8), BYTES.decode(ids));
    }

    @Property(tries = 300, seed = "42")
    void anyIdsDecodeToTheirJoinedBytes(@ForAll("trainedIds") int[] ids) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int id : ids) if (id != Tokenizer.PAD) bytes.writeBytes(TRAINED.tokenBytes(id));
        assertEquals(bytes.toString(StandardCharsets.UTF_8), TRAINED.decode(ids));
    }

    @Provide
    Arbitrary<int[]> trainedIds() {
        return Arbitraries.integers().between(0, TRAINED.vocabSize() - 1).array(int[].class).ofMaxSize(50);
    }

    /**
     * Bytes drawn from the letters the corpus merged most, so chunks hit many merges, long
     * merge chains and overlapping pairs ("eee").
     */
    @Provide
    Arbitrary<byte[]> corpusBytes() {
        return Arbitraries.of((byte) ' ', (byte) 'e', (byte) 'r', (byte) 'h', (byte) 't', (byte) 's', (byte) 'a', (byte) 'p')
                .array(byte[].class).ofMaxSize(40);
    }

    /** The heap-based encoder gives exactly what the textbook loop (minbpe's) gives. */
    @Property(tries = 300, seed = "42")
    void priorityEncodingMatchesTheTextbookLoop(@ForAll("corpusBytes") byte[] chunk) {
        assertArrayEquals(textbookEncode(TRAINED, chunk), TRAINED.encodeChunk(chunk));
    }

    /**
     * Definition of BPE encoding: while some adjacent pair has a merge, take the pair whose merge
     * came first and replace all its occurrences, left to right. O(n) per merge applied.
     */
    static int[] textbookEncode(Tokenizer t, byte[] chunk) {
        Map<List<Integer>, Integer> rank = new HashMap<>();
        int[][] merges = t.merges();
        for (int i = 0; i < merges.length; i++) rank.put(List.of(merges[i][0], merges[i][1]), i);
        List<Integer> ids = new ArrayList<>();
        for (byte x : chunk) ids.add(Tokenizer.BYTE_OFFSET + (x & 0xff));
        while (true) {
            int best = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < ids.size(); i++)
                best = Math.min(best, rank.getOrDefault(List.of(ids.get(i), ids.get(i + 1)), Integer.MAX_VALUE));
            if (best == Integer.MAX_VALUE) break;
            List<Integer> merged = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                if (i + 1 < ids.size() && ids.get(i) == merges[best][0] && ids.get(i + 1) == merges[best][1]) {
                    merged.add(Tokenizer.FIRST_MERGE + best);
                    i++;
                } else merged.add(ids.get(i));
            }
            ids = merged;
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }
}
