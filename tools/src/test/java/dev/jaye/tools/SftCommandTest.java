// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import dev.jaye.eval.data.DatasetWriter;
import dev.jaye.eval.data.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SftCommandTest {
    @TempDir
    Path dir;

    @Test
    void theShippedNanoRecipeRunsShortenedAndBadKeysAreNamed() throws Exception {
        Path data = dir.resolve("data");
        DatasetWriter.write(data, new DatasetWriter.Config(List.of("count_total"), Map.of(Split.TRAIN, 8, Split.VAL, 4, Split.TEST, 2),
                1, 0.25, dev.jaye.eval.tasks.Looks.DEFAULT_HELD_OUT, null), null);
        Path recipe = Path.of(System.getProperty("user.dir")).getParent().resolve("configs/sft-nano.yaml");
        Path out = dir.resolve("run");
        Cli.Run r = Cli.run("sft", "--config", recipe.toString(), "--set", "data.dir=" + data, "--set", "out=" + out,
                "--set", "train.epochs=1", "--set", "train.batch_size=4", "--set", "eval.limit=2", "--set", "eval.max_tokens=4");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(out.resolve("model/model.safetensors")));
        assertTrue(Files.readString(out.resolve("config.yaml")).contains("batch_size: 4"), "the resolved config is written");
        assertTrue(r.err().contains("sft epoch 1/1"), "a progress bar");

        Cli.Run bad = Cli.run("sft", "--config", recipe.toString(), "--set", "train.learning_rate=1");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("unknown key 'train.learning_rate'"), bad.err());
        assertEquals(2, Cli.run("sft").code());
    }
}
