// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsFileTest {
    @TempDir
    Path dir;

    private static final String STEP = "{\"generation_step\":1,\"epoch\":0.5,\"policy_loss\":0.0,\"reflection_ratio\":null,\"diagnosis\":\"ok\"}";

    @Test
    void readsNumbersStringsAndNullsAsNaN() throws Exception {
        Path f = dir.resolve("metrics.jsonl");
        Files.writeString(f, STEP + "\n{\"epoch\":0,\"split\":\"val\",\"setting\":\"pass@1_t0.6\",\"accuracy\":0.25}\n\n");
        List<Line> lines = MetricsFile.read(f);
        assertEquals(2, lines.size(), "trailing blank lines are not lines");
        assertEquals(Line.Kind.RL_STEP, lines.get(0).kind());
        assertTrue(Double.isNaN(lines.get(0).num("reflection_ratio")));
        assertTrue(Double.isNaN(lines.get(0).num("absent")));
        assertEquals("ok", lines.get(0).str("diagnosis"));
        assertEquals(Line.Kind.EVAL, lines.get(1).kind());
        assertEquals(0.25, lines.get(1).num("accuracy"));
        assertEquals(2, lines.get(1).number());
    }

    @Test
    void aGarbledLineIsNamedByFileAndLine() throws Exception {
        Path f = dir.resolve("metrics.jsonl");
        Files.writeString(f, STEP + "\n" + STEP + "\n{\"generation_step\":3,\"epo\n");    // a crash mid-write
        ReportException e = assertThrows(ReportException.class, () -> MetricsFile.read(f));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().startsWith(f + ":3: not JSON"), e.getMessage());
    }

    @Test
    void aLastLineStillBeingWrittenIsLeftOut() throws Exception {
        // no newline after it: a run writing its next line (or a crash or a full disk cut it; a resume removes it)
        Path f = dir.resolve("metrics.jsonl");
        Files.writeString(f, STEP + "\n" + STEP + "\n{\"generation_step\":3,\"grad_nor");
        assertEquals(2, MetricsFile.read(f).size());
    }

    @Test
    void aLostLineAWrongTypeOrANonObjectIsAnError() throws Exception {
        String[][] cases = {
                {STEP + "\n\n" + STEP + "\n", ":2: empty line"},
                {STEP + "\n[1, 2]\n", ":2: not a JSON object"},
                {STEP + "\n" + STEP + STEP + "\n", ":2: not JSON"},                       // a lost newline glues two records
                {"{\"split\":\"val\",\"setting\":\"s\",\"epoch\":1,\"accuracy\":\"0.5\"}\n", ":1: \"accuracy\" should be a number"},
                {STEP.replace("\"policy_loss\":0.0", "\"policy_loss\":0.0,\"reflection_words/wait\":\"x\"") + "\n", ":1: \"reflection_words/wait\""},
        };
        for (String[] c : cases) {
            Path f = dir.resolve("m.jsonl");
            Files.writeString(f, c[0]);
            ReportException e = assertThrows(ReportException.class, () -> MetricsFile.read(f), c[0]);
            assertTrue(e.getMessage().contains(f + c[1]), e.getMessage());
        }
    }

    @Test
    void aMissingOrEmptyFileIsNamed() throws Exception {
        Path f = dir.resolve("metrics.jsonl");
        assertTrue(assertThrows(ReportException.class, () -> MetricsFile.read(f)).getMessage().equals(f + ": missing"));
        Files.writeString(f, "\n");
        assertTrue(assertThrows(ReportException.class, () -> MetricsFile.read(f)).getMessage().equals(f + ": holds no lines"));
    }

    @Test
    void aLineWithoutItsXIsNamed() throws Exception {
        Path run = Files.createDirectories(dir.resolve("run"));
        Files.writeString(run.resolve("metrics.jsonl"), STEP + "\n{\"split\":\"val\",\"setting\":\"s\",\"accuracy\":0.5}\n");
        ReportException e = assertThrows(ReportException.class, () -> Run.load(run, "run", null));
        assertEquals(run.resolve("metrics.jsonl") + ":2: no \"epoch\"", e.getMessage());
    }
}
