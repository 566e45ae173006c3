// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.data;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Foreign layouts load unchanged; every bad line is named by file and line. */
class DatasetReaderTest {
    @TempDir
    Path dir;

    @BeforeEach
    void images() throws IOException {
        Files.createDirectories(dir.resolve("imgs"));
        ImageIO.write(new BufferedImage(32, 24, BufferedImage.TYPE_INT_RGB), "png", dir.resolve("imgs/a.png").toFile());
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", dir.resolve("b.png").toFile());
        Files.writeString(dir.resolve("imgs/broken.png"), "not a png");
    }

    private Path write(String name, String... lines) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, String.join("\n", lines) + "\n");
        return p;
    }

    @Test
    void geometry3kLayoutLoads() throws IOException {
        Path f = write("g3k.jsonl",
                "{\"problem\": \"Find x.\", \"answer\": \"12\", \"images\": [\"imgs/a.png\"], \"solution\": \"x = 12\", \"choices\": [\"3\", \"12\"]}",
                "{\"problem\": \"Find y.\", \"answer\": 2.5, \"images\": [\"b.png\"], \"id\": 7}");
        List<Sample> s = DatasetReader.load(f).samples();
        assertEquals(2, s.size());
        assertEquals("Find x.", s.get(0).question());
        assertEquals("12", s.get(0).answer());
        assertEquals("x = 12", s.get(0).solution());
        assertEquals(dir.resolve("imgs/a.png").toAbsolutePath().normalize(), s.get(0).image());
        assertEquals("g3k:1", s.get(0).id(), "a missing id becomes file-stem:line");
        assertEquals(List.of("3", "12"), s.get(0).extra().get("choices"), "extra fields are kept");
        assertNull(s.get(0).family());
        assertEquals("2.5", s.get(1).answer());
        assertEquals("7", s.get(1).id());
        assertNull(s.get(1).solution());
    }

    @Test
    void mayeLayoutLoadsWithImagesRelativeToTheJsonl() throws IOException {
        Files.createDirectories(dir.resolve("sub/pics"));
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", dir.resolve("sub/pics/q.png").toFile());
        Path f = dir.resolve("sub/maye.jsonl");
        Files.writeString(f, "{\"id\": \"m-1\", \"question\": \"How many?\", \"answer\": \"3\", \"solution\": \"1, 2, 3. \\\\boxed{3}\", \"image\": \"pics/q.png\", \"subject\": \"count\"}\n");
        Sample s = DatasetReader.load(f).samples().getFirst();
        assertEquals("m-1", s.id());
        assertEquals("How many?", s.question());
        assertEquals("1, 2, 3. \\boxed{3}", s.solution());
        assertEquals(dir.resolve("sub/pics/q.png").toAbsolutePath().normalize(), s.image());
        assertEquals(Map.of("subject", "count"), s.extra());
    }

    @Test
    void anyOtherLayoutThroughAFieldMap() throws IOException {
        Path f = write("other.jsonl", "{\"key\": \"k1\", \"prompt\": \"Q?\", \"label\": 4, \"picture\": \"b.png\", \"task\": \"t\"}");
        FieldMap map = new FieldMap("key", "prompt", "label", null, "picture", "task");
        Sample s = DatasetReader.load(f, new DatasetReader.Options(map, false)).samples().getFirst();
        assertEquals("k1", s.id());
        assertEquals("4", s.answer());
        assertEquals("t", s.family());
        assertTrue(s.extra().isEmpty());
    }

    /** Each bad line, as line 3 of a file after two good ones (and a blank line that does not count). */
    @Test
    void bytesThatAreNotUtf8AreReportedOnTheirOwnLine() throws IOException {
        // 22 good lines (the reader decodes thousands of characters ahead), then one with a lone 0xFF byte
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= 22; i++) b.append("{\"id\": \"g").append(i).append("\", \"question\": \"Q\", \"answer\": \"1\", \"image\": \"b.png\"}\n");
        byte[] good = b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] bad = "{\"id\": \"x\", \"question\": \"Q\u00e9 \u00ff\", \"answer\": \"1\", \"image\": \"b.png\"}\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Path f = dir.resolve("latin1.jsonl");
        Files.write(f, java.nio.ByteBuffer.allocate(good.length + bad.length).put(good).put(bad).array());
        DatasetException e = assertThrows(DatasetException.class, () -> DatasetReader.load(f));
        assertTrue(e.getMessage().contains(f + ":23") && e.getMessage().contains("not UTF-8"), e.getMessage());
    }

    @Test
    void everyProblemNamesTheFileAndTheLine() throws IOException {
        String good1 = "{\"id\": \"g1\", \"question\": \"Q\", \"answer\": \"1\", \"image\": \"b.png\"}";
        String good2 = "{\"id\": \"g2\", \"question\": \"Q\", \"answer\": \"1\", \"image\": \"imgs/a.png\"}";
        Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("{\"question\": \"Q\", \"answer\": ", "bad JSON");
        bad.put("{\"id\": \"e\", \"question\": \"Q\", \"answer\": \" \", \"image\": \"b.png\"}", "field \"answer\" is empty");
        bad.put("[1, 2]", "one JSON object");
        bad.put("{\"id\": \"x\", \"answer\": \"1\", \"image\": \"b.png\"}", "missing field \"question\"");
        bad.put("{\"id\": \"x\", \"question\": \"Q\", \"image\": \"b.png\"}", "missing field \"answer\"");
        bad.put("{\"id\": \"x\", \"question\": \"Q\", \"answer\": \"1\"}", "missing field \"image\"");
        bad.put("{\"id\": \"x\", \"question\": [\"Q\"], \"answer\": \"1\", \"image\": \"b.png\"}", "must be a string");
        bad.put("{\"id\": \"x\", \"question\": \"Q\", \"answer\": \"1\", \"image\": \"nope.png\"}", "does not exist");
        bad.put("{\"id\": \"x\", \"question\": \"Q\", \"answer\": \"1\", \"image\": \"imgs/broken.png\"}", "not in a format");
        bad.put("{\"id\": \"x\", \"question\": \"Q\", \"answer\": \"1\", \"image\": \"../b.png\"}", "leaves the dataset folder");
        bad.put("{\"id\": \"x\", \"question\": \"Q\", \"answer\": \"1\", \"image\": \"imgs/../../b.png\"}", "leaves the dataset folder");
        bad.put("{\"id\": \"x\", \"question\": \"Q\", \"answer\": \"1\", \"image\": \"" + dir.resolve("b.png").toAbsolutePath() + "\"}", "is absolute");
        bad.put("{\"id\": \"x\", \"problem\": \"Q\", \"answer\": \"1\", \"images\": [\"b.png\", \"b.png\"]}", "exactly one image");
        bad.put("{\"id\": \"x\", \"problem\": \"Q\", \"answer\": \"1\", \"images\": []}", "exactly one image");
        bad.put("{\"id\": \"g1\", \"question\": \"Q\", \"answer\": \"1\", \"image\": \"b.png\"}", "duplicate id 'g1' (first on line 1)");
        int n = 0;
        for (var e : bad.entrySet()) {
            Path f = write("bad" + (n++) + ".jsonl", good1, "", good2 + "\n" + e.getKey());   // the bad line is line 4
            DatasetException ex = assertThrows(DatasetException.class, () -> DatasetReader.load(f), e.getKey());
            assertEquals(4, ex.line(), ex.getMessage());
            assertEquals(f, ex.file());
            assertTrue(ex.getMessage().startsWith(f + ":4: "), ex.getMessage());
            assertTrue(ex.getMessage().contains(e.getValue()), ex.getMessage() + " should say " + e.getValue());
        }
    }

    @Test
    void aLinkOutOfTheFolderIsRefused() throws IOException {
        Path outside = Files.createTempDirectory("jaye-outside");
        try {
            ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "png", outside.resolve("o.png").toFile());
            Files.createSymbolicLink(dir.resolve("link.png"), outside.resolve("o.png"));
            Path f = write("link.jsonl", "{\"question\": \"Q\", \"answer\": \"1\", \"image\": \"link.png\"}");
            DatasetException e = assertThrows(DatasetException.class, () -> DatasetReader.load(f));
            assertTrue(e.getMessage().contains(":1: ") && e.getMessage().contains("links out of the dataset folder"), e.getMessage());
        } finally {
            Files.deleteIfExists(dir.resolve("link.png"));
            Files.deleteIfExists(outside.resolve("o.png"));
            Files.deleteIfExists(outside);
        }
    }

    @Test
    void skipBadSkipsAndCounts() throws IOException {
        Path f = write("mixed.jsonl",
                "{\"id\": \"a\", \"question\": \"Q\", \"answer\": \"1\", \"image\": \"b.png\"}",
                "{oops",
                "{\"id\": \"b\", \"question\": \"Q\", \"answer\": \"1\", \"image\": \"../etc/passwd\"}",
                "{\"id\": \"c\", \"question\": \"Q\", \"answer\": \"2\", \"image\": \"imgs/a.png\"}",
                "{\"id\": \"c\", \"question\": \"Q\", \"answer\": \"2\", \"image\": \"imgs/a.png\"}");
        DatasetReader.Loaded l = DatasetReader.load(f, DatasetReader.Options.skippingBad());
        assertEquals(List.of("a", "c"), l.samples().stream().map(Sample::id).toList());
        assertEquals(3, l.skipped());
        assertEquals(List.of(2, 3, 5), l.problems().stream().map(DatasetException::line).toList());
        assertThrows(DatasetException.class, () -> DatasetReader.load(f));
    }

    @Test
    void aMissingFileIsNamed() {
        Path f = dir.resolve("val.jsonl");
        DatasetException e = assertThrows(DatasetException.class, () -> DatasetReader.load(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    }
}
