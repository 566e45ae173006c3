// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.loop;

import dev.jaye.models.io.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 for real, on the RL loop: a run of 6 generation steps in a child JVM, a checkpoint after
 * each, killed three times at random moments and resumed, ends with the uninterrupted run's policy
 * bit for bit, each step's metrics and samples once.
 */
class RlKillNineTest {
    @TempDir
    Path dir;

    @Test
    void anRlRunKilledAndResumedEqualsTheUninterruptedRun() throws Exception {
        RlFixture fx = new RlFixture(dir);
        RlTrainer straight = RlTrainer.start(RlKillTarget.config(fx.data, fx.init, dir.resolve("straight")));
        straight.quiet();
        straight.run();

        Path out = dir.resolve("killed");
        int kills = dev.jaye.rl.KillLoop.run(dir.resolve("child.log"), out.resolve("metrics.jsonl"), RlKillTarget.class,
                List.of(fx.data.toString(), fx.init.toString(), out.toString()), 3, 4);
        assertTrue(kills >= 2, "killed " + kills + " times");
        String key = "lm.layers.0.mlp.down.weight";
        assertArrayEquals(Checkpoint.load(dir.resolve("straight/model")).model().parameters().get(key).value.data(),
                Checkpoint.load(out.resolve("model")).model().parameters().get(key).value.data(), "after " + kills + " kills");
        long steps = Files.readAllLines(out.resolve("metrics.jsonl")).stream().filter(l -> l.contains("\"policy_loss\"")).count();
        assertEquals(6, steps);
        assertEquals(6 * SampleLog.PER_STEP, Files.readAllLines(out.resolve("samples.jsonl")).size());
        assertEquals(Files.readString(dir.resolve("straight/samples.jsonl")), Files.readString(out.resolve("samples.jsonl")),
                "the same responses, step by step");
    }
}
