// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jaye.eval.tasks.Families;
import dev.jaye.eval.tasks.Knobs;
import dev.jaye.eval.tasks.Looks;
import dev.jaye.eval.tasks.Pair;
import dev.jaye.eval.tasks.Reflection;
import dev.jaye.eval.tasks.TaskFamily;
import dev.jaye.eval.tasks.TaskSample;
import dev.jaye.models.io.AtomicFiles;
import dev.jaye.tensor.Rng;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Generates a dataset folder: {@code train.jsonl}, {@code val.jsonl}, {@code test.jsonl},
 * {@code test_ood.jsonl}, the images under {@code images/<split>/000123.png}, and
 * {@code dataset.json} recording how it was made. Lines are geometry3k-style
 * ({@code problem, answer, images, solution}) plus {@code id, family, difficulty, kind}.
 *
 * <p>Determinism: each split's random stream is split off the seed in a fixed order, and each
 * sample's off its split's, so the same config gives the same bytes, and changing the size of one
 * split does not change the others; samples are made in parallel, which changes no byte. Families take turns (sample i is family i mod F), so every
 * split, however small, has an even task mix. Every file goes through {@link AtomicFiles}; each
 * JSONL is written after its images, so a JSONL never names an image that is not there.
 */
public final class DatasetWriter {
    private DatasetWriter() {}

