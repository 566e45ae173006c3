// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code jaye data generate} then {@code jaye data show}, as a user runs them. */
class DataCommandTest {
    @TempDir
    Path dir;

    @Test
    void generateThenShow() throws Exception {
        Path ds = dir.resolve("ds");
        Cli.Run gen = Cli.run("data", "generate", "--out", ds.toString(), "--families", "count_total,sum_digits",
                "--train", "6", "--val", "4", "--test", "2", "--test-ood", "2", "--seed", "3");
        assertEquals(0, gen.code(), gen.out() + gen.err());
        assertTrue(gen.err().contains("[") && gen.err().contains("6/6"), "a progress bar on stderr: " + gen.err());
        for (String f : new String[]{"train.jsonl", "val.jsonl", "test.jsonl", "test_ood.jsonl", "dataset.json", "images/val/000003.png"})
            assertTrue(Files.isRegularFile(ds.resolve(f)), f);

        Path sheet = dir.resolve("sheet.png");
        Cli.Run show = Cli.run("data", "show", ds.toString(), "--split", "val", "--out", sheet.toString());
        assertEquals(0, show.code(), show.out() + show.err());
        assertTrue(show.out().contains("count_total") && show.out().contains("sum_digits") && show.out().contains("50.0%"), show.out());
        assertEquals(4 * 208, ImageIO.read(sheet.toFile()).getWidth());
    }

    /**
     * A release's own split names load unchanged (MAYE names its files geometry3k_rl_v0.jsonl,
     * geometry3k_validation_v0.jsonl, ...; its lines use "question" and "image"), and so does a
     * .jsonl path; a missing dataset folder says which command makes one.
     */
    @Test
    void anySplitNameOrJsonlPathLoads() throws Exception {
        Path ds = dir.resolve("release");
        assertEquals(0, Cli.run("data", "generate", "--out", ds.toString(), "--train", "0", "--val", "3", "--test", "0", "--test-ood", "0").code());
        Files.move(ds.resolve("val.jsonl"), ds.resolve("geometry3k_validation_v0.jsonl"));
        Cli.Run byName = Cli.run("data", "show", ds.toString(), "--split", "geometry3k_validation_v0", "--out", dir.resolve("a.png").toString());
        assertEquals(0, byName.code(), byName.err());
        assertTrue(byName.out().contains("3"), byName.out());
        Cli.Run byPath = Cli.run("data", "show", dir.toString(), "--split", ds.resolve("geometry3k_validation_v0.jsonl").toString(),
                "--out", dir.resolve("b.png").toString());
        assertEquals(0, byPath.code(), byPath.err());
        Cli.Run none = Cli.run("data", "show", dir.resolve("nowhere").toString(), "--split", "val");
        assertNotEquals(0, none.code());
        assertTrue(none.err().contains("jaye data generate --out"), none.err());
    }

    @Test
    void showFailsWithTheErrorWhenTheSplitDoesNotLoad() throws Exception {
        Path ds = dir.resolve("ds");
        assertEquals(0, Cli.run("data", "generate", "--out", ds.toString(), "--train", "0", "--val", "2", "--test", "0", "--test-ood", "0").code());
        Files.delete(ds.resolve("test.jsonl"));
        Cli.Run missing = Cli.run("data", "show", ds.toString(), "--split", "test");
        assertNotEquals(0, missing.code());
        assertTrue(missing.err().contains("test.jsonl"), missing.err());

        Files.writeString(ds.resolve("val.jsonl"), "{\"question\": \"Q\", \"answer\": \"1\", \"image\": \"../x.png\"}\n", java.nio.file.StandardOpenOption.APPEND);
        Cli.Run bad = Cli.run("data", "show", ds.toString(), "--split", "val");
        assertNotEquals(0, bad.code());
        assertTrue(bad.err().contains("val.jsonl:3:") && bad.err().contains("leaves the dataset folder"), bad.err());
        Cli.Run skipped = Cli.run("data", "show", ds.toString(), "--split", "val", "--skip-bad");
        assertEquals(0, skipped.code(), skipped.err());
        assertTrue(skipped.out().contains("1 bad lines skipped"), skipped.out());
    }

    @Test
    void unknownFamiliesAreRefusedWithTheKnownOnes() {
        Cli.Run r = Cli.run("data", "generate", "--out", dir.resolve("x").toString(), "--families", "count_total,nope");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("nope") && r.err().contains("bar_max") && !r.err().contains("Exception"), r.err());
        Cli.Run split = Cli.run("data", "show", dir.toString(), "--split", "training");   // any name is a split file: this one is missing
        assertEquals(1, split.code());
        assertTrue(split.err().contains("training.jsonl") && split.err().contains("no such file"), split.err());
    }

    @Test
    void oodShiftCompositionIsWrittenDownAndABadShiftIsRefused() throws Exception {
        Path ds = dir.resolve("comp");
        Cli.Run gen = Cli.run("data", "generate", "--out", ds.toString(), "--families", "count_color_kind", "--train", "0", "--val", "0",
                "--test", "0", "--test-ood", "3", "--ood-shift", "composition");
        assertEquals(0, gen.code(), gen.err());
        assertTrue(Files.readString(ds.resolve("dataset.json")).contains("\"ood_shift\" : \"composition\""), Files.readString(ds.resolve("dataset.json")));
        assertTrue(Files.readString(ds.resolve("test_ood.jsonl")).contains("\"difficulty\":\"composition\""), "each sample says its knobs");
        Cli.Run bad = Cli.run("data", "generate", "--out", dir.resolve("y").toString(), "--ood-shift", "values");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--ood-shift is full or composition, got 'values'"), bad.err());
        assertTrue(!Files.exists(dir.resolve("y")), "nothing written");
    }
}
