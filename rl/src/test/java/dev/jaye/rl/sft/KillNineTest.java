// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.sft;

import dev.jaye.models.io.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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

    @Test
    void aRunKilledAtRandomMomentsAndResumedEqualsTheUninterruptedRun() throws Exception {
        Path data = SftFixture.dataset(dir.resolve("data"));
        SftTrainer straight = SftTrainer.start(KillTarget.config(data, dir.resolve("straight")));
        straight.quiet();
        straight.run();

        Path out = dir.resolve("killed");
        long t0 = System.nanoTime();
        int kills = dev.jaye.rl.KillLoop.run(dir.resolve("child.log"), out.resolve("metrics.jsonl"), KillTarget.class,
                List.of(data.toString(), out.toString()), 4, 9);
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
