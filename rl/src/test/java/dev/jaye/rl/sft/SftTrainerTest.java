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
        return config(out, settings, checkpointEvery, keepCheckpoints, false);
    }

    static SftConfig config(String out, List<String> settings, int checkpointEvery, int keepCheckpoints, boolean keepBest) {
        return new SftConfig(3, new SftConfig.Model(null, "nano", true),
                new SftConfig.Data(data.toString(), "train", List.of("test", "val"), 0, null),
                new SftConfig.Train(2, 4, 3e-3, 3e-4, 2, 0.01, 1.0, 2, 2, true, true, true, checkpointEvery, keepCheckpoints, keepBest, 1),
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

    /**
     * A stop at an epoch's last step checkpoints before that epoch's evaluation; the resume
     * evaluates it then, and the metrics hold each evaluation once, with the same numbers as an
     * uninterrupted run's (a resume used to log the epoch's evaluation a second time when the
     * first one had finished before the process stopped).
     */
    @Test
    void aStopAtAnEpochsEndLogsThatEpochsEvaluationOnce() throws IOException {
        List<String> settings = List.of("pass@1_t0.6");
        SftTrainer straight = SftTrainer.start(config("eval-straight", settings));
        straight.quiet();
        straight.run();

        SftTrainer first = SftTrainer.start(config("eval-resumed", settings));
        first.quiet();
        first.stopAtStep = 3;                                   // the last step of epoch 1 (12 samples, batches of 4)
        first.run();
        Path resumed = dir.resolve("eval-resumed");
        // a finished evaluation of epoch 1, as if the process had stopped after it, before its next step
        String epochOne = evaluations(dir.resolve("eval-straight/metrics.jsonl")).stream()
                .filter(l -> l.contains("\"step\":3,")).map(l -> l + "\n").reduce("", String::concat);
        Files.writeString(resumed.resolve("metrics.jsonl"), epochOne, java.nio.file.StandardOpenOption.APPEND);
        SftTrainer second = SftTrainer.resume(resumed);
        second.quiet();
        second.run();

        List<String> want = evaluations(dir.resolve("eval-straight/metrics.jsonl")), got = evaluations(resumed.resolve("metrics.jsonl"));
        assertEquals(4, want.size(), "2 epochs x 2 splits");
        assertEquals(want, got);
    }

    /** The evaluation records of a metrics file, without their timings. */
    private static List<String> evaluations(Path metrics) throws IOException {
        return Files.readAllLines(metrics).stream().filter(l -> l.contains("\"split\""))
                .map(l -> l.replaceAll("\"(seconds|tokens_per_s)\":[0-9.eE+-]+,?", "")).toList();
    }

    /**
     * data.fields reads a layout of the user's own (here "prompt", "label", "img", "gold"): the
     * split loads and trains; without the mapping, the first line is refused with its file and line.
     */
    @Test
    void dataFieldsReadAnotherJsonLayout() throws IOException {
        Path own = data;                                          // beside jaye's files: image paths stay inside the folder
        for (String split : List.of("train", "val", "test")) {
            StringBuilder b = new StringBuilder();
            for (String line : Files.readAllLines(data.resolve(split + ".jsonl")))
                b.append(line.replace("\"problem\":", "\"prompt\":").replace("\"answer\":", "\"label\":")
                        .replace("\"images\":[\"", "\"img\":\"").replace("\"],\"solution\":", "\",\"gold\":")).append('\n');
            Files.writeString(own.resolve("own-" + split + ".jsonl"), b);
        }
        SftConfig base = config("fields", List.of());
        SftConfig.Data d = base.data();
        SftConfig mapped = new SftConfig(base.seed(), base.model(),
                new SftConfig.Data(own.toString(), "own-train", List.of("own-val"), d.limit(),
                        new dev.jaye.eval.data.FieldMap("id", "prompt", "label", "gold", "img", "family")),
                base.train(), base.eval(), base.out());
        SftTrainer t = SftTrainer.start(mapped);
        t.quiet();
        assertEquals(6, t.run().steps());
        SftConfig unmapped = new SftConfig(base.seed(), base.model(),
                new SftConfig.Data(own.toString(), "own-train", List.of("own-val"), d.limit(), null), base.train(), base.eval(),
                dir.resolve("unmapped").toString());
        IOException e = assertThrows(IOException.class, () -> SftTrainer.start(unmapped));
        assertTrue(e.getMessage().contains("own-train.jsonl:1"), e.getMessage());
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

    /**
     * train.keep_best: best/ holds the model of the first epoch with the highest val accuracy under
     * the first setting (val judges even when listed second), untouched by checkpoint retention.
     */
    @Test
    void keepBestKeepsTheModelWithTheHighestValidationAccuracy() throws IOException {
        SftTrainer t = SftTrainer.start(config("best", List.of("pass@1_t0.6", "pass@1_t0.01"), 1, 1, true));
        t.quiet();
        t.run();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        double top = -1;
        int topEpoch = -1;
        for (String line : Files.readAllLines(dir.resolve("best/metrics.jsonl"))) {
            var n = json.readTree(line);
            if (!"val".equals(n.path("split").asText()) || !"pass@1_t0.6".equals(n.path("setting").asText())) continue;
            if (n.get("accuracy").asDouble() > top) {
                top = n.get("accuracy").asDouble();
                topEpoch = n.get("epoch").asInt();
            }
        }
        assertTrue(topEpoch >= 1, "val was evaluated");
        var best = json.readTree(dir.resolve("best/best/best.json").toFile());
        assertEquals(top, best.get("score").asDouble(), 1e-12);
        assertEquals(topEpoch, best.get("epoch").asInt());
        assertEquals("val", best.get("split").asText());
        assertEquals("pass@1_t0.6", best.get("setting").asText());
        Checkpoint.load(dir.resolve("best/best"));
        assertEquals(List.of("latest", "step-000006"), names(dir.resolve("best/checkpoints")));
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
