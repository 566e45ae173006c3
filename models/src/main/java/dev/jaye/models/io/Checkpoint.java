// SPDX-License-Identifier: Apache-2.0
package dev.jaye.models.io;

import dev.jaye.models.Vlm;
import dev.jaye.models.config.ModelConfig;
import dev.jaye.models.tokenizer.Tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A model on disk is a folder: {@code model.safetensors} (weights, keys as in docs/tiny-vlm.md),
 * {@code config.json} (the ModelConfig) and {@code tokenizer.json}. Each file is written
 * atomically, so an interrupted save leaves the previous version of each file intact.
 */
public final class Checkpoint {
    private Checkpoint() {}

    public static final String WEIGHTS = "model.safetensors", CONFIG = "config.json", TOKENIZER = "tokenizer.json";

    /** A loaded checkpoint. */
    public record Loaded(Vlm model, Tokenizer tokenizer) {}

    public static void save(Path dir, Vlm model, Tokenizer tokenizer) throws IOException {
        Files.createDirectories(dir);
        SafeTensors.write(dir.resolve(WEIGHTS), model.stateDict(), Map.of("format", "jaye", "producer", "jaye 0.1.0"));
        model.config.save(dir.resolve(CONFIG));
        tokenizer.save(dir.resolve(TOKENIZER));
    }

    /** Loads a folder; every problem names the file (and the key) at fault. */
    public static Loaded load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException("checkpoint " + dir + " is not a folder");
        for (String f : new String[]{WEIGHTS, CONFIG, TOKENIZER})
            if (!Files.isRegularFile(dir.resolve(f))) throw new IOException("checkpoint " + dir + " has no " + f);
        ModelConfig config = ModelConfig.load(dir.resolve(CONFIG));
        Tokenizer tokenizer = Tokenizer.load(dir.resolve(TOKENIZER));
        if (tokenizer.vocabSize() > config.lm().vocab()) throw new IOException("checkpoint " + dir + ": the tokenizer has "
                + tokenizer.vocabSize() + " tokens but " + CONFIG + " says lm.vocab = " + config.lm().vocab());
        Vlm model = new Vlm(config, 0);
        try {
            model.load(SafeTensors.read(dir.resolve(WEIGHTS)), dir.resolve(WEIGHTS).toString());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        return new Loaded(model, tokenizer);
    }
}
