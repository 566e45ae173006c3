// SPDX-License-Identifier: Apache-2.0
package dev.jaye.cluster;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.jaye.cluster.SparkExperimentTest.MASTER;
import static dev.jaye.cluster.SparkExperimentTest.jaye;
import static dev.jaye.cluster.SparkExperimentTest.recipe;
import static dev.jaye.cluster.SparkExperimentTest.timeless;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code jaye rl --master}: one RL run with steps II-IV spread over Spark executors, in this
 * process ({@code local[2]}) and on a real standalone cluster on loopback, gives the one-machine
 * run's metrics, samples and weights bit for bit; an executor killed mid-run changes nothing.
 *
 * <p>The run's shape makes every part of the layer work: 16 rows per generation step in two row
 * parts (forward batches of 8), two mini-batches per step (so the weights change, and are sent
 * again, within a step), two backward batches per mini-batch, old log-probs from step III, the
 * KL loss against the reference model. The cluster tests need {@code -Djaye.test.sparkMaster}
 * (see SparkExperimentTest); without it they are skipped and say so.
 */
class SparkRlTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void fixture() throws Exception {
        SparkExperimentTest.fixture(dir, List.of("count_total", "count_color_kind", "boxes_apples"));   // prompts of several lengths
    }

    static SparkExperimentTest.Run rl(Path out, int steps, String... more) {
        List<String> a = new ArrayList<>(List.of("rl", "--config", recipe("rl-nano.yaml").toString(),
                "--set", "model.init=" + dir.resolve("init"), "--set", "data.dir=" + dir.resolve("data"), "--set", "out=" + out,
                "--set", "rollout.batch_size=4", "--set", "rollout.num_samples=4", "--set", "rollout.max_tokens=6",
                "--set", "rollout.forward_batch_size=8", "--set", "train.ppo_batch_size=2", "--set", "train.gradient_accumulation_steps=2",
                "--set", "train.max_generation_steps=" + steps, "--set", "train.checkpoint_every=1", "--set", "train.epochs=2",
                "--set", "eval.settings=[pass@1_t0.6]", "--set", "eval.limit=2", "--set", "eval.max_tokens=6"));
        a.addAll(List.of(more));
        return jaye(a.toArray(new String[0]));
    }

    static void assertSameRun(Path expected, Path actual) throws IOException {
        assertEquals(timeless(expected.resolve("metrics.jsonl")), timeless(actual.resolve("metrics.jsonl")), "metrics.jsonl");
        assertEquals(Files.readString(expected.resolve("samples.jsonl")), Files.readString(actual.resolve("samples.jsonl")), "samples.jsonl");
        assertArrayEquals(Files.readAllBytes(expected.resolve("model/model.safetensors")), Files.readAllBytes(actual.resolve("model/model.safetensors")),
                "the trained weights");
    }

    static Path oneMachine;

    static synchronized Path oneMachine() {
        if (oneMachine == null) {
            Path out = dir.resolve("rl-one-machine");
            SparkExperimentTest.Run r = rl(out, 3);
            assertEquals(0, r.code(), r.err());
            oneMachine = out;
        }
        return oneMachine;
    }

    @Test
    void onSparkInThisProcessTheRunIsTheOneMachineRun() throws Exception {
        Path out = dir.resolve("rl-local");
        SparkExperimentTest.Run r = rl(out, 3, "--master", "local[2]");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("== spark local[2]") && r.err().contains("spread over 2 task slots"), r.err());
        assertSameRun(oneMachine(), out);
    }

    /** A NaN met in a task (weights blown up by a huge learning rate) stops the run as on one machine: the same message, not a retry. */
    @Test
    void aNanInATaskStopsTheRunWithTheOneMachineMessage() throws Exception {
        SparkExperimentTest.Run here = rl(dir.resolve("rl-nan-here"), 3, "--set", "train.lr=1e30", "--set", "train.min_lr=1e29",
                "--set", "train.warmup_steps=0");
        SparkExperimentTest.Run spread = rl(dir.resolve("rl-nan-spread"), 3, "--set", "train.lr=1e30", "--set", "train.min_lr=1e29",
                "--set", "train.warmup_steps=0", "--master", "local[2]");
        assertEquals(1, here.code(), here.err());
        assertEquals(1, spread.code(), spread.err());
        String message = here.err().lines().filter(l -> l.startsWith("jaye rl: ")).findFirst().orElseThrow();
        assertTrue(message.contains("NaN") || message.contains("Infinity") || message.contains("infinity"), message);
        assertTrue(spread.err().contains(message), "the same stop: " + message + "\n" + spread.err());
    }

    @Test
    void onAStandaloneClusterTheRunIsTheOneMachineRun() throws Exception {
        Assumptions.assumeTrue(!MASTER.isEmpty(), "needs a Spark cluster: -Djaye.test.sparkMaster=spark://127.0.0.1:7077 (./jaye cluster start)");
        Path out = dir.resolve("rl-cluster");
        SparkExperimentTest.Run r = rl(out, 3, "--master", MASTER);
        assertEquals(0, r.code(), r.err());
        assertSameRun(oneMachine(), out);
    }

    @Test
    void anExecutorKilledMidRunIsReplacedAndTheRunIsUnchanged() throws Exception {
        Assumptions.assumeTrue(!MASTER.isEmpty(), "needs a Spark cluster: -Djaye.test.sparkMaster=spark://127.0.0.1:7077 (./jaye cluster start)");
        Path straight = dir.resolve("rl-straight-6"), killed = dir.resolve("rl-killed-6");
        assertEquals(0, rl(straight, 6).code());
        CompletableFuture<SparkExperimentTest.Run> run = CompletableFuture.supplyAsync(() -> rl(killed, 6, "--master", MASTER));
        // Once the first generation step is done, kill -9 one executor of this application mid-run.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        ProcessHandle victim = null;
        while (victim == null && System.nanoTime() < until && !run.isDone()) {
            if (Files.isDirectory(killed.resolve("checkpoints")))
                victim = ProcessHandle.allProcesses().filter(SparkExperimentTest::isExecutor).findFirst().orElse(null);
            if (victim == null) Thread.sleep(20);
        }
        assertTrue(victim != null, "an executor to kill while the run went on; "
                + (run.isDone() ? "the run ended first: " + run.get().code() + " " + run.get().err() : "none found"));
        assertTrue(victim.destroyForcibly());
        SparkExperimentTest.Run r = run.get(600, TimeUnit.SECONDS);
        assertEquals(0, r.code(), r.err());
        assertSameRun(straight, killed);
    }
}
