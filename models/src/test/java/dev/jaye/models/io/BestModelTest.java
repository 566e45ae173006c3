// SPDX-License-Identifier: Apache-2.0
package dev.jaye.models.io;

import dev.jaye.models.Vlm;
import dev.jaye.models.config.ModelConfig;
import dev.jaye.models.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** best/ changes only for a strictly higher finite score, whole, and survives a crash between its two renames. */
class BestModelTest {
    @TempDir
    Path dir;

    private static float[] weights(Path model) throws IOException {
        return Checkpoint.load(model).model().parameters().get("lm.layers.0.mlp.down.weight").value.data();
    }

    @Test
    void onlyAHigherScoreReplacesTheBestAndTheFolderIsAlwaysWhole() throws IOException {
        Path best = dir.resolve("best");
        Vlm a = new Vlm(ModelConfig.nano(), 1), b = new Vlm(ModelConfig.nano(), 2), c = new Vlm(ModelConfig.nano(), 3);
        Tokenizer tok = Tokenizer.bytesOnly();
        assertEquals(Double.NEGATIVE_INFINITY, BestModel.score(best));
        assertTrue(BestModel.offer(best, 0.40, Map.of("step", 1), a, tok));
        assertFalse(BestModel.offer(best, 0.40, Map.of("step", 2), b, tok), "a tie keeps the earlier model");
        assertFalse(BestModel.offer(best, 0.30, Map.of("step", 3), b, tok));
        assertFalse(BestModel.offer(best, Double.NaN, Map.of("step", 4), b, tok), "a NaN score never wins");
        assertArrayEquals(weights(best), a.parameters().get("lm.layers.0.mlp.down.weight").value.data());
        assertTrue(BestModel.offer(best, 0.55, Map.of("step", 5), c, tok));
        assertArrayEquals(weights(best), c.parameters().get("lm.layers.0.mlp.down.weight").value.data());
        assertEquals(0.55, BestModel.score(best));
        assertTrue(Files.readString(best.resolve("best.json")).contains("\"step\":5"));
        try (var l = Files.list(dir)) {
            assertEquals(1, l.count(), "no .best.new or .best.old left behind");
        }
    }

    @Test
    void aCrashBetweenTheRenamesLeavesTheOldBestToRecover() throws IOException {
        Path best = dir.resolve("best");
        Vlm a = new Vlm(ModelConfig.nano(), 1);
        BestModel.offer(best, 0.4, Map.of(), a, Tokenizer.bytesOnly());
        Files.move(best, dir.resolve(".best.old"));                 // the state after the first rename
        assertEquals(0.4, BestModel.score(best));
        assertArrayEquals(weights(best), a.parameters().get("lm.layers.0.mlp.down.weight").value.data());
    }
}
