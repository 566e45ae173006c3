// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.sft;

import dev.jaye.models.io.Checkpoint;
import dev.jaye.rl.RunFolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run folder belongs to one run and one process: what went wrong before RunFolder existed, each
 * made impossible (issue "nothing lost, nothing mixed"). The trainer is SFT on a 12-question
 * dataset (6 steps); the RL trainer goes through the same RunFolder calls.
 */
class RunFolderFaultsTest {
    @TempDir
    static Path dir;
    static Path data;

    @BeforeAll
    static void dataset() throws IOException {
        data = SftFixture.dataset(dir.resolve("data"));
    }

    static SftConfig config(Path out) {
        return SftFixture.config(data, out, 2, List.of());
    }

    /** A run stopped after step 2 (checkpoint step-000002) in {@code out}. */
    static Path stopped(Path out) throws IOException {
        SftTrainer t = SftTrainer.start(config(out));
        t.quiet();
        t.stopAtStep = 2;
        assertTrue(t.run().interrupted());
        return out;
    }

    static float[] weights(Path modelDir) throws IOException {
        return Checkpoint.load(modelDir).model().parameters().get("lm.layers.0.mlp.down.weight").value.data();
    }

    @Test
    void aMovedRunResumesIntoTheFolderItIsNowIn() throws IOException {
        Path first = stopped(dir.resolve("moved-from")), moved = dir.resolve("moved-to");
        Files.move(first, moved);
        SftTrainer t = SftTrainer.resume(moved);
        t.quiet();
        assertEquals(6, t.run().steps());
        assertFalse(Files.exists(first), "the old path was not re-created");
        assertTrue(Files.isDirectory(moved.resolve("model")));
        assertEquals("step-000006", Files.readString(moved.resolve("checkpoints/latest")).strip());

        SftTrainer straight = SftTrainer.start(config(dir.resolve("moved-straight")));
        straight.quiet();
        straight.run();
        assertArrayEquals(weights(dir.resolve("moved-straight/model")), weights(moved.resolve("model")), "still bit for bit");
    }

    @Test
    void aNewRunIntoAFolderThatHoldsARunIsRefusedAndTouchesNothing() throws IOException {
        Path out = stopped(dir.resolve("taken"));
        String metrics = Files.readString(out.resolve("metrics.jsonl")), latest = Files.readString(out.resolve("checkpoints/latest"));
        IOException e = assertThrows(IOException.class, () -> SftTrainer.start(config(out)));
        assertTrue(e.getMessage().contains("already holds a run") && e.getMessage().contains("--resume " + out), e.getMessage());
        assertEquals(metrics, Files.readString(out.resolve("metrics.jsonl")));
        assertEquals(latest, Files.readString(out.resolve("checkpoints/latest")));
    }

    @Test
    void overwriteReplacesTheRunInTheFolder() throws IOException {
        Path out = stopped(dir.resolve("overwritten"));
        Files.writeString(out.resolve("notes.txt"), "mine");
        RunFolder.overwrite(out);
        SftTrainer t = SftTrainer.start(config(out));
        t.quiet();
        t.stopAtStep = 1;
        t.run();
        assertFalse(Files.exists(out.resolve("checkpoints/step-000002")) || Files.exists(out.resolve("notes.txt")), "the old run is gone");
        assertEquals(1, Files.readAllLines(out.resolve("metrics.jsonl")).size(), "metrics of the new run only");
    }

