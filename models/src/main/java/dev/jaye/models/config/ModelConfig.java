// SPDX-License-Identifier: Apache-2.0
package dev.jaye.models.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.jaye.models.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every number of a VLM, as in docs/model.md: the ViT, the connector (pixel shuffle + MLP) and
 * the decoder LM. Saved as {@code config.json} beside the weights; presets {@code nano},
 * {@code tiny} (the reference) and {@code small} are the same architecture with other numbers.
 */
public record ModelConfig(Vision vision, Connector connector, Lm lm) {

    /** ViT: patch embedding, learned positions, pre-norm blocks, final LayerNorm; no class token. */
    public record Vision(@JsonProperty("image_size") int imageSize, @JsonProperty("patch_size") int patchSize,
                         int width, int layers, int heads, @JsonProperty("mlp_hidden") int mlpHidden,
                         @JsonProperty("norm_eps") double normEps) {
        public int grid() { return imageSize / patchSize; }
        public int patches() { return grid() * grid(); }
    }

    /** Pixel shuffle by {@code shuffle}, then Linear(width·shuffle², hidden) + GELU + Linear(hidden, lm width). */
    public record Connector(int shuffle, int hidden) {}

    /** Decoder: RMSNorm, RoPE, grouped KV heads, SwiGLU, no biases, head tied to the embedding. */
    public record Lm(int vocab, int width, int layers, int heads, @JsonProperty("kv_heads") int kvHeads,
                     @JsonProperty("mlp_hidden") int mlpHidden, @JsonProperty("norm_eps") double normEps,
                     @JsonProperty("rope_theta") double ropeTheta, @JsonProperty("max_positions") int maxPositions) {
        public int headSize() { return width / heads; }
    }

    /**
     * The parameter count these numbers describe, worked out without building the model (which a
     * config with lm.width 2^20 could not: the weights would not fit in memory). The blocks are
     * those of docs/model.md; VlmTest holds this to the built model's count.
     */
    public long parameterCount() {
        long w = vision.width(), m = vision.mlpHidden(), p = vision.patchSize();
        long vit = 3 * p * p * w + w + (long) vision.patches() * w
                + vision.layers() * (2 * w + 3 * w * w + 3 * w + w * w + w + 2 * w + w * m + m + m * w + w) + 2 * w;
        long s = connector.shuffle(), h = connector.hidden(), W = lm.width();
        long conn = w * s * s * h + h + h * W + W;
        long kv = (long) lm.kvHeads() * lm.headSize(), f = lm.mlpHidden();
        long dec = (long) lm.vocab() * W + lm.layers() * (W + W * W + 2 * W * kv + W * W + W + 3 * W * f) + W;
        return vit + conn + dec;
    }

    /** Image tokens per image: the patch grid after pixel shuffle. */
    public int imageTokens() {
        int side = vision.grid() / connector.shuffle();
        return side * side;
    }

    /** The reference model of docs/model.md (4,564,608 parameters). */
    public static ModelConfig tiny() {
        return new ModelConfig(new Vision(64, 8, 128, 4, 4, 512, 1e-6), new Connector(2, 256),
                new Lm(512, 256, 4, 4, 4, 768, 1e-5, 10000, 512));
    }

    /** 871,360 parameters: the shape docs/nano-recipe.md saw learn to count, for tests and the quickstart. */
    public static ModelConfig nano() {
        return new ModelConfig(new Vision(64, 8, 64, 2, 2, 256, 1e-6), new Connector(2, 128),
                new Lm(512, 128, 3, 4, 4, 384, 1e-5, 10000, 512));
    }

    /** A larger run (roughly 25M parameters) for a machine with time to spare. */
    public static ModelConfig small() {
        return new ModelConfig(new Vision(64, 8, 256, 6, 8, 1024, 1e-6), new Connector(2, 512),
                new Lm(2048, 512, 6, 8, 4, 1536, 1e-5, 10000, 1024));
    }

