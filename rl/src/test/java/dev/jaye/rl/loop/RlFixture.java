// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.loop;

import dev.jaye.eval.data.DatasetWriter;
import dev.jaye.eval.data.Split;
import dev.jaye.models.Vlm;
import dev.jaye.models.config.ModelConfig;
import dev.jaye.models.io.Checkpoint;
import dev.jaye.models.tokenizer.Tokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A small dataset and a fresh nano checkpoint to start RL from, and a config builder. */
final class RlFixture {
    final Path dir, data, init;

    RlFixture(Path dir) throws IOException {
        this(dir, List.of("count_total"));
    }

    /** The same from {@code families} (several: questions of different lengths, so batches are padded). */
    RlFixture(Path dir, List<String> families) throws IOException {
        this.dir = dir;
        data = dir.resolve("data");
        DatasetWriter.write(data, new DatasetWriter.Config(families,
                Map.of(Split.TRAIN, 32, Split.VAL, 4, Split.TEST, 2, Split.TEST_OOD, 2), 7, 0.25,
                dev.jaye.eval.tasks.Looks.DEFAULT_HELD_OUT, null), null);
        init = dir.resolve("init");
        Checkpoint.save(init, new Vlm(ModelConfig.nano(), 5), Tokenizer.bytesOnly());
    }

    /** 8 queries x 4 samples per generation step, short responses, 2 optimiser steps per generation step. */
    RlConfig config(String out, RlConfig.Algorithm alg, List<String> rewards, int maxSteps, double lr) {
        return config(data, init, dir.resolve(out), alg, rewards, maxSteps, lr, 2);
    }

    /** The same from the dataset and checkpoint in {@code data} and {@code init}, a checkpoint every {@code checkpointEvery} steps. */
    static RlConfig config(Path data, Path init, Path out, RlConfig.Algorithm alg, List<String> rewards, int maxSteps, double lr, int checkpointEvery) {
        return new RlConfig(11, new RlConfig.Model(init.toString()),
                new RlConfig.Data(data.toString(), "train", List.of("val"), 0, null),
                new RlConfig.Rollout(8, 4, 1.0, 1.0, 6, 12),
                alg,
                new RlConfig.Reward(rewards, -0.1, 2, -1.0, 0.5),
                new RlConfig.Train(8, maxSteps, 4, 1, 2, lr, lr / 10, 1, 0.0, 1.0, false, false, true, checkpointEvery, 0, false, false),
                new RlConfig.Eval(List.of(), 4, 6, 4, 0, false),
                out.toString());
    }

    static RlConfig.Algorithm reinforcePP() {
        return new RlConfig.Algorithm("reinforce_pp", 1.0, "batch", true, false, 0.01, 0.01, 0.2, 0.2, "token_mean");
    }

    static RlConfig.Algorithm grpo() {
        return new RlConfig.Algorithm("grpo", 1.0, "none", true, false, 0.0, 0.0, 0.2, 0.2, "token_mean");
    }
}
