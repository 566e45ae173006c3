// SPDX-License-Identifier: Apache-2.0
package dev.jaye.models;

import dev.jaye.autograd.GradCheck;
import dev.jaye.autograd.Var;
import dev.jaye.models.config.ModelConfig;
import dev.jaye.models.io.Checkpoint;
import dev.jaye.models.io.SafeTensors;
import dev.jaye.models.processor.Processor;
import dev.jaye.models.tokenizer.Tokenizer;
import dev.jaye.tensor.Rng;
import dev.jaye.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VlmTest {
    @TempDir
    Path dir;

    /** A batch of two prompts of different lengths, left-padded. */
    static Processor.Batch batch(ModelConfig cfg, long seed) {
        Rng rng = new Rng(seed);
        Tokenizer tok = Tokenizer.bytesOnly();
        Processor p = new Processor(tok, new dev.jaye.models.processor.ImageProcessor(cfg.vision().imageSize()), cfg.imageTokens());
        List<int[]> rows = List.of(p.promptIds("How many?"), p.promptIds("Count them all"));
        List<Tensor> px = new ArrayList<>();
        for (int i = 0; i < 2; i++) px.add(Tensor.rand(rng, -1, 1, 3, cfg.vision().imageSize(), cfg.vision().imageSize()));
        return Processor.pad(rows, px, true);
    }

    @Test
    void tinyHasTheReferenceParameterCountAndKeys() {
        Vlm m = new Vlm(ModelConfig.tiny(), 1);
        assertEquals(4_564_608, m.parameterCount());
        Map<String, Var> p = m.parameters();
        assertEquals(95, p.size());
        assertArrayEquals(new int[]{128, 3, 8, 8}, p.get("vision.patch_embed.weight").shape());
        assertArrayEquals(new int[]{384, 128}, p.get("vision.blocks.3.attn.qkv.weight").shape());
        assertArrayEquals(new int[]{256, 512}, p.get("connector.fc1.weight").shape());
        assertArrayEquals(new int[]{768, 256}, p.get("lm.layers.0.mlp.gate.weight").shape());
        for (String k : new String[]{"vision.pos_embed", "vision.norm.bias", "lm.embed.weight", "lm.norm.weight",
                "lm.layers.3.attn.o.weight", "lm.layers.2.mlp_norm.weight", "connector.fc2.bias"})
            assertTrue(p.containsKey(k), k);
    }

    @Test
    void forwardGivesFiniteLogitsOfTheRightShape() {
        ModelConfig cfg = ModelConfig.nano();
        Vlm m = new Vlm(cfg, 2);
        Processor.Batch b = batch(cfg, 3);
        Var logits;
        try (var g = Var.noGrad()) {
            logits = m.forward(b.pixels(), b.ids(), b.mask());
        }
        assertArrayEquals(new int[]{2, b.length(), cfg.lm().vocab()}, logits.shape());
        for (float v : logits.value.data()) assertTrue(Float.isFinite(v));
        assertThrows(IllegalArgumentException.class, () -> m.forward(b.pixels(), new int[b.ids().length], b.mask()),
                "rows without <image> tokens are refused");
    }

    @Test
    void saveThenLoadGivesTheSameLogits() throws IOException {
        ModelConfig cfg = ModelConfig.nano();
        Vlm m = new Vlm(cfg, 4);
        Processor.Batch b = batch(cfg, 5);
        Checkpoint.save(dir, m, Tokenizer.bytesOnly());
        Vlm back = Checkpoint.load(dir).model();
        try (var g = Var.noGrad()) {
            assertArrayEquals(m.forward(b.pixels(), b.ids(), b.mask()).value.data(),
                    back.forward(b.pixels(), b.ids(), b.mask()).value.data());
        }
    }

    @Test
    void theConfigKnowsItsParameterCountBeforeTheModelIsBuilt() {
        for (ModelConfig c : List.of(ModelConfig.nano(), ModelConfig.tiny(), ModelConfig.small()))
            assertEquals(new Vlm(c, 0).parameterCount(), c.parameterCount(), c.toString());
    }

    /** Nothing non-finite is written as a checkpoint or loaded from one; the messages name the key. */
    @Test
    void nanWeightsAreNeitherSavedNorLoaded() throws IOException {
        ModelConfig cfg = ModelConfig.nano();
        Vlm m = new Vlm(cfg, 4);
        float[] norm = m.parameters().get("lm.norm.weight").value.data();
        java.util.Arrays.fill(norm, Float.NaN);
        ArithmeticException save = assertThrows(ArithmeticException.class, () -> Checkpoint.save(dir.resolve("nan"), m, Tokenizer.bytesOnly()));
        assertTrue(save.getMessage().contains("lm.norm.weight' (" + norm.length + " of " + norm.length + ")"), save.getMessage());
        assertTrue(!Files.exists(dir.resolve("nan")), "nothing written");

        // the same weights written past the check (as another tool, or a damaged file, could): loading refuses them
        Path d = dir.resolve("nan-written");
        Files.createDirectories(d);
        SafeTensors.write(d.resolve(Checkpoint.WEIGHTS), m.stateDict(), Map.of());
        cfg.save(d.resolve(Checkpoint.CONFIG));
        Tokenizer.bytesOnly().save(d.resolve(Checkpoint.TOKENIZER));
        IOException load = assertThrows(IOException.class, () -> Checkpoint.load(d));
        assertTrue(load.getMessage().contains("key 'lm.norm.weight' holds " + norm.length + " non-finite values"), load.getMessage());

        // a config whose sizes the weights cannot hold is refused before the model is built (no OutOfMemoryError)
        String original = Files.readString(d.resolve(Checkpoint.CONFIG));
        Files.writeString(d.resolve(Checkpoint.CONFIG), original.replaceFirst("\"width\"\\s*:\\s*128", "\"width\": 1048576"));
        IOException big = assertThrows(IOException.class, () -> Checkpoint.load(d));
        assertTrue(big.getMessage().contains("do not match"), big.getMessage());
        Files.writeString(d.resolve(Checkpoint.CONFIG), original);

        // and a config number that is not finite
        String json = Files.readString(d.resolve(Checkpoint.CONFIG));
        for (String[] c : new String[][]{{"\"norm_eps\"\\s*:\\s*[0-9.eE+-]+", "\"norm_eps\": \"NaN\"", "norm_eps must be a finite number > 0, got NaN"},
                {"\"rope_theta\"\\s*:\\s*[0-9.eE+-]+", "\"rope_theta\": 1e400", "lm.rope_theta must be a finite number > 0, got Infinity"},
                {"\"layers\"\\s*:\\s*3", "\"layers\": 3.7", "key 'lm.layers'"},
                {"\"vocab\"\\s*:\\s*512", "\"vocab\": 512, \"vocab\": 600", "Duplicate field 'vocab'"}}) {
            String changed = json.replaceFirst(c[0], c[1]);
            assertTrue(!changed.equals(json), c[0]);
            Files.writeString(d.resolve(Checkpoint.CONFIG), changed);
            IOException e = assertThrows(IOException.class, () -> Checkpoint.load(d));
            assertTrue(e.getMessage().contains(c[2]), e.getMessage());
        }
    }

    /**
     * A checkpoint written by another safetensors writer loads: the bytes here are laid out by
     * hand (length, JSON header, little-endian F32 data), in reverse key order and with BF16 for
     * one key, not by jaye's writer.
     */
    @Test
    void aCheckpointWrittenByAnotherWriterLoadsAndGivesTheSameLogits() throws IOException {
        ModelConfig cfg = ModelConfig.nano();
        Vlm m = new Vlm(cfg, 11);
        float[] bias = m.parameters().get("connector.fc2.bias").value.data();
        for (int i = 0; i < bias.length; i++) bias[i] = (i % 7) * 0.25f;        // exact in BF16
        List<Map.Entry<String, Tensor>> entries = new ArrayList<>(m.stateDict().entrySet());
        java.util.Collections.reverse(entries);
        StringBuilder header = new StringBuilder("{");
        java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
        for (Map.Entry<String, Tensor> e : entries) {
            boolean bf16 = e.getKey().equals("connector.fc2.bias");
            long begin = data.size();
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(e.getValue().size() * (bf16 ? 2 : 4)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (float v : e.getValue().data()) {
                if (bf16) b.putShort((short) (Float.floatToRawIntBits(v) >>> 16));
                else b.putFloat(v);
            }
            data.writeBytes(b.array());
            header.append(header.length() > 1 ? "," : "").append('"').append(e.getKey()).append("\":{\"dtype\":\"")
                    .append(bf16 ? "BF16" : "F32").append("\",\"shape\":").append(java.util.Arrays.toString(e.getValue().shape()).replace(" ", ""))
                    .append(",\"data_offsets\":[").append(begin).append(',').append(data.size()).append("]}");
        }
        byte[] h = header.append('}').toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
        file.writeBytes(java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
        file.writeBytes(h);
        file.writeBytes(data.toByteArray());
        Files.createDirectories(dir);
        Files.write(dir.resolve(Checkpoint.WEIGHTS), file.toByteArray());
        cfg.save(dir.resolve(Checkpoint.CONFIG));
        Tokenizer.bytesOnly().save(dir.resolve(Checkpoint.TOKENIZER));

        Vlm back = Checkpoint.load(dir).model();
        Processor.Batch b = batch(cfg, 12);
        try (var g = Var.noGrad()) {
            assertArrayEquals(m.forward(b.pixels(), b.ids(), b.mask()).value.data(),
                    back.forward(b.pixels(), b.ids(), b.mask()).value.data());
        }
    }

    @Test
    void checkpointWithAMissingOrUnexpectedKeyIsRefusedNamingIt() throws IOException {
        Vlm m = new Vlm(ModelConfig.nano(), 6);
        Checkpoint.save(dir, m, Tokenizer.bytesOnly());
        Map<String, Tensor> w = new LinkedHashMap<>(SafeTensors.read(dir.resolve(Checkpoint.WEIGHTS)));
        w.remove("lm.norm.weight");
        w.put("lm.head.weight", Tensor.zeros(2));
        SafeTensors.write(dir.resolve(Checkpoint.WEIGHTS), w, Map.of());
        IOException e = assertThrows(IOException.class, () -> Checkpoint.load(dir));
        assertTrue(e.getMessage().contains("missing key 'lm.norm.weight'") && e.getMessage().contains("unexpected key 'lm.head.weight'")
                && e.getMessage().contains(Checkpoint.WEIGHTS), e.getMessage());
        Files.delete(dir.resolve(Checkpoint.CONFIG));
        assertTrue(assertThrows(IOException.class, () -> Checkpoint.load(dir)).getMessage().contains("has no config.json"));
    }

    @Test
    void presetSizes() {
        assertEquals(871_360, new Vlm(ModelConfig.nano(), 0).parameterCount());        // "0.87M"
        long small = new Vlm(ModelConfig.small(), 0).parameterCount();
        assertTrue(small > 20_000_000 && small < 30_000_000, "small has " + small);
    }

    @Test
    void gradientsThroughTheWholeNanoModelMatchFiniteDifferences() {
        ModelConfig cfg = ModelConfig.nano();
        Vlm m = new Vlm(cfg, 7);
        Processor.Batch b = batch(cfg, 8);
        Map<String, Var> p = m.parameters();
        // One parameter from each part, so the path image -> ViT -> connector -> splice -> LM is checked.
        Var[] checked = {p.get("vision.blocks.0.norm1.bias"), p.get("connector.fc2.bias"), p.get("lm.layers.0.attn_norm.weight")};
        // The init's N(0, 0.02²) makes every signal tiny, close to float noise; fan-in scaled weights
        // (std 1/√in) keep activations and gradients of order one through every layer.
        Rng rng = new Rng(9);
        for (Var v : p.values()) {
            if (v.value.rank() < 2) continue;
            float[] d = v.value.data();
            float std = (float) (1 / Math.sqrt(v.value.size() / v.value.dim(0)));
            for (int i = 0; i < d.length; i++) d[i] = std * rng.normal();
        }
        GradCheck.Result r = GradCheck.checkParams("vlm", () -> m.forward(b.pixels(), b.ids(), b.mask()), 10,
                GradCheck.STEP, GradCheck.TOLERANCE, checked);
        assertTrue(r.ok(), r.toString());
    }

    /**
     * Rows asking about the same image object share it: the batch holds each image once, and the
     * logits and every gradient (vision tower included) are those of the batch with the image
     * repeated per row (equal up to the order in which the shared tower's gradients add up).
     */
    @Test
    void rowsSharingAnImageEncodeItOnceWithTheSameLogitsAndGradients() {
        ModelConfig cfg = ModelConfig.nano();
        Rng rng = new Rng(11);
        Processor p = new Processor(Tokenizer.bytesOnly(), new dev.jaye.models.processor.ImageProcessor(cfg.vision().imageSize()), cfg.imageTokens());
        int S = cfg.vision().imageSize();
        Tensor x = Tensor.rand(rng, -1, 1, 3, S, S), y = Tensor.rand(rng, -1, 1, 3, S, S);
        List<int[]> rows = List.of(p.promptIds("How many?"), p.promptIds("Count"), p.promptIds("Sum?"), p.promptIds("Which?"));
        Processor.Batch shared = Processor.pad(rows, List.of(x, y, x, x), true);
        assertArrayEquals(new int[]{2, 3, S, S}, shared.pixels().shape());
        assertArrayEquals(new int[]{0, 1, 0, 0}, shared.image());
        Processor.Batch copies = Processor.pad(rows, List.of(x.copy(), y.copy(), x.copy(), x.copy()), true);
        assertEquals(4, copies.pixels().dim(0));

        Vlm m = new Vlm(cfg, 12);
        Var a = m.forward(shared), b = m.forward(copies);
        assertArrayEquals(b.value.data(), a.value.data(), 1e-6f);
        Map<String, Tensor> gShared = grads(m, a), gCopies = grads(m, b);
        for (String k : gShared.keySet()) {
            float[] u = gShared.get(k).data(), v = gCopies.get(k).data();
            float scale = 0;
            for (float f : v) scale = Math.max(scale, Math.abs(f));
            for (int i = 0; i < u.length; i++) assertEquals(v[i], u[i], 1e-5f * Math.max(scale, 1e-6f), k + "[" + i + "]");
        }
    }

    /** The gradients of sum(logits · w) for a fixed w, copied, and the parameters' gradients cleared. */
    private static Map<String, Tensor> grads(Vlm m, Var logits) {
        Tensor w = Tensor.rand(new Rng(13), -1, 1, logits.shape());
        logits.mul(Var.constant(w)).sum().backward();
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var e : m.parameters().entrySet()) {
            out.put(e.getKey(), e.getValue().grad().copy());
            e.getValue().zeroGrad();
        }
        return out;
    }
}