    static {
        // ImageIO buffers each PNG in a temporary file unless told not to; on a full disk that file cannot be
        // made, and ImageIO fails with a NullPointerException deep inside instead of the disk's error.
        // Images here are small: buffer them in memory, so a full disk surfaces as an IOException naming the PNG.
        ImageIO.setUseCache(false);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param families           family names, in turn order
     * @param sizes              samples per split
     * @param reflectionFraction the share of gold solutions that re-check their answer
     * @param heldOut            colour/kind pairs kept out of train/val/test and shown in test_ood
     * @param layout             overrides every family's layout, or null for each family's own
     * @param mixedLayouts       every family alternates grid and free placement, sample by sample
     *                           (so that a count cannot be learned as a grid trick); layout must be null
     * @param compositionOnly    test_ood from each family's {@link TaskFamily#composition()} knobs
     *                           (answers within the training range) instead of {@link TaskFamily#shifted()}
     */
    public record Config(List<String> families, Map<Split, Integer> sizes, long seed, double reflectionFraction,
                         Set<Pair> heldOut, Knobs.Layout layout, boolean mixedLayouts, boolean compositionOnly) {
        /** Each family's own layout, or {@code layout} for all. */
        public Config(List<String> families, Map<Split, Integer> sizes, long seed, double reflectionFraction,
                      Set<Pair> heldOut, Knobs.Layout layout) {
            this(families, sizes, seed, reflectionFraction, heldOut, layout, false);
        }

        /** test_ood shifted in every way its families shift (the default). */
        public Config(List<String> families, Map<Split, Integer> sizes, long seed, double reflectionFraction,
                      Set<Pair> heldOut, Knobs.Layout layout, boolean mixedLayouts) {
            this(families, sizes, seed, reflectionFraction, heldOut, layout, mixedLayouts, false);
        }

        public Config {
            families = List.copyOf(families);
            sizes = Map.copyOf(sizes);
            heldOut = Set.copyOf(heldOut);
            if (families.isEmpty()) throw new IllegalArgumentException("no task families given");
            families.forEach(Families::get);                       // unknown names fail here, listing the known ones
            if (!(reflectionFraction >= 0 && reflectionFraction <= 1))
                throw new IllegalArgumentException("the reflection fraction must be in [0, 1], got " + reflectionFraction);
            for (var e : sizes.entrySet()) if (e.getValue() < 0) throw new IllegalArgumentException(e.getKey().file() + " size must be >= 0");
            if (mixedLayouts && layout != null) throw new IllegalArgumentException("mixed layouts and one layout for all are exclusive");
        }

        public static Config defaults(Map<Split, Integer> sizes, long seed) {
            return new Config(Families.names(), sizes, seed, 0.25, Looks.DEFAULT_HELD_OUT, null);
        }

        public int size(Split s) {
            return sizes.getOrDefault(s, 0);
        }
    }

    /** Writes the dataset; {@code progress} gets one bar per split (null for none). */
    public static void write(Path out, Config cfg, PrintStream progress) throws IOException {
        Rng root = new Rng(cfg.seed());
        Map<Split, Rng> streams = new EnumMap<>(Split.class);
        for (Split s : Split.values()) streams.put(s, root.split());
        for (Split s : Split.values()) writeSplit(out, cfg, s, streams.get(s), progress);
        writeInfo(out, cfg);
    }

    /** The samples of one split, in memory (the same ones {@link #write} writes). */
    public static TaskSample generate(Config cfg, Split split, Rng sampleRng, int index) {
        TaskFamily f = Families.get(cfg.families().get(index % cfg.families().size()));
        Knobs k = (!split.ood() ? f.standard() : cfg.compositionOnly() ? f.composition() : f.shifted())
                .withLooks(new Looks(cfg.heldOut(), split.ood()));
        if (cfg.layout() != null) k = k.withLayout(cfg.layout());
        // families take turns by index; each family's own samples alternate grid, free, grid, ...
        if (cfg.mixedLayouts()) k = k.withLayout((index / cfg.families().size()) % 2 == 0 ? Knobs.Layout.GRID : Knobs.Layout.FREE);
        return f.generate(sampleRng, k);
    }

    private static void writeSplit(Path out, Config cfg, Split split, Rng stream, PrintStream progressOut) throws IOException {
        int n = cfg.size(split);
        Progress bar = progressOut == null ? Progress.silent(split.file(), n) : new Progress(progressOut, split.file(), n);
        // Split every sample's stream first, in order; then samples are independent and can be made
        // on all cores (PNG encoding and the flush of each file dominate), each line landing at its index.
        Rng[] rngs = new Rng[n];
        for (int i = 0; i < n; i++) rngs[i] = stream.split();
        String[] lines = new String[n];
        try {
            java.util.stream.IntStream.range(0, n).parallel().forEach(i -> {
                try {
                    lines[i] = writeSample(out, cfg, split, rngs[i], i);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                bar.step();
            });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        StringBuilder jsonl = new StringBuilder();
        for (String line : lines) jsonl.append(line).append('\n');
        AtomicFiles.write(out.resolve(split.file() + ".jsonl"), o -> o.write(jsonl.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** Generates sample i, writes its PNG, returns its JSONL line. */
    private static String writeSample(Path out, Config cfg, Split split, Rng sampleRng, int i) throws IOException {
        Rng gen = sampleRng.split(), reflect = sampleRng.split();
        TaskSample t = generate(cfg, split, gen, i);
        String opener = Reflection.draw(reflect, cfg.reflectionFraction());
        String rel = String.format(Locale.ROOT, "images/%s/%06d.png", split.file(), i);
        AtomicFiles.write(out.resolve(rel), o -> {
            if (!ImageIO.write(t.image(), "png", o)) throw new IOException("no PNG writer in this JDK");
        });
        return JSON.writeValueAsString(line(t, split.file() + "-" + String.format(Locale.ROOT, "%06d", i), rel, opener));
    }

    /** One JSONL line: geometry3k's fields first, then jaye's. */
    static ObjectNode line(TaskSample t, String id, String imagePath, String reflection) {
        ObjectNode o = JSON.createObjectNode();
        o.put("problem", t.question());
        o.put("answer", t.answer());
        ArrayNode images = o.putArray("images");
        images.add(imagePath);
        o.put("solution", t.solution().text(reflection));
        o.put("id", id);
        o.put("family", t.family());
        o.put("difficulty", t.level());
        o.put("kind", t.kind().label());
        return o;
    }

    private static void writeInfo(Path out, Config cfg) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("generator", "jaye data generate");
        o.put("seed", cfg.seed());
        ArrayNode fams = o.putArray("families");
        cfg.families().forEach(fams::add);
        ObjectNode sizes = o.putObject("sizes");
        for (Split s : Split.values()) sizes.put(s.file(), cfg.size(s));
        o.put("reflection_fraction", cfg.reflectionFraction());
        ArrayNode held = o.putArray("held_out_pairs");
        Pair.ALL.stream().filter(cfg.heldOut()::contains).forEach(p -> held.add(p.words()));
        o.put("layout", cfg.mixedLayouts() ? "mixed" : cfg.layout() == null ? "per family" : cfg.layout().name().toLowerCase(Locale.ROOT));
        if (cfg.compositionOnly()) o.put("ood_shift", "composition");   // only then: other datasets' bytes stay as they were
        AtomicFiles.writeString(out.resolve("dataset.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n");
    }
}
