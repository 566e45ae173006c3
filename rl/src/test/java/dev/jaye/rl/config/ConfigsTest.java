// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigsTest {
    @TempDir
    Path dir;

    record Optim(double lr, int warmupSteps) {}

    record Example(int batchSize, double temperature, boolean trainVit, Optim optim, List<String> families) {}

    private Path yaml(String text) throws IOException {
        Path f = dir.resolve("run.yaml");
        Files.writeString(f, text);
        return f;
    }

    private static final String GOOD = """
            batch_size: 16
            temperature: 1.0
            train_vit: false
            optim:
              lr: 0.001
              warmup_steps: 10
            families: [count_total, sum_digits]
            """;

    @Test
    void loadsYamlAndAppliesDottedOverrides() throws IOException {
        Example e = Configs.load(yaml(GOOD), List.of("optim.lr=5e-5", "batch_size=8", "families=[bar_max]"), Example.class);
        assertEquals(new Example(8, 1.0, false, new Optim(5e-5, 10), List.of("bar_max")), e);
        assertEquals(e, Configs.load(yaml(Configs.toYaml(e)), List.of(), Example.class), "the resolved config reloads to the same");
        assertTrue(Configs.toYaml(e).contains("warmup_steps: 10"));
    }

    @Configs.AddedLater("{optim: {warmup_steps: 0}, keep: false}")
    record Later(int batchSize, Optim optim, boolean keep) {}

    /** A key added later takes the value runs before it meant when a file lacks it; a file's own value wins; other keys stay required. */
    @Test
    void keysAddedLaterHaveTheirOldMeaningWhenAFileLacksThem() throws IOException {
        assertEquals(new Later(4, new Optim(0.1, 0), false), Configs.load(yaml("batch_size: 4\noptim: {lr: 0.1}\n"), List.of(), Later.class));
        assertEquals(new Later(4, new Optim(0.1, 7), true),
                Configs.load(yaml("batch_size: 4\noptim: {lr: 0.1, warmup_steps: 7}\nkeep: true\n"), List.of(), Later.class));
        IOException e = assertThrows(IOException.class, () -> Configs.load(yaml("optim: {lr: 0.1}\n"), List.of(), Later.class));
        assertTrue(e.getMessage().contains("missing key 'batch_size'"), e.getMessage());
    }

    @Test
    void errorsNameTheKey() throws IOException {
        assertMessage(GOOD.replace("temperature", "temprature"), List.of(), "unknown key 'temprature'");
        assertMessage(GOOD, List.of("optim.lr_max=1"), "unknown key 'optim.lr_max'");
        assertMessage(GOOD, List.of("batch_size=many"), "bad value for key 'batch_size'");
        assertMessage(GOOD.replace("  warmup_steps: 10\n", ""), List.of(), "missing key 'optim.warmup_steps'");
        assertMessage(GOOD, List.of("batch_size"), "not key=value");
        assertMessage(GOOD, List.of("temperature.x=1"), "'temperature'");
        assertMessage("batch_size: [1,\n", List.of(), "not valid YAML");
        // strict: a fraction for an integer key, and a key given twice, are mistakes, not 32 and "last wins"
        assertMessage(GOOD.replace("batch_size: 16", "batch_size: 32.9"), List.of(), "bad value for key 'batch_size': Cannot coerce Floating-point value (32.9)");
        assertMessage(GOOD, List.of("optim.warmup_steps=2.5"), "bad value for key 'optim.warmup_steps'");
        assertMessage(GOOD + "temperature: 0.5\n", List.of(), "Duplicate field 'temperature'");
        IOException e = assertThrows(IOException.class, () -> Configs.load(dir.resolve("none.yaml"), List.of(), Example.class));
        assertTrue(e.getMessage().contains("does not exist"));
    }

    private void assertMessage(String text, List<String> overrides, String part) throws IOException {
        Path f = yaml(text);
        IOException e = assertThrows(IOException.class, () -> Configs.load(f, overrides, Example.class));
        assertTrue(e.getMessage().contains(part), e.getMessage() + " should contain " + part);
    }

    /** base: starts from another file's keys (relative to this file's folder); sections merge key by key, lists replace. */
    @Test
    void aConfigStartsFromItsBaseAndSaysOnlyWhatDiffers() throws IOException {
        Files.createDirectories(dir.resolve("recipes"));
        Files.writeString(dir.resolve("recipes/base.yaml"), GOOD);
        Path child = dir.resolve("recipes/child.yaml");
        Files.writeString(child, """
                base: base.yaml
                optim:
                  lr: 0.01
                families: [sum_digits]
                """);
        Example e = Configs.load(child, List.of("temperature=0.5"), Example.class);
        assertEquals(new Example(16, 0.5, false, new Optim(0.01, 10), List.of("sum_digits")), e);
        String resolved = Configs.toYaml(e);
        assertTrue(!resolved.contains("base") && resolved.contains("warmup_steps: 10"), resolved);

        Files.writeString(dir.resolve("recipes/a.yaml"), "base: b.yaml\n");
        Files.writeString(dir.resolve("recipes/b.yaml"), "base: a.yaml\n");
        IOException loop = assertThrows(IOException.class, () -> Configs.load(dir.resolve("recipes/a.yaml"), List.of(), Example.class));
        assertTrue(loop.getMessage().contains("circle"), loop.getMessage());
        Files.writeString(child, "base: missing.yaml\n");
        IOException missing = assertThrows(IOException.class, () -> Configs.load(child, List.of(), Example.class));
        assertTrue(missing.getMessage().contains("missing.yaml") && missing.getMessage().contains("'base' of"), missing.getMessage());
    }
}
