// SPDX-License-Identifier: Apache-2.0
package dev.jaye.models.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelConfigTest {
    @TempDir
    Path dir;

    @Test
    void tinyHasTheReferenceShapes() {
        ModelConfig c = ModelConfig.tiny().validate();
        assertEquals(64, c.vision().patches());
        assertEquals(16, c.imageTokens());
        assertEquals(64, c.lm().headSize());
    }

    @Test
    void presetsRoundTripThroughJson() throws IOException {
        for (String p : new String[]{"nano", "tiny", "small"}) {
            Path f = dir.resolve(p + ".json");
            ModelConfig.preset(p).save(f);
            assertEquals(ModelConfig.preset(p), ModelConfig.load(f), p);
            assertTrue(Files.readString(f).contains("\"kv_heads\""), "snake_case keys as in the docs");
        }
    }

    @Test
    void badConfigsNameTheKey() throws IOException {
        String good = ModelConfig.tiny().toJson();
        assertMessage(good.replace("\"kv_heads\" : 4", "\"kv_heads\" : 3"), "lm.heads 4 is not a multiple of lm.kv_heads 3");
        assertMessage(good.replace("\"rope_theta\"", "\"rope_thta\""), "missing key 'lm.rope_theta'");
        assertMessage(good.replace("\"rope_theta\"", "\"dropout\" : 0.1,\n    \"rope_theta\""), "unknown key 'lm.dropout'");
        assertMessage(good.replace("\"patch_size\" : 8", "\"patch_size\" : 7"), "vision.image_size 64 is not a multiple of vision.patch_size 7");
        assertMessage(good.replace("\"vocab\" : 512", "\"vocab\" : \"many\""), "lm.vocab");
        assertMessage(good.replace("\"layers\" : 4,\n    \"heads\" : 4,\n    \"kv_heads\"", "\"layers\" : 0,\n    \"heads\" : 4,\n    \"kv_heads\""), "lm.layers must be > 0");
        assertThrows(IllegalArgumentException.class, () -> ModelConfig.preset("huge"));
        IOException e = assertThrows(IOException.class, () -> ModelConfig.load(dir.resolve("missing.json")));
        assertTrue(e.getMessage().contains("does not exist"));
    }

    private void assertMessage(String json, String part) throws IOException {
        Path f = dir.resolve("config.json");
        Files.writeString(f, json);
        IOException e = assertThrows(IOException.class, () -> ModelConfig.load(f), part);
        assertTrue(e.getMessage().contains(part) && e.getMessage().contains(f.toString()), e.getMessage() + " should contain " + part);
    }
}
