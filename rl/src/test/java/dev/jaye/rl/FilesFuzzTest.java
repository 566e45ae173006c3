// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl;

import dev.jaye.eval.data.DatasetReader;
import dev.jaye.eval.data.DatasetWriter;
import dev.jaye.eval.data.Split;
import dev.jaye.models.Vlm;
import dev.jaye.models.config.ModelConfig;
import dev.jaye.models.io.Checkpoint;
import dev.jaye.models.tokenizer.Tokenizer;
import dev.jaye.rl.config.Configs;
import dev.jaye.rl.sft.SftConfig;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every file jaye reads, damaged at random: truncated, bits flipped, bytes replaced, ranges
 * deleted, duplicated or inserted (one to three of these per try). Each damaged file either loads
 * (to something valid: a model whose weights are all finite and of the right shapes, a config
 * that validates) or is refused with an exception that names the file. Nothing else may escape:
 * no NullPointerException, no raw Jackson or JDK exception, no OutOfMemoryError.
 */
class FilesFuzzTest {
    static Path dir, model, data, yaml;

    @BeforeContainer
    static void files() throws IOException {
        dir = Files.createTempDirectory("jaye-fuzz");
        model = dir.resolve("model");
        Checkpoint.save(model, new Vlm(ModelConfig.nano(), 1), Tokenizer.bytesOnly());
        data = dir.resolve("data");
        DatasetWriter.write(data, new DatasetWriter.Config(List.of("count_total", "price_total"),
                Map.of(Split.TRAIN, 0, Split.VAL, 3, Split.TEST, 0, Split.TEST_OOD, 0), 5, 0.25,
                dev.jaye.eval.tasks.Looks.DEFAULT_HELD_OUT, null), null);
        yaml = dir.resolve("sft.yaml");
        Files.writeString(yaml, Configs.toYaml(new SftConfig(3, new SftConfig.Model(null, "nano", true),
                new SftConfig.Data(data.toString(), "train", List.of("val"), 0, null),
                new SftConfig.Train(2, 4, 3e-3, 3e-4, 2, 0.01, 1.0, 2, 2, true, true, true, 2, 0, false, 1),
                new SftConfig.Eval(List.of("pass@1_t0.6"), 4, 8, 4), dir.resolve("out").toString())));
    }

    @AfterContainer
    static void clean() throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    /** One to three random edits of {@code b}, drawn from {@code seed}. */
    static byte[] damage(byte[] b, long seed) {
        Random r = new Random(seed);
        byte[] x = b.clone();
        for (int k = 0, n = 1 + r.nextInt(3); k < n && x.length > 0; k++) {
            int at = r.nextInt(x.length), len = 1 + r.nextInt(Math.min(16, x.length - at));
            x = switch (r.nextInt(6)) {
                case 0 -> Arrays.copyOf(x, at);                                        // truncated
                case 1 -> { x[at] ^= (byte) (1 << r.nextInt(8)); yield x; }            // a bit flipped
                case 2 -> { x[at] = (byte) r.nextInt(256); yield x; }                  // a byte replaced
                case 3 -> concat(Arrays.copyOfRange(x, 0, at), Arrays.copyOfRange(x, at + len, x.length));       // deleted
                case 4 -> concat(Arrays.copyOfRange(x, 0, at + len), Arrays.copyOfRange(x, at, x.length));       // duplicated
                default -> {                                                                                    // inserted
                    byte[] ins = new byte[len];
                    for (int i = 0; i < len; i++) ins[i] = (byte) (r.nextBoolean() ? "0123456789.-e\",:{}[] ".charAt(r.nextInt(21)) : r.nextInt(256));
                    yield concat(concat(Arrays.copyOfRange(x, 0, at), ins), Arrays.copyOfRange(x, at, x.length));
                }
            };
        }
        return x;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @FunctionalInterface
    interface Load {
        void run() throws Exception;
    }

    /** Loads, or fails with an IOException or IllegalArgumentException naming {@code file}; anything else fails the test. */
    private static void loadsOrNames(Path file, Load load) {
        try {
            load.run();
        } catch (IOException | IllegalArgumentException e) {
            assertTrue(String.valueOf(e.getMessage()).contains(file.toString()) || String.valueOf(e.getMessage()).startsWith("invalid "),
                    "the message names " + file + ": " + e);
        } catch (Throwable e) {
            fail("a damaged " + file.getFileName() + " escaped as " + e, e);
        }
    }

    /** A copy of the model folder with one of its files damaged. */
    private static Path damagedModel(String name, long seed) throws IOException {
        Path copy = Files.createTempDirectory(dir, "m");
        for (String f : List.of(Checkpoint.WEIGHTS, Checkpoint.CONFIG, Checkpoint.TOKENIZER))
            Files.copy(model.resolve(f), copy.resolve(f));
        Files.write(copy.resolve(name), damage(Files.readAllBytes(model.resolve(name)), seed));
        return copy;
    }

    @Property(tries = 120, seed = "18")
    void weights(@ForAll long seed) throws IOException {
        Path m = damagedModel(Checkpoint.WEIGHTS, seed);
        loadsOrNames(m, () -> {                                   // the message names the folder or its model.safetensors
            Vlm v = Checkpoint.load(m).model();                   // loaded: every weight finite (Checkpoint checks)
            assertTrue(v.parameterCount() == ModelConfig.nano().parameterCount());
        });
    }

    @Property(tries = 150, seed = "18")
    void modelConfig(@ForAll long seed) throws IOException {
        Path m = damagedModel(Checkpoint.CONFIG, seed);
        loadsOrNames(m, () -> Checkpoint.load(m));                // the message names the folder or its config.json
    }

    @Property(tries = 150, seed = "18")
    void tokenizer(@ForAll long seed) throws IOException {
        Path m = damagedModel(Checkpoint.TOKENIZER, seed);
        loadsOrNames(m, () -> Checkpoint.load(m));
    }

    @Property(tries = 200, seed = "18")
    void datasetLines(@ForAll long seed) throws IOException {
        Path f = Files.createTempFile(data, "val", ".jsonl");
        Files.write(f, damage(Files.readAllBytes(data.resolve("val.jsonl")), seed));
        loadsOrNames(f, () -> DatasetReader.load(f));
    }

    @Property(tries = 200, seed = "18")
    void trainerState(@ForAll long seed) throws IOException {
        Path f = Files.createTempFile(dir, "trainer", ".json");
        Files.write(f, damage("{\"step\":4,\"epoch\":1,\"position\":4}".getBytes(StandardCharsets.UTF_8), seed));
        loadsOrNames(f, () -> {                                   // what a resume reads before anything else
            var state = RunFolder.readState(f);
            for (String key : List.of("step", "epoch", "position")) RunFolder.stateInt(state, f, key, 0, 12);
        });
    }

    @Property(tries = 200, seed = "18")
    void yamlConfigs(@ForAll long seed) throws IOException {
        Path f = Files.createTempFile(dir, "sft", ".yaml");
        Files.write(f, damage(Files.readString(yaml).getBytes(StandardCharsets.UTF_8), seed));
        loadsOrNames(f, () -> Configs.load(f, List.of(), SftConfig.class).validate());
    }
}
