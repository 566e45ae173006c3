// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools.experiment;

import dev.jaye.eval.report.Experiment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The experiment's bottom line on a hand-made experiment folder, every number worked out by hand. */
class SummaryTest {
    static String eval(double epoch, String split, double acc, double se) {
        return String.format(java.util.Locale.ROOT, "{\"epoch\":%s,\"split\":\"%s\",\"setting\":\"pass@1_t0.6_n4\",\"accuracy\":%s,\"accuracy_se\":%s}%n",
                epoch, split, acc, se);
    }

    static void write(Path file, String... lines) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("", lines));
    }

    @Test
    void lastEvaluationPerSeedMeanOverSeedsAndTheLargerStandardError(@TempDir Path dir) throws IOException {
        write(dir.resolve("vanilla/eval.jsonl"), eval(0, "val", 0.5, 0.03));
        // RL: two seeds; only each run's last val evaluation counts (0.7 and 0.8), not epoch 1's.
        write(dir.resolve("rl/seed-0/metrics.jsonl"), eval(1, "val", 0.1, 0.01), eval(2, "val", 0.7, 0.02));
        write(dir.resolve("rl/seed-1/metrics.jsonl"), eval(2, "val", 0.8, 0.02));
        write(dir.resolve("sft/seed-0/metrics.jsonl"), eval(2, "val", 0.6, 0.04));

        Summary.Line l = Summary.of(Experiment.load(dir), "val", "pass@1_t0.6_n4");
        assertEquals(0.5, l.vanilla().accuracy(), 1e-12);
        assertEquals(0.03, l.vanilla().se(), 1e-12);
        assertEquals(1, l.vanilla().runs());
        assertEquals(0.6, l.sft().accuracy(), 1e-12);
        assertEquals(0.04, l.sft().se(), 1e-12, "one seed: its own evaluation's error");
        assertEquals(0.75, l.rl().accuracy(), 1e-12);
        assertEquals(2, l.rl().runs());
        // Evaluation noise sqrt(0.02² + 0.02²) / 2 = 0.01414; seed spread sd(0.7, 0.8) / sqrt(2) = 0.05: the larger.
        assertEquals(0.05, l.rl().se(), 1e-12);
        assertEquals(0.25 / Math.hypot(0.05, 0.03), l.gainInSe(), 1e-9);

        Summary.Line none = Summary.of(Experiment.load(dir), "test_ood", "pass@1_t0.6_n4");
        assertEquals(0, none.rl().runs());
        assertTrue(Summary.table(java.util.List.of(l, none)).contains("75.0% ± 5.0"), Summary.table(java.util.List.of(l, none)));
    }
}
