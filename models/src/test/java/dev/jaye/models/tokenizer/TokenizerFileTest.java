// SPDX-License-Identifier: Apache-2.0
package dev.jaye.models.tokenizer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Saving and loading: the same tokenizer comes back, and broken files are refused by name and field. */
class TokenizerFileTest {
    static final Tokenizer TRAINED = TokenizerTest.TRAINED;

    @TempDir
    Path dir;

    private List<Path> filesIn(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.toList();
        }
    }

    @Test
    void saveThenLoadGivesTheSameTokenizer() throws IOException {
        Path file = dir.resolve("tokenizer.json");
        TRAINED.save(file);
        Tokenizer back = Tokenizer.load(file);
        assertEquals(TRAINED.vocabSize(), back.vocabSize());
        assertArrayEquals(TRAINED.merges(), back.merges());
        for (String s : List.of("<image>How many shapes are there? \\boxed{3}", "图中有几个形状？", ""))
            assertArrayEquals(TRAINED.encode(s, true), back.encode(s, true), s);
        String text = Files.readString(file);
        assertTrue(text.contains("\"type\" : \"byte-bpe\"") && text.contains("\"version\" : 1"), text);
    }

    @Test
    void saveIsAtomicAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("tokenizer.json");
        Tokenizer.bytesOnly().save(file);
        TRAINED.save(file);                                          // replaces the existing file
        assertEquals(List.of(file), filesIn(dir));
        assertEquals(TRAINED.vocabSize(), Tokenizer.load(file).vocabSize());
    }

    /** Writes {@code json} to a file, loads it, and returns the error message. */
    private String refused(String json) throws IOException {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, json);
        IOException e = assertThrows(IOException.class, () -> Tokenizer.load(file));
        assertTrue(e.getMessage().contains(file.toString()), "no file name in: " + e.getMessage());
        return e.getMessage();
    }

    private static final String SPECIALS = "\"specials\":[\"<pad>\",\"<bos>\",\"<eos>\",\"<image>\"]";

    private static String file(String type, String specials, String merges) {
        return "{\"type\":\"" + type + "\",\"version\":1," + specials + ",\"merges\":" + merges + "}";
    }

    @Test
    void truncatedJsonIsRefused() throws IOException {
        Path good = dir.resolve("good.json");
        TRAINED.save(good);
        String text = Files.readString(good);
        String msg = refused(text.substring(0, text.length() / 2));
        assertTrue(msg.contains("not valid JSON") && msg.contains("line"), msg);
        assertTrue(refused("").contains("expected a JSON object"));
    }

    @Test
    void unknownTypeAndVersionAreRefused() throws IOException {
        String msg = refused(file("wordpiece", SPECIALS, "[]"));
        assertTrue(msg.contains("field 'type'") && msg.contains("wordpiece"), msg);
        msg = refused("{\"type\":\"byte-bpe\",\"version\":2," + SPECIALS + ",\"merges\":[]}");
        assertTrue(msg.contains("field 'version'") && msg.contains("unsupported version 2"), msg);
        msg = refused("{\"version\":1," + SPECIALS + ",\"merges\":[]}");
        assertTrue(msg.contains("field 'type': missing"), msg);
    }

    @Test
    void wrongSpecialsAreRefused() throws IOException {
        String msg = refused(file("byte-bpe", "\"specials\":[\"<pad>\",\"<bos>\"]", "[]"));
        assertTrue(msg.contains("field 'specials'"), msg);
        msg = refused(file("byte-bpe", "\"specials\":[\"<bos>\",\"<pad>\",\"<eos>\",\"<image>\"]", "[]"));
        assertTrue(msg.contains("field 'specials'"), msg);
    }

    @Test
    void badMergesAreRefusedWithTheirIndex() throws IOException {
        // Merge 1 may use ids up to 260 (bytes and merge 0), not 400.
        String msg = refused(file("byte-bpe", SPECIALS, "[[108,105],[400,4]]"));
        assertTrue(msg.contains("field 'merges[1][0]'") && msg.contains("id 400 is not defined yet"), msg);
        msg = refused(file("byte-bpe", SPECIALS, "[[108,105],[260,261]]"));    // a merge cannot use itself
        assertTrue(msg.contains("field 'merges[1][1]'") && msg.contains("id 261"), msg);
        msg = refused(file("byte-bpe", SPECIALS, "[[108,2]]"));
        assertTrue(msg.contains("field 'merges[0][1]'") && msg.contains("<eos>"), msg);
        msg = refused(file("byte-bpe", SPECIALS, "[[108,105],[108]]"));
        assertTrue(msg.contains("field 'merges[1]'") && msg.contains("pair"), msg);
        msg = refused(file("byte-bpe", SPECIALS, "[[108,105],[108,105]]"));
        assertTrue(msg.contains("field 'merges[1]'") && msg.contains("already merges[0]"), msg);
        msg = refused(file("byte-bpe", SPECIALS, "{}"));
        assertTrue(msg.contains("field 'merges'"), msg);
    }
}
