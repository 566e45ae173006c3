// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import dev.jaye.eval.data.DatasetWriter;
import dev.jaye.eval.data.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SftCommandTest {
    @TempDir
    Path dir;

    private int run(ByteArrayOutputStream err, String... args) {
        PrintStream savedErr = System.err, savedOut = System.out;
        System.setErr(new PrintStream(err, true));
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true));
        try {
            return Main.commandLine().execute(args);
        } finally {
            System.setErr(savedErr);
            System.setOut(savedOut);
        }
    }

    @Test
    void theShippedNanoRecipeRunsShortenedAndBadKeysAreNamed() throws Exception {
        Path data = dir.resolve("data");
        DatasetWriter.write(data, new DatasetWriter.Config(List.of("count_total"), Map.of(Split.TRAIN, 8, Split.VAL, 4),
                1, 0.25, dev.jaye.eval.tasks.Looks.DEFAULT_HELD_OUT, null), null);
        Path recipe = Path.of(System.getProperty("user.dir")).getParent().resolve("configs/sft-nano.yaml");
        Path out = dir.resolve("run");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = run(err, "sft", "--config", recipe.toString(), "--set", "data.dir=" + data, "--set", "out=" + out,
                "--set", "train.epochs=1", "--set", "train.batch_size=4", "--set", "eval.limit=2", "--set", "eval.max_tokens=4");
        assertEquals(0, code, err.toString());
        assertTrue(Files.isRegularFile(out.resolve("model/model.safetensors")));
        assertTrue(Files.readString(out.resolve("config.yaml")).contains("batch_size: 4"), "the resolved config is written");
        assertTrue(err.toString().contains("sft epoch 1/1"), "a progress bar");

        ByteArrayOutputStream bad = new ByteArrayOutputStream();
        assertEquals(1, run(bad, "sft", "--config", recipe.toString(), "--set", "train.learning_rate=1"));
        assertTrue(bad.toString().contains("unknown key 'train.learning_rate'"), bad.toString());
        ByteArrayOutputStream none = new ByteArrayOutputStream();
        assertEquals(2, run(none, "sft"));
    }
}
