// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.sft;

import dev.jaye.eval.data.DatasetWriter;
import dev.jaye.eval.data.Split;
import dev.jaye.models.io.Checkpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SftTrainerTest {
    @TempDir
    static Path dir;
    static Path data;

    @BeforeAll
    static void dataset() throws IOException {
        data = dir.resolve("data");
        DatasetWriter.write(data, new DatasetWriter.Config(List.of("count_total"),
                Map.of(Split.TRAIN, 12, Split.VAL, 4, Split.TEST, 2, Split.TEST_OOD, 2), 7, 0.25,
                dev.jaye.eval.tasks.Looks.DEFAULT_HELD_OUT, null), null);
    }

    static SftConfig config(String out, List<String> settings) {
        return config(out, settings, 2, 0);
    }

    static SftConfig config(String out, List<String> settings, int checkpointEvery, int keepCheckpoints) {
        return new SftConfig(3, new SftConfig.Model(null, "nano", true),
                new SftConfig.Data(data.toString(), "train", List.of("val", "test"), 0),
                new SftConfig.Train(2, 4, 3e-3, 3e-4, 2, 0.01, 1.0, 2, 2, true, true, true, checkpointEvery, keepCheckpoints, 1),
                new SftConfig.Eval(settings, 4, 8, 4), dir.resolve(out).toString());
    }

    private static float[] weights(Path modelDir) throws IOException {
        return Checkpoint.load(modelDir).model().parameters().get("lm.layers.0.mlp.down.weight").value.data();
    }

    @Test
    void aResumedRunEndsWithTheSameWeightsAsAnUninterruptedOne() throws IOException {
        SftTrainer straight = SftTrainer.start(config("straight", List.of()));
        straight.quiet();
        SftTrainer.Result done = straight.run();
        assertEquals(6, done.steps());

        SftTrainer first = SftTrainer.start(config("resumed", List.of()));
        first.quiet();
        first.stopAtStep = 4;                                   // "Ctrl-C" after step 4, mid-epoch 2
        SftTrainer.Result stopped = first.run();
        assertTrue(stopped.interrupted());
        assertEquals("step-000004", Files.readString(dir.resolve("resumed/checkpoints/latest")).strip());
        SftTrainer second = SftTrainer.resume(dir.resolve("resumed"));
        second.quiet();
        assertEquals(6, second.run().steps());

        assertArrayEquals(weights(dir.resolve("straight/model")), weights(dir.resolve("resumed/model")));
        List<String> lines = Files.readAllLines(dir.resolve("straight/metrics.jsonl"));
        assertEquals(6, lines.size(), "one line per step");
        assertTrue(lines.get(0).contains("\"answer_only\":true") && lines.get(5).contains("\"answer_only\":false"));
        assertTrue(Files.readString(dir.resolve("straight/config.yaml")).contains("answer_only_steps: 2"));
    }

    /** train.keep_checkpoints: 2 leaves the two newest step folders, across a stop and a resume. */
    @Test
    void onlyTheNewestCheckpointsAreKept() throws IOException {
        SftTrainer first = SftTrainer.start(config("keep", List.of(), 1, 2));
        first.quiet();
        first.stopAtStep = 4;
        first.run();
        Path ck = dir.resolve("keep/checkpoints");
        assertEquals(List.of("latest", "step-000003", "step-000004"), names(ck));
        SftTrainer second = SftTrainer.resume(dir.resolve("keep"));
        second.quiet();
        assertEquals(6, second.run().steps());
        assertEquals(List.of("latest", "step-000005", "step-000006"), names(ck));
        assertEquals("step-000006", Files.readString(ck.resolve("latest")).strip());
        Checkpoint.load(ck.resolve("step-000005"));                 // what is kept is whole
    }

    private static List<String> names(Path folder) throws IOException {
        try (var l = Files.list(folder)) {
            return l.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void valAndTestAreEvaluatedEveryEpochThroughTheEvaluator() throws IOException {
        SftTrainer t = SftTrainer.start(config("val", List.of("pass@1_t0.6")));
        t.quiet();
        t.run();
        long evalLines = Files.readAllLines(dir.resolve("val/metrics.jsonl")).stream().filter(l -> l.contains("\"setting\"")).count();
        assertEquals(4, evalLines, "one line per epoch for each of val and test");
    }

    @Test
    void aNanLossStopsWithAMessageAndTouchesNoCheckpoint() throws IOException {
        SftTrainer t = SftTrainer.start(config("nan", List.of()));
        t.quiet();
        java.util.Arrays.fill(t.model().parameters().get("lm.norm.weight").value.data(), Float.NaN);
        ArithmeticException e = assertThrows(ArithmeticException.class, t::run);
        assertTrue(e.getMessage().contains("step 1") && e.getMessage().contains("NaN"), e.getMessage());
        assertTrue(!Files.exists(dir.resolve("nan/checkpoints")), "no checkpoint of garbage");
    }
}
