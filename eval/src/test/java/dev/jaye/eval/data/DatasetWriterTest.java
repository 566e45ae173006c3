// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jaye.eval.tasks.Families;
import dev.jaye.eval.tasks.Looks;
import dev.jaye.eval.tasks.Pair;
import dev.jaye.eval.tasks.Reflection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetWriterTest {
    @TempDir
    Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();

    static Map<Split, Integer> sizes(int train, int val, int test, int ood) {
        Map<Split, Integer> m = new EnumMap<>(Split.class);
        m.put(Split.TRAIN, train);
        m.put(Split.VAL, val);
        m.put(Split.TEST, test);
        m.put(Split.TEST_OOD, ood);
        return m;
    }

    /** Every file under a folder, by relative path, with its bytes. */
    private static Map<String, byte[]> files(Path root) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) out.put(root.relativize(p).toString(), Files.readAllBytes(p));
        }
        return out;
    }

    @Test
    void theSameSeedGivesTheSameBytesAndAnotherSeedDoesNot() throws IOException {
        var cfg = DatasetWriter.Config.defaults(sizes(18, 9, 9, 9), 5);
        DatasetWriter.write(dir.resolve("a"), cfg, null);
        DatasetWriter.write(dir.resolve("b"), cfg, null);
        Map<String, byte[]> a = files(dir.resolve("a")), b = files(dir.resolve("b"));
        assertEquals(a.keySet(), b.keySet());
        assertEquals(4 + 1 + 45, a.size(), "4 JSONL files, dataset.json and one PNG per sample");
        for (String k : a.keySet()) assertArrayEquals(a.get(k), b.get(k), k);
        DatasetWriter.write(dir.resolve("c"), DatasetWriter.Config.defaults(sizes(18, 9, 9, 9), 6), null);
        assertNotEquals(new String(a.get("train.jsonl")), new String(files(dir.resolve("c")).get("train.jsonl")));
    }

    @Test
    void aSplitDoesNotDependOnTheSizeOfAnother() throws IOException {
        DatasetWriter.write(dir.resolve("small"), DatasetWriter.Config.defaults(sizes(5, 6, 0, 0), 1), null);
        DatasetWriter.write(dir.resolve("big"), DatasetWriter.Config.defaults(sizes(40, 6, 0, 0), 1), null);
        assertEquals(Files.readString(dir.resolve("small/val.jsonl")), Files.readString(dir.resolve("big/val.jsonl")));
        assertArrayEquals(Files.readAllBytes(dir.resolve("small/images/val/000003.png")), Files.readAllBytes(dir.resolve("big/images/val/000003.png")));
    }

    @Test
    void linesAreGeometry3kStyleAndLoadBack() throws IOException {
        DatasetWriter.write(dir, DatasetWriter.Config.defaults(sizes(27, 9, 9, 18), 2), null);
        List<String> lines = Files.readAllLines(dir.resolve("train.jsonl"));
        assertEquals(27, lines.size());
        JsonNode first = JSON.readTree(lines.getFirst());
        assertEquals(List.of("problem", "answer", "images", "solution", "id", "family", "difficulty", "kind"),
                iterable(first.fieldNames()));
        assertEquals("images/train/000000.png", first.get("images").get(0).asText());
        assertEquals("train-000000", first.get("id").asText());
        // Families take turns, so 27 samples hold each of the 9 families 3 times.
        Map<String, Integer> mix = new TreeMap<>();
        for (Sample s : DatasetReader.load(dir.resolve("train.jsonl")).samples()) mix.merge(s.family(), 1, Integer::sum);
        assertEquals(Families.names().size(), mix.size());
        mix.values().forEach(c -> assertEquals(3, c));

        for (Split split : Split.values()) {
            List<Sample> samples = DatasetReader.load(dir.resolve(split.file() + ".jsonl")).samples();
            for (Sample s : samples) {
                assertTrue(s.image().isAbsolute() && Files.isRegularFile(s.image()));
                assertEquals(split.ood() ? "ood" : "standard", s.extra().get("difficulty"));
                boolean heldOutNamed = Looks.DEFAULT_HELD_OUT.stream().anyMatch(p -> s.question().contains(p.colour().word() + " " + p.shape().word())
                        || (s.solution() != null && s.solution().contains(p.colour().word() + " " + p.shape().word())));
                if (s.family().equals("count_color_kind") || s.family().equals("caption"))
                    assertEquals(split.ood(), heldOutNamed, split + " " + s.id() + ": " + s.question() + " / " + s.solution());
            }
        }
        JsonNode info = JSON.readTree(dir.resolve("dataset.json").toFile());
        assertEquals(3, info.get("held_out_pairs").size());
        assertEquals(2, info.get("seed").asLong());
    }

    /** Mixed layouts: each family's samples alternate grid (12-pixel shapes) and free placement (10-pixel ones), in every split. */
    @Test
    void mixedLayoutsAlternateGridAndFreeWithinEachFamily() {
        var cfg = new DatasetWriter.Config(List.of("count_total", "boxes_apples"), sizes(8, 0, 0, 8), 4, 0.25,
                Looks.DEFAULT_HELD_OUT, null, true);
        for (Split split : new Split[]{Split.TRAIN, Split.TEST_OOD})
            for (int i = 0; i < 8; i++) {
                var t = DatasetWriter.generate(cfg, split, new dev.jaye.tensor.Rng(i), i);
                assertEquals(i % 2 == 0 ? "count_total" : "boxes_apples", t.family());
                int want = (i / 2) % 2 == 0 ? dev.jaye.eval.tasks.Placement.GRID_SHAPE : dev.jaye.eval.tasks.Placement.FREE_SHAPE;
                assertTrue(t.items().stream().filter(it -> it.w() > 0).allMatch(it -> it.w() == want), split + " sample " + i + ": " + t.items());
            }
        assertThrows(IllegalArgumentException.class, () -> new DatasetWriter.Config(List.of("count_total"), sizes(1, 0, 0, 0), 1, 0.25,
                Looks.DEFAULT_HELD_OUT, dev.jaye.eval.tasks.Knobs.Layout.GRID, true));
    }

    /**
     * --ood-shift composition: every test_ood answer lies within the answers its family has in
     * training, while the scenes hold more objects and show held-out pairs; the full shift, on the
     * same families and seed, puts answers outside that range (so the first check can fail).
     */
    @Test
    void aCompositionTestOodKeepsAnswersInTrainingsRangeAndShiftsTheScenes() {
        List<String> fams = List.of("count_total", "count_color_kind", "bar_max", "boxes_apples", "price_total");
        int n = 5 * 200;
        var composition = new DatasetWriter.Config(fams, sizes(n, 0, 0, n), 7, 0.25, Looks.DEFAULT_HELD_OUT, null, true, true);
        var full = new DatasetWriter.Config(fams, sizes(n, 0, 0, n), 7, 0.25, Looks.DEFAULT_HELD_OUT, null, true, false);
        Map<String, double[]> range = new TreeMap<>();                      // family -> min, max answer; mean objects
        Map<String, Double> trainObjects = new TreeMap<>(), compObjects = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            var t = DatasetWriter.generate(composition, Split.TRAIN, new dev.jaye.tensor.Rng(i), i);
            double a = Double.parseDouble(t.answer());
            range.merge(t.family(), new double[]{a, a}, (x, y) -> new double[]{Math.min(x[0], y[0]), Math.max(x[1], y[1])});
            trainObjects.merge(t.family(), (double) t.items().size(), Double::sum);
        }
        int outsideFull = 0;
        for (int i = 0; i < n; i++) {
            var t = DatasetWriter.generate(composition, Split.TEST_OOD, new dev.jaye.tensor.Rng(1000 + i), i);
            double a = Double.parseDouble(t.answer());
            double[] r = range.get(t.family());
            assertTrue(a >= r[0] && a <= r[1], t.family() + " answer " + a + " outside training's " + r[0] + ".." + r[1]);
            assertEquals("composition", t.level());
            compObjects.merge(t.family(), (double) t.items().size(), Double::sum);
            if (t.family().equals("count_color_kind"))
                assertTrue(Looks.DEFAULT_HELD_OUT.stream().anyMatch(p -> t.question().contains(p.colour().word() + " " + p.shape().word())), t.question());
            var f = DatasetWriter.generate(full, Split.TEST_OOD, new dev.jaye.tensor.Rng(1000 + i), i);
            double fa = Double.parseDouble(f.answer());
            double[] fr = range.get(f.family());
            if (fa < fr[0] || fa > fr[1]) outsideFull++;
        }
        for (String fam : List.of("count_color_kind", "boxes_apples", "price_total"))
            assertTrue(compObjects.get(fam) > trainObjects.get(fam) + 200, fam + ": more objects per scene than in training, "
                    + compObjects.get(fam) / 200 + " against " + trainObjects.get(fam) / 200);
        assertTrue(outsideFull > n / 5, "the full shift puts answers beyond training's range: " + outsideFull + " of " + n);
    }

    @Test
    void theReflectionFractionIsRespected() throws IOException {
        List<String> noCaption = Families.names().stream().filter(n -> !n.equals("caption")).toList();
        for (double f : new double[]{0.0, 0.5, 1.0}) {
            Path out = dir.resolve("r" + f);
            DatasetWriter.write(out, new DatasetWriter.Config(noCaption, sizes(160, 0, 0, 0), 3, f, Looks.DEFAULT_HELD_OUT, null), null);
            List<Sample> samples = DatasetReader.load(out.resolve("train.jsonl")).samples();
            long reflecting = samples.stream().filter(s -> Reflection.contains(s.solution())).count();
            for (Sample s : samples) assertTrue(s.solution().endsWith("\\boxed{" + s.answer() + "}"), s.solution());
            if (f == 0.0) assertEquals(0, reflecting);
            else if (f == 1.0) assertEquals(samples.size(), reflecting);
            else assertTrue(reflecting > 0.35 * 160 && reflecting < 0.65 * 160, "reflecting: " + reflecting);
        }
    }

    @Test
    void badConfigsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new DatasetWriter.Config(List.of("no_such_family"), sizes(1, 1, 1, 1), 0, 0.2, Looks.DEFAULT_HELD_OUT, null));
        assertThrows(IllegalArgumentException.class, () -> new DatasetWriter.Config(Families.names(), sizes(1, 1, 1, 1), 0, 1.5, Looks.DEFAULT_HELD_OUT, null));
        assertThrows(IllegalArgumentException.class, () -> new Looks(java.util.Set.copyOf(Pair.ALL), false));
    }

    @Test
    void freeLayoutAndCustomHeldOutPairs() throws IOException {
        var held = java.util.Set.of(Pair.parse("yellow:circle"));
        DatasetWriter.write(dir, new DatasetWriter.Config(List.of("count_total", "caption"), sizes(20, 0, 0, 10), 4, 0.2, held,
                dev.jaye.eval.tasks.Knobs.Layout.FREE), null);
        for (Sample s : DatasetReader.load(dir.resolve("train.jsonl")).samples()) {
            assertFalse(s.solution().contains("Row by row"), s.solution());
            if (s.family().equals("caption")) assertFalse(s.solution().contains("yellow circle"), s.solution());
        }
        for (Sample s : DatasetReader.load(dir.resolve("test_ood.jsonl")).samples())
            if (s.family().equals("caption")) assertTrue(s.solution().contains("yellow circle"), s.solution());
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
