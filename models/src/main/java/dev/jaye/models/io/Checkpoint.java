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
 * A model on disk is a folder: {@code model.safetensors} (weights, keys as in docs/model.md),
 * {@code config.json} (the ModelConfig) and {@code tokenizer.json}. Each file is written
 * atomically, so an interrupted save leaves the previous version of each file intact.
 */
public final class Checkpoint {
    private Checkpoint() {}

    public static final String WEIGHTS = "model.safetensors", CONFIG = "config.json", TOKENIZER = "tokenizer.json";

    /** A loaded checkpoint. */
    public record Loaded(Vlm model, Tokenizer tokenizer) {}

    /** Writes a model folder; refused (nothing written) when a weight is NaN or infinite. */
    public static void save(Path dir, Vlm model, Tokenizer tokenizer) throws IOException {
        try {
            requireFinite(model.stateDict(), "the model's weights");
        } catch (ArithmeticException e) {
            throw new ArithmeticException("not saving " + dir + ": " + e.getMessage());
        }
        Files.createDirectories(dir);
        SafeTensors.write(dir.resolve(WEIGHTS), model.stateDict(), Map.of("format", "jaye", "producer", "jaye 0.1.0"));
        model.config.save(dir.resolve(CONFIG));
        tokenizer.save(dir.resolve(TOKENIZER));
    }

    /** Loads a folder; every problem names the file (and the key) at fault. */
    public static Loaded load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException("checkpoint " + dir + " is not a folder (a model folder is what "
                + "'./jaye sft' or './jaye rl' write as OUT/model, or './jaye init --out DIR' makes; the quickstart's warm-up is "
                + "runs/quickstart/warmup/model)");
        for (String f : new String[]{WEIGHTS, CONFIG, TOKENIZER})
            if (!Files.isRegularFile(dir.resolve(f))) throw new IOException("checkpoint " + dir + " has no " + f);
        ModelConfig config = ModelConfig.load(dir.resolve(CONFIG));
        Tokenizer tokenizer = Tokenizer.load(dir.resolve(TOKENIZER));
        if (tokenizer.vocabSize() > config.lm().vocab()) throw new IOException("checkpoint " + dir + ": the tokenizer has "
                + tokenizer.vocabSize() + " tokens but " + CONFIG + " says lm.vocab = " + config.lm().vocab());
        // Sizes before the model is built: a wrong number in config.json (lm.width 2^20) must not end in OutOfMemoryError
        long params = config.parameterCount(), fileBytes = Files.size(dir.resolve(WEIGHTS));
        if (params * 2 > fileBytes)
            throw new IOException("checkpoint " + dir + ": " + CONFIG + " describes a model of " + params + " parameters, but " + WEIGHTS
                    + " has " + fileBytes + " bytes, too few for them even at 2 bytes each: " + CONFIG + " and the weights do not match");
        if (params * 4 > Runtime.getRuntime().maxMemory() / 2)
            throw new IOException(String.format(java.util.Locale.ROOT, "checkpoint %s: the model has %d parameters (%.1f GiB as float32), "
                    + "more than this Java heap (%.1f GiB) can train or run: give Java more memory (JAYE_HEAP=16g ./jaye ...)",
                    dir, params, params * 4 / 1073741824.0, Runtime.getRuntime().maxMemory() / 1073741824.0));
        Vlm model = new Vlm(config, 0);
        try {
            model.load(SafeTensors.read(dir.resolve(WEIGHTS)), dir.resolve(WEIGHTS).toString());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        return new Loaded(model, tokenizer);
    }

    /**
     * Throws when a tensor of {@code tensors} holds a NaN or an infinity, naming the first such
     * tensor and how many of its values are not finite: a checkpoint is good only if every number
     * in it is, so nothing non-finite is ever written as one.
     */
    public static void requireFinite(Map<String, dev.jaye.tensor.Tensor> tensors, String what) {
        long bad = 0, total = 0;
        String first = null;
        for (Map.Entry<String, dev.jaye.tensor.Tensor> e : new java.util.TreeMap<>(tensors).entrySet()) {
            long here = e.getValue().nonFiniteCount();
            if (here > 0 && first == null) first = e.getKey() + "' (" + here + " of " + e.getValue().data().length + ")";
            bad += here;
            total += e.getValue().data().length;
        }
        if (bad > 0) throw new ArithmeticException("non-finite values (NaN or infinity) in " + what + ": " + bad + " of " + total
                + ", the first in '" + first);
    }

    /**
     * A trainer's retention rule: in {@code checkpoints} (a run's checkpoints/ folder), the newest
     * {@code keep} step-N folders stay and older ones are deleted; {@code keep} 0 keeps all. Call
     * it after checkpoints/latest names the new one: the folder latest names is never deleted, so
     * a crash during the deletion still leaves a checkpoint to resume from.
     */
    public static void keepNewest(Path checkpoints, int keep) throws IOException {
        if (keep <= 0 || !Files.isDirectory(checkpoints)) return;
        Path latest = checkpoints.resolve("latest");
        String current = Files.isRegularFile(latest) ? Files.readString(latest).strip() : "";
        java.util.List<Path> steps;
        try (var list = Files.list(checkpoints)) {
            steps = list.filter(d -> Files.isDirectory(d) && d.getFileName().toString().matches("step-\\d+")).sorted().toList();
        }
        for (int i = 0; i < steps.size() - keep; i++) {
            Path old = steps.get(i);
            if (old.getFileName().toString().equals(current)) continue;
            deleteTree(old);
        }
    }

    /** Deletes {@code dir} and everything below it, files before their folders; nothing when it does not exist. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var walk = Files.walk(dir)) {
            for (Path f : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
        }
    }
}
