// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.sft;

import dev.jaye.eval.data.DatasetWriter;
import dev.jaye.eval.data.Split;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The small SFT run the fault tests share: 12 training questions of count_total, nano, 2 epochs of 3 steps. */
final class SftFixture {
    private SftFixture() {}

    /** Writes the dataset into {@code data} and returns it. */
    static Path dataset(Path data) throws IOException {
        DatasetWriter.write(data, new DatasetWriter.Config(List.of("count_total"),
                Map.of(Split.TRAIN, 12, Split.VAL, 4, Split.TEST, 2, Split.TEST_OOD, 2), 7, 0.25,
                dev.jaye.eval.tasks.Looks.DEFAULT_HELD_OUT, null), null);
        return data;
    }

    /** 6 steps of 4, a checkpoint every {@code checkpointEvery} steps (the newest 2 kept), evaluated under {@code settings}. */
    static SftConfig config(Path data, Path out, int checkpointEvery, List<String> settings) {
        return new SftConfig(3, new SftConfig.Model(null, "nano", true),
                new SftConfig.Data(data.toString(), "train", List.of("val"), 0, null),
                new SftConfig.Train(2, 4, 3e-3, 3e-4, 2, 0.01, 1.0, 2, 2, true, true, true, checkpointEvery, 2, false, 1),
                new SftConfig.Eval(settings, 4, 8, 4), out.toString());
    }
}
