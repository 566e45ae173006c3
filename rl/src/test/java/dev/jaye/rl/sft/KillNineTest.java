// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.sft;

import dev.jaye.models.io.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 for real: an SFT run in a child JVM ({@link KillTarget}, a checkpoint after every step
 * and an evaluation after each epoch) is killed again and again at random moments (in the middle
 * of whatever it is writing), resumed each time, until it finishes. Its model must equal, bit for
 * bit, the model of the same run never interrupted, and its metrics must hold every step once.
 */
class KillNineTest {
    @TempDir
    Path dir;

    private Process child(Path data, Path out) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules=jdk.incubator.vector", "-Xmx512m", "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"), KillTarget.class.getName(), data.toString(), out.toString()));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
    }

    private static int lines(Path f) throws IOException {
        return Files.exists(f) ? (int) Files.readString(f).chars().filter(c -> c == '\n').count() : 0;
    }

    @Test
    void aRunKilledAtRandomMomentsAndResumedEqualsTheUninterruptedRun() throws Exception {
        Path data = SftFixture.dataset(dir.resolve("data"));
        SftTrainer straight = SftTrainer.start(KillTarget.config(data, dir.resolve("straight")));
        straight.quiet();
        straight.run();

        Path out = dir.resolve("killed");
        Random r = new Random(9);
        int kills = 0;
        long t0 = System.nanoTime();
        while (true) {
            Process p = child(data, out);
            int seen = lines(out.resolve("metrics.jsonl"));
            long deadline = System.nanoTime() + 120_000_000_000L;
            // let it write a little past where the last one was killed, then kill it within the next step
            while (p.isAlive() && lines(out.resolve("metrics.jsonl")) <= seen && System.nanoTime() < deadline) Thread.sleep(5);
            Thread.sleep(r.nextInt(300));
            if (p.isAlive() && kills < 4) {
                p.destroyForcibly();                            // SIGKILL: no shutdown hook, no finally
                p.waitFor();
                kills++;
                continue;
            }
            assertEquals(0, p.waitFor(), Files.readString(dir.resolve("child.log")));
            break;
        }
        System.out.printf("KillNineTest: %d kills, %.1f s%n", kills, (System.nanoTime() - t0) / 1e9);
        assertTrue(kills >= 2, "killed " + kills + " times");
        assertTrue(Files.isDirectory(out.resolve("model")), Files.readString(dir.resolve("child.log")));
        float[] a = Checkpoint.load(dir.resolve("straight/model")).model().parameters().get("lm.layers.0.mlp.down.weight").value.data();
        float[] b = Checkpoint.load(out.resolve("model")).model().parameters().get("lm.layers.0.mlp.down.weight").value.data();
        assertArrayEquals(a, b, "after " + kills + " kills");
        List<String> steps = Files.readAllLines(out.resolve("metrics.jsonl")).stream().filter(l -> l.startsWith("{\"step\":")).toList();
        assertEquals(6, steps.size(), String.join("\n", steps));
        try (var walk = Files.walk(out)) {
            assertTrue(walk.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no stray temporaries");
        }
    }
}