    @Test
    void aFolderLockedByAnotherProcessIsRefused() throws Exception {
        Path out = Files.createDirectories(dir.resolve("locked"));
        // a second JVM takes the lock the way RunFolder does, and holds it until its stdin closes
        Path src = dir.resolve("Holder.java");
        Files.writeString(src, """
                import java.nio.channels.FileChannel;
                import java.nio.file.*;
                public class Holder {
                    public static void main(String[] a) throws Exception {
                        FileChannel ch = FileChannel.open(Path.of(a[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                        ch.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\\n").getBytes()));
                        if (ch.tryLock() == null) throw new IllegalStateException("not locked");
                        System.out.println("locked");
                        System.out.flush();
                        System.in.read();
                    }
                }
                """);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process holder = new ProcessBuilder(java, src.toString(), out.resolve(".lock").toString()).redirectErrorStream(true).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", r.readLine());
            IOException e = assertThrows(IOException.class, () -> SftTrainer.start(config(out)));
            assertTrue(e.getMessage().contains("in use by another jaye process (pid " + holder.pid() + ")"), e.getMessage());
            assertFalse(Files.exists(out.resolve("config.yaml")), "nothing written");
        } finally {
            holder.getOutputStream().close();
            holder.waitFor();
        }
        SftTrainer t = SftTrainer.start(config(out));       // the lock went with the process
        t.quiet();
        t.stopAtStep = 1;
        t.run();
    }

    @Test
    void aTornLineAndTheStepsAfterTheCheckpointAreCutOnResume() throws IOException {
        Path out = stopped(dir.resolve("torn"));
        // as if the process had gone on to step 3 and died in the middle of the step-4 line (a full disk)
        Path m = out.resolve("metrics.jsonl");
        Files.writeString(m, "{\"step\":3,\"epoch\":1.0,\"loss\":1.0}\n{\"step\":4,\"epoch\":1.3,\"grad_nor", java.nio.file.StandardOpenOption.APPEND);
        // and with the temporaries of an atomic write it was killed in
        Path stray = Files.writeString(out.resolve("checkpoints/step-000002/.model.safetensors.5921.tmp"), "half");
        Path stray2 = Files.writeString(out.resolve("checkpoints/.latest.77.tmp"), "step-0000");
        SftTrainer t = SftTrainer.resume(out);
        assertFalse(Files.exists(stray) || Files.exists(stray2), "stray temporaries removed");
        t.quiet();
        t.run();
        List<String> lines = Files.readAllLines(m);
        assertEquals(6, lines.size(), String.join("\n", lines));
        for (int i = 0; i < 6; i++) assertTrue(lines.get(i).startsWith("{\"step\":" + (i + 1) + ","), lines.get(i));
        assertFalse(Files.readString(m).contains("grad_nor{"));
    }

    @Test
    void cutMetricsKeepsWhatTheCheckpointCoversAndLinesWithoutAStep() throws IOException {
        Path m = dir.resolve("cut.jsonl");
        Files.writeString(m, "{\"step\":1}\n{\"note\":\"x\"}\n{\"step\":2}\n{\"step\":3}\n{\"step\":2,\"split\":\"val\"}\n{\"st");
        RunFolder.cutMetrics(m, "step", 2);
        assertEquals("{\"step\":1}\n{\"note\":\"x\"}\n{\"step\":2}\n{\"step\":2,\"split\":\"val\"}\n", Files.readString(m));
        String before = Files.readString(m);
        RunFolder.cutMetrics(m, "step", 2);
        assertEquals(before, Files.readString(m), "nothing to cut: unchanged");
    }

    @Test
    void aTamperedTrainerJsonIsRefusedWithItsFileAndKey() throws IOException {
        Path out = stopped(dir.resolve("tampered"));
        Path state = out.resolve("checkpoints/step-000002/trainer.json");
        for (String[] c : new String[][]{
                {"{\"step\":-5,\"epoch\":0,\"position\":8}", "\"step\" must be an integer in [0, 6], got -5"},
                {"{\"step\":2,\"epoch\":0,\"position\":99}", "\"position\" must be an integer in [0, 12], got 99"},
                {"{\"step\":2,\"epoch\":0}", "\"position\" must be an integer in [0, 12], got nothing (the key is missing)"},
                {"{\"step\":3,\"epoch\":0,\"position\":8}", "step 3 does not match epoch 0 and position 8"},
                {"{\"step\":2,", "is not valid JSON"}}) {
            Files.writeString(state, c[0]);
            IOException e = assertThrows(IOException.class, () -> SftTrainer.resume(out), c[0]);
            assertTrue(e.getMessage().contains(state.toString()) && e.getMessage().contains(c[1]), e.getMessage());
        }
    }

    @Test
    void aCheckpointWithANonFiniteNumberIsNotWritten() {
        var good = Map.of("w", dev.jaye.tensor.Tensor.wrap(new float[]{1, 2}, 2));
        var bad = Map.of("m", dev.jaye.tensor.Tensor.wrap(new float[]{1, Float.POSITIVE_INFINITY, Float.NaN}, 3));
        RunFolder.requireFinite(good, good, "step 3", dir.resolve("c/step-000003"), null);
        ArithmeticException e = assertThrows(ArithmeticException.class,
                () -> RunFolder.requireFinite(good, bad, "step 3", dir.resolve("c/step-000003"), dir.resolve("c/step-000002")));
        assertEquals("step 3: not writing " + dir.resolve("c/step-000003") + ": non-finite values (NaN or infinity) in "
                + "the optimiser's state: 2 of 3, the first in 'm' (2 of 3); the last good checkpoint is " + dir.resolve("c/step-000002"), e.getMessage());
    }

    @Test
    void everyOptionIsCheckedBeforeTheFirstStep() {
        SftConfig ok = config(dir.resolve("never"));
        var t = ok.train();
        SftConfig bad = new SftConfig(3, ok.model(), new SftConfig.Data(data.toString(), "train", List.of("val"), -1, null),
                new SftConfig.Train(2, 4, Double.POSITIVE_INFINITY, 0, 2, -5, Double.NaN, 2, -1, true, true, true, -1, 0, false, 1),
                new SftConfig.Eval(List.of("pass@1_t0.6"), -2, 0, 0), ok.out());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bad::validate);
        for (String key : List.of("train.lr must be a finite number > 0, got Infinity", "train.weight_decay", "train.clip_grad_norm",
                "train.checkpoint_every", "train.answer_only_steps", "data.limit", "eval.max_tokens must be >= 1, got 0",
                "eval.batch_size must be >= 1, got 0", "eval.limit"))
            assertTrue(e.getMessage().contains(key), key + " in: " + e.getMessage());
        SftConfig badSetting = new SftConfig(3, ok.model(), ok.data(), t, new SftConfig.Eval(List.of("pass@1_t0.6", "best_of_three"), 4, 8, 4), ok.out());
        assertTrue(assertThrows(IllegalArgumentException.class, badSetting::validate).getMessage().contains("eval.settings"));
        assertFalse(Files.exists(dir.resolve("never")));

        // a start whose inputs do not load leaves no folder behind (no empty out with a .lock in it)
        SftConfig noInit = new SftConfig(3, new SftConfig.Model(dir.resolve("no-such-model").toString(), null, false), ok.data(), t, ok.eval(), ok.out());
        assertThrows(IOException.class, () -> SftTrainer.start(noInit));
        assertFalse(Files.exists(dir.resolve("never")), "nothing created");
    }
}
