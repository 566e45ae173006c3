// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.sft;

import dev.jaye.models.io.Checkpoint;
import dev.jaye.eval.report.MetricsFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A full disk, for real: the run folder on a 12 MB tmpfs, where the first checkpoint (weights and
 * optimiser state, about 10.5 MB for nano) fits and the second does not. The run stops with the
 * disk's error naming the file, the first checkpoint stays the one checkpoints/latest names and
 * loads, and metrics.jsonl is whole. Mounting needs root: elsewhere the test is skipped, saying so.
 */
class FullDiskTest {
    @TempDir
    Path dir;

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        return p.waitFor() == 0 ? null : out.strip();
    }

    @Test
    void aFullDiskStopsTheRunAndLeavesTheLastGoodCheckpoint() throws Exception {
        Path disk = Files.createDirectories(dir.resolve("disk"));
        String refused = run("mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", disk.toString());
        Assumptions.assumeTrue(refused == null, "cannot mount a tmpfs here (needs root): " + refused);
        try {
            Path data = SftFixture.dataset(dir.resolve("data"));
            Path out = disk.resolve("run");
            SftTrainer t = SftTrainer.start(KillTarget.config(data, out));
            t.quiet();
            IOException e = assertThrows(IOException.class, t::run);
            assertTrue(e.getMessage().contains(out.toString()) && e.getMessage().contains("No space left on device"), e.getMessage());
            assertEquals("step-000001", Files.readString(out.resolve("checkpoints/latest")).strip());
            Checkpoint.load(out.resolve("checkpoints/step-000001"));
            assertTrue(MetricsFile.read(out.resolve("metrics.jsonl")).size() >= 1);
        } finally {
            run("umount", disk.toString());
        }
    }
}