    public static ModelConfig preset(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "nano" -> nano();
            case "tiny" -> tiny();
            case "small" -> small();
            default -> throw new IllegalArgumentException("unknown preset '" + name + "' (presets: nano, tiny, small)");
        };
    }

    /** Checks that the numbers fit together; each problem names its key. */
    public ModelConfig validate() {
        List<String> errors = new ArrayList<>();
        if (vision == null || connector == null || lm == null) throw new IllegalArgumentException("model config needs 'vision', 'connector' and 'lm'");
        positive(errors, "vision.image_size", vision.imageSize());
        positive(errors, "vision.patch_size", vision.patchSize());
        positive(errors, "vision.width", vision.width());
        positive(errors, "vision.layers", vision.layers());
        positive(errors, "vision.heads", vision.heads());
        positive(errors, "vision.mlp_hidden", vision.mlpHidden());
        positive(errors, "connector.shuffle", connector.shuffle());
        positive(errors, "connector.hidden", connector.hidden());
        positive(errors, "lm.vocab", lm.vocab());
        positive(errors, "lm.width", lm.width());
        positive(errors, "lm.layers", lm.layers());
        positive(errors, "lm.heads", lm.heads());
        positive(errors, "lm.kv_heads", lm.kvHeads());
        positive(errors, "lm.mlp_hidden", lm.mlpHidden());
        positive(errors, "lm.max_positions", lm.maxPositions());
        if (errors.isEmpty()) {
            if (vision.imageSize() % vision.patchSize() != 0) errors.add("vision.image_size " + vision.imageSize() + " is not a multiple of vision.patch_size " + vision.patchSize());
            if (vision.width() % vision.heads() != 0) errors.add("vision.width " + vision.width() + " is not a multiple of vision.heads " + vision.heads());
            if (vision.grid() % connector.shuffle() != 0) errors.add("the patch grid " + vision.grid() + " is not a multiple of connector.shuffle " + connector.shuffle());
            if (lm.width() % lm.heads() != 0) errors.add("lm.width " + lm.width() + " is not a multiple of lm.heads " + lm.heads());
            else if (lm.headSize() % 2 != 0) errors.add("lm head size " + lm.headSize() + " must be even for rotary embedding");
            if (lm.heads() % lm.kvHeads() != 0) errors.add("lm.heads " + lm.heads() + " is not a multiple of lm.kv_heads " + lm.kvHeads());
            if (lm.vocab() < 260) errors.add("lm.vocab " + lm.vocab() + " is below 260 (4 special tokens + 256 bytes)");
            if (!(vision.normEps() > 0 && Double.isFinite(vision.normEps()))) errors.add("vision.norm_eps must be a finite number > 0, got " + vision.normEps());
            if (!(lm.normEps() > 0 && Double.isFinite(lm.normEps()))) errors.add("lm.norm_eps must be a finite number > 0, got " + lm.normEps());
            if (!(lm.ropeTheta() > 0 && Double.isFinite(lm.ropeTheta()))) errors.add("lm.rope_theta must be a finite number > 0, got " + lm.ropeTheta());
        }
        if (!errors.isEmpty()) throw new IllegalArgumentException("invalid model config: " + String.join("; ", errors));
        return this;
    }

    private static void positive(List<String> errors, String key, int v) {
        if (v <= 0) errors.add(key + " must be > 0, got " + v);
    }

    // ------------------------------------------------------------------ JSON

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)          // "width": 128.7 is a mistake, not 128
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(SerializationFeature.INDENT_OUTPUT);

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public void save(Path file) throws IOException {
        AtomicFiles.writeString(file, toJson() + "\n");
    }

    /** Reads and validates a config; errors name the file and the key (unknown, missing or bad). */
    public static ModelConfig load(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IOException("model config " + file + " does not exist");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IOException("model config " + file + " is not UTF-8 text");
        }
        try {
            ModelConfig c = JSON.readValue(text, ModelConfig.class);
            if (c == null) throw new IOException("model config " + file + " should be a JSON object {\"vision\": ..., \"connector\": ..., \"lm\": ...}, got " + text.strip());
            return c.validate();
        } catch (UnrecognizedPropertyException e) {
            throw new IOException("model config " + file + ": unknown key '" + path(e) + "'");
        } catch (JsonProcessingException e) {
            if (e.getOriginalMessage().startsWith("Missing creator property"))
                throw new IOException("model config " + file + ": missing key '" + path(e) + "'");
            throw new IOException("model config " + file + ": " + (path(e).isEmpty() ? "" : "key '" + path(e) + "': ") + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            throw new IOException("model config " + file + ": " + e.getMessage());
        }
    }

    private static String path(JsonProcessingException e) {
        if (!(e instanceof com.fasterxml.jackson.databind.JsonMappingException m)) return "";
        StringBuilder sb = new StringBuilder();
        for (var ref : m.getPath()) if (ref.getFieldName() != null) sb.append(sb.isEmpty() ? "" : ".").append(ref.getFieldName());
        return sb.toString();
    }
}
