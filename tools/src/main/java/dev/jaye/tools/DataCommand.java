// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import dev.jaye.eval.data.ContactSheet;
import dev.jaye.eval.data.DatasetException;
import dev.jaye.eval.data.DatasetReader;
import dev.jaye.eval.data.DatasetWriter;
import dev.jaye.eval.data.Sample;
import dev.jaye.eval.data.Split;
import dev.jaye.eval.tasks.Families;
import dev.jaye.eval.tasks.Knobs;
import dev.jaye.eval.tasks.Looks;
import dev.jaye.eval.tasks.Pair;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code jaye data generate|show}: make a task dataset, look at one. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Task datasets: generate one, or show a split as a contact sheet.",
        subcommands = {DataCommand.Generate.class, DataCommand.Show.class})
final class DataCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Write train/val/test/test_ood JSONL files and their 64x64 PNG images.")
    static final class Generate implements Callable<Integer> {
        @Option(names = "--out", paramLabel = "DIR", required = true, description = "The dataset folder (created; files in it are replaced).")
        Path out;

        @Option(names = "--families", paramLabel = "FAMILY", split = ",", description = "Comma-separated families; all when not given: ${COMPLETION-CANDIDATES}",
                completionCandidates = FamilyNames.class)
        List<String> families;

        @Option(names = "--train", paramLabel = "N", defaultValue = "2048", description = "Training samples.")
        int train;

        @Option(names = "--val", paramLabel = "N", defaultValue = "256", description = "Validation samples.")
        int val;

        @Option(names = "--test", paramLabel = "N", defaultValue = "512", description = "Test samples.")
        int test;

        @Option(names = "--test-ood", paramLabel = "N", defaultValue = "512", description = "Out-of-distribution test samples.")
        int testOod;

        @Option(names = "--seed", paramLabel = "SEED", defaultValue = "0", description = "Seed; the same seed gives the same bytes.")
        long seed;

        @Option(names = "--reflection-fraction", paramLabel = "FRACTION", defaultValue = "0.25",
                description = "Share of gold solutions that re-check their answer before it.")
        double reflectionFraction;

        @Option(names = "--held-out", paramLabel = "COLOUR:KIND", split = ",", description = "Colour/kind pairs kept out of train/val/test, e.g. red:triangle,blue:square "
                + "(when not given: red triangle, green circle, blue square).")
        List<String> heldOut;

        @Option(names = "--layout", paramLabel = "LAYOUT", description = "grid or free for every family, or mixed (each family's samples "
                + "alternate grid and free placement, in every split); each family's own when not given.")
        String layout;

        @Option(names = "--ood-shift", paramLabel = "SHIFT", defaultValue = "full",
                description = "What test_ood shifts: full (larger counts and values than training, more distractors, held-out "
                        + "colour/kind pairs) or composition (training's counts and values, so every answer is within "
                        + "training's range, with the distractors and held-out pairs of full).")
        String oodShift;

        @Override
        public Integer call() throws IOException {
            Map<Split, Integer> sizes = new EnumMap<>(Split.class);
            sizes.put(Split.TRAIN, train);
            sizes.put(Split.VAL, val);
            sizes.put(Split.TEST, test);
            sizes.put(Split.TEST_OOD, testOod);
            DatasetWriter.Config cfg;
            try {
                for (Map.Entry<String, Integer> c : Map.of("--train", train, "--val", val, "--test", test, "--test-ood", testOod).entrySet())
                    if (c.getValue() < 0) throw new IllegalArgumentException(c.getKey() + " must be >= 0, got " + c.getValue());
                if (!(reflectionFraction >= 0 && reflectionFraction <= 1))
                    throw new IllegalArgumentException("--reflection-fraction must be in [0, 1], got " + reflectionFraction);
                Set<Pair> held = heldOut == null ? Looks.DEFAULT_HELD_OUT : heldOut.stream().map(Pair::parse).collect(Collectors.toSet());
                String l = layout == null ? null : layout.trim().toLowerCase(Locale.ROOT);
                Knobs.Layout lay = l == null || l.equals("mixed") ? null : switch (l) {
                    case "grid" -> Knobs.Layout.GRID;
                    case "free" -> Knobs.Layout.FREE;
                    default -> throw new IllegalArgumentException("--layout is grid, free or mixed, got '" + layout + "'");
                };
                String shift = oodShift.trim().toLowerCase(Locale.ROOT);
                if (!shift.equals("full") && !shift.equals("composition"))
                    throw new IllegalArgumentException("--ood-shift is full or composition, got '" + oodShift + "'");
                cfg = new DatasetWriter.Config(families == null ? Families.names() : families, sizes, seed, reflectionFraction, held, lay,
                        "mixed".equals(l), shift.equals("composition"));
            } catch (IllegalArgumentException e) {               // a bad option value: say which, no stack trace
                System.err.println("jaye data generate: " + e.getMessage());
                return 2;
            }
            long t0 = System.nanoTime();
            DatasetWriter.write(out, cfg, System.err);
            System.out.printf(Locale.ROOT, "wrote %d samples to %s in %.1fs (families: %s)%n", train + val + test + testOod, out,
                    (System.nanoTime() - t0) / 1e9, String.join(", ", cfg.families()));
            return 0;
        }
    }

    /** For --help: the family names. */
    static final class FamilyNames implements Iterable<String> {
        public java.util.Iterator<String> iterator() {
            return Families.names().iterator();
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Load one split (checking every line and image), print its task mix, write a contact sheet PNG.")
    static final class Show implements Callable<Integer> {
        @Parameters(index = "0", description = "The dataset folder.")
        Path dir;

        @Option(names = "--split", paramLabel = "SPLIT", defaultValue = "val",
                description = "train, val, test, test_ood, any other DIR/NAME.jsonl (e.g. geometry3k_validation_v0), or a .jsonl path.")
        String split;

        @Option(names = "--n", paramLabel = "N", defaultValue = "16", description = "Samples on the sheet: the first n.")
        int n;

        @Option(names = "--out", paramLabel = "FILE", description = "The sheet's PNG; DIR/sheet-SPLIT.png when not given.")
        Path out;

        @picocli.CommandLine.Mixin
        FieldsOption fields;

        @Option(names = "--skip-bad", description = "Skip lines that do not load (and count them) instead of failing.")
        boolean skipBad;

        @Override
        public Integer call() throws IOException {
            Path file;
            try {
                file = DatasetReader.splitFile(dir, split);
            } catch (IllegalArgumentException e) {
                System.err.println("jaye data show: " + e.getMessage());
                return 2;
            }
            DatasetReader.Loaded loaded;
            try {
                loaded = DatasetReader.load(file, new DatasetReader.Options(fields.fields, skipBad));
            } catch (DatasetException e) {
                System.err.println("jaye data show: " + e.getMessage());
                return 1;
            }
            List<Sample> samples = loaded.samples();
            System.out.printf(Locale.ROOT, "%s: %d samples%s%n", file, samples.size(),
                    loaded.skipped() > 0 ? ", " + loaded.skipped() + " bad lines skipped" : "");
            for (DatasetException e : loaded.problems().subList(0, Math.min(5, loaded.problems().size())))
                System.out.println("  skipped " + e.getMessage());
            Map<String, Integer> mix = new TreeMap<>();
            for (Sample s : samples) mix.merge(s.family() == null ? "(no family)" : s.family(), 1, Integer::sum);
            System.out.printf(Locale.ROOT, "%-20s %7s %6s%n", "family", "samples", "share");
            mix.forEach((f, c) -> System.out.printf(Locale.ROOT, "%-20s %7d %5.1f%%%n", f, c, 100.0 * c / samples.size()));
            if (samples.isEmpty()) {
                System.err.println("jaye data show: " + file + " holds no samples");
                return 1;
            }
            Path sheet = out != null ? out : dir.resolve("sheet-" + DatasetReader.splitName(file) + ".png");
            List<Sample> shown = samples.subList(0, Math.clamp(n, 1, samples.size()));
            ContactSheet.write(sheet, shown);
            var d = ContactSheet.size(shown.size());
            System.out.printf(Locale.ROOT, "contact sheet: %s (%d samples, %dx%d)%n", sheet, shown.size(), d.width, d.height);
            return 0;
        }
    }
}
