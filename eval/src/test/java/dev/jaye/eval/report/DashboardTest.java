// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dashboard's data: which folders are runs, and reading a file that grows (or is cut back) line by line. */
class DashboardTest {
    @TempDir
    Path dir;

    @Test
    void runsAreTheFoldersWithMetricsOrAVanillaEvaluationAndNothingInsideARun() throws Exception {
        Files.createDirectories(dir.resolve("exp/rl/seed-0/checkpoints/step-000010"));
        Files.writeString(dir.resolve("exp/rl/seed-0/metrics.jsonl"), "{\"generation_step\":1}\n");
        Files.writeString(dir.resolve("exp/rl/seed-0/checkpoints/step-000010/metrics.jsonl"), "{}\n");   // not a run
        Files.createDirectories(dir.resolve("exp/sft/seed-0"));
        Files.writeString(dir.resolve("exp/sft/seed-0/metrics.jsonl"), "{\"step\":1,\"loss\":2.0}\n");
        Files.createDirectories(dir.resolve("exp/vanilla"));
        Files.writeString(dir.resolve("exp/vanilla/eval.jsonl"), "{\"split\":\"val\"}\n");
        Files.createDirectories(dir.resolve("exp/report"));
        Files.writeString(dir.resolve("exp/report/metrics.jsonl"), "{}\n");                               // not a run
        List<Dashboard.RunEntry> runs = Dashboard.runs(dir.resolve("exp"));
        assertEquals(List.of("rl/seed-0 rl", "sft/seed-0 sft", "vanilla eval"), runs.stream().map(r -> r.name() + " " + r.kind()).toList());
        assertEquals(dir.resolve("exp/vanilla/eval.jsonl"), runs.get(2).metrics());
        assertEquals("seed-0", Dashboard.runs(dir.resolve("exp/rl/seed-0")).getFirst().name(), "a run folder on its own is named by its folder");
        assertNull(Dashboard.find(dir.resolve("exp"), "../exp/rl/seed-0"), "only listed names are found");
        assertNull(Dashboard.find(dir.resolve("exp"), "rl/seed-0/checkpoints/step-000010"));
    }

    @Test
    void aGrowingFileIsReadInWholeLinesAndACutBackFileFromTheStart() throws Exception {
        Path f = dir.resolve("metrics.jsonl");
        Files.writeString(f, "{\"a\":1}\n{\"a\":2}\n{\"a\":");                   // the third line is being written
        Dashboard.Chunk c = Dashboard.read(f, 0, 1 << 20);
        assertEquals(List.of("{\"a\":1}", "{\"a\":2}"), c.lines());
        assertEquals(16, c.next(), "the next read starts at the unfinished line");
        assertFalse(c.reset());
        Files.writeString(f, "3}\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        Dashboard.Chunk d = Dashboard.read(f, c.next(), 1 << 20);
        assertEquals(List.of("{\"a\":3}"), d.lines());
        assertEquals(Files.size(f), d.next());
        assertEquals(List.of(), Dashboard.read(f, d.next(), 1 << 20).lines(), "nothing new");

        Files.writeString(f, "{\"a\":1}\n");                                      // a resume cut it back
        Dashboard.Chunk e = Dashboard.read(f, d.next(), 1 << 20);
        assertTrue(e.reset());
        assertEquals(List.of("{\"a\":1}"), e.lines());

        // a resume rewrites the file by a rename and training appends past the old offset before the next read:
        // the identity tells
        Dashboard.Chunk before = Dashboard.read(f, 0, 1 << 20);
        Path tmp = dir.resolve("metrics.jsonl.tmp");
        Files.writeString(tmp, "{\"b\":1}\n{\"b\":2}\n{\"b\":3}\n");
        Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Dashboard.Chunk after = Dashboard.read(f, before.next(), 1 << 20, before.id());
        assertTrue(after.reset(), "a new file: from the start");
        assertEquals(3, after.lines().size());
        assertFalse(Dashboard.read(f, after.next(), 1 << 20, after.id()).reset(), "the same file: no reset");

        Files.writeString(f, "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n");
        Dashboard.Chunk small = Dashboard.read(f, 0, 12);                          // a chunk limit inside the second line
        assertEquals(List.of("{\"a\":1}"), small.lines());
        assertEquals(8, small.next());
        assertEquals(0, Dashboard.read(dir.resolve("none.jsonl"), 0, 100).lines().size(), "a file not written yet");
    }

    @Test
    void evaluationLinesLoseTheirPerQuestionCountsAndOtherLinesPassAsTheyAre() {
        assertEquals("{\"split\":\"val\",\"accuracy\":0.5}", Dashboard.slim("{\"split\":\"val\",\"right_per_question\":[1,0,2],\"accuracy\":0.5}"));
        assertEquals("{\"right_per_question\":[1,", Dashboard.slim("{\"right_per_question\":[1,"));
        assertEquals("{\"reward\":1}", Dashboard.slim("{\"reward\":1}"));
        // a pass@k line: its score's SE over questions comes along (per question pass@2 of 2 answers: 1, 0, 1, 1)
        String k = Dashboard.slim("{\"split\":\"val\",\"n\":2,\"k\":2,\"pass@2\":0.75,\"right_per_question\":[1,0,2,1]}");
        assertEquals("{\"split\":\"val\",\"n\":2,\"k\":2,\"pass@2\":0.75,\"score_se\":0.25}", k);
    }

    @Test
    void onlyPicturesNamedInTheRunsSamplesMayBeServed() throws Exception {
        Path run = Files.createDirectories(dir.resolve("run"));
        Files.writeString(run.resolve("metrics.jsonl"), "{\"generation_step\":1}\n");
        Path png = Files.writeString(dir.resolve("a.png"), "png");
        Files.writeString(run.resolve("samples.jsonl"), "{\"generation_step\":1,\"image\":" + new com.fasterxml.jackson.databind.ObjectMapper()
                .writeValueAsString(png.toString()) + "}\n");
        Dashboard.RunEntry r = Dashboard.runs(run).getFirst();
        assertTrue(Dashboard.logsImage(r, png.toString()));
        assertFalse(Dashboard.logsImage(r, "/etc/passwd"));
        assertFalse(Dashboard.logsImage(r, null));
    }

    @Test
    void theStaticPageInlinesEveryScriptAndTheRunsAndLinksNothing() throws Exception {
        Path run = Files.createDirectories(dir.resolve("run"));
        Files.writeString(run.resolve("metrics.jsonl"), "{\"generation_step\":1,\"reward\":0.5,\"note\":\"</script>\"}\n");
        String page = Dashboard.staticPage(run, "run");
        assertTrue(page.contains("window.JAYE_DATA="), "the data");
        assertTrue(page.contains("uPlot"), "uPlot, from its WebJar");
        assertFalse(page.contains("src=\"") || page.contains("href=\""), "no file or URL to fetch");
        assertFalse(page.contains("\"</script>\""), "a line cannot close the data's script element");
        assertEquals(2, page.split("<script>window.JAYE_DATA=", -1).length, "the data once");
    }
}
