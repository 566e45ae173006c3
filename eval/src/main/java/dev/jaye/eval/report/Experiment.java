// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jaye.eval.metrics.SampleStats;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a report is made from: the starting ("vanilla") model's evaluations and each arm's seeds.
 *
 * <p>An experiment folder holds {@code experiment.yaml}, {@code vanilla/eval.jsonl},
 * {@code rl/seed-<s>/} and {@code sft/seed-<s>/} runs and optionally {@code times.json}. A lone
 * run folder is read as an experiment of one seed in one arm, whose vanilla is its own
 * evaluation at epoch 0 (the model it started from), so the same tables and charts apply.
 *
 * @param experimentYaml the experiment's config as written, or null (a lone run, or none written)
 * @param vanilla        evaluation lines of the starting model; empty when there are none
 * @param times          wall seconds per run name, from {@code times.json}; empty when absent
 * @param single         true for a lone run folder
 */
public record Experiment(String title, String experimentYaml, List<Line> vanilla, List<Run> rl, List<Run> sft,
                         Map<String, Double> times, boolean single) {

    /** One evaluation table row's key: a split under a generation setting. */
    public record EvalKey(String split, String setting) {}

    private static final Pattern SEED = Pattern.compile("seed-(\\d+)");
    /** The splits in the order the method reads them; any other split follows, by name. */
    private static final List<String> SPLIT_ORDER = List.of("train", "val", "test", "test_ood");

    public static Experiment load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new ReportException(dir, 0, "no such folder");
        String title = dir.toAbsolutePath().normalize().getFileName() == null ? dir.toString()
                : dir.toAbsolutePath().normalize().getFileName().toString();
        Path yaml = dir.resolve("experiment.yaml");
        boolean experiment = Files.isRegularFile(yaml) || Files.isDirectory(dir.resolve("rl")) || Files.isDirectory(dir.resolve("sft"));
        if (!experiment) {
            if (!Files.isRegularFile(dir.resolve("metrics.jsonl")))
                throw new ReportException(dir, 0, "neither an experiment folder (experiment.yaml, rl/, sft/) nor a run folder (metrics.jsonl)");
            Run run = Run.load(dir, title, null);
            List<Line> start = run.evals().stream().filter(l -> l.num("epoch") == 0).toList();
            return new Experiment(title, null, start, run.arm() == Arm.RL ? List.of(run) : List.of(),
                    run.arm() == Arm.SFT ? List.of(run) : List.of(), Map.of(), true);
        }
        Path vanillaFile = dir.resolve("vanilla").resolve("eval.jsonl");
        List<Line> vanilla = Files.exists(vanillaFile)
                ? MetricsFile.read(vanillaFile).stream().filter(l -> l.kind() == Line.Kind.EVAL).toList() : List.of();
        return new Experiment(title, Files.isRegularFile(yaml) ? Files.readString(yaml, StandardCharsets.UTF_8) : null,
                vanilla, seeds(dir, Arm.RL), seeds(dir, Arm.SFT), times(dir.resolve("times.json")), false);
    }

    /** The arm's {@code seed-<s>} runs, by seed number (seed-10 after seed-2). */
    private static List<Run> seeds(Path dir, Arm arm) throws IOException {
        Path armDir = dir.resolve(arm.folder());
        if (!Files.isDirectory(armDir)) return List.of();
        List<Path> found;
        try (Stream<Path> s = Files.list(armDir)) {
            found = s.filter(p -> Files.isDirectory(p) && SEED.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparingLong(p -> seedOf(p.getFileName().toString()))).toList();
        }
        List<Run> runs = new ArrayList<>();
        for (Path p : found) runs.add(Run.load(p, arm.folder() + "/" + p.getFileName(), arm));
        return List.copyOf(runs);
    }

    private static long seedOf(String name) {
        Matcher m = SEED.matcher(name);
        if (!m.matches()) throw new IllegalStateException(name);
        try {
            return Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;                            // absurdly long digits: last, still loaded
        }
    }

    private static Map<String, Double> times(Path file) throws ReportException {
        if (!Files.exists(file)) return Map.of();
        JsonNode node;
        try {
            node = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new ReportException(file, 0, "not JSON: " + e.getMessage());
        }
        if (node == null || !node.isObject()) throw new ReportException(file, 0, "should be an object {\"rl/seed-0\": seconds, ...}");
        Map<String, Double> times = new LinkedHashMap<>();
        for (var it = node.properties().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().isNumber()) throw new ReportException(file, 0, "\"" + e.getKey() + "\" should be seconds, got " + e.getValue());
            times.put(e.getKey(), e.getValue().asDouble());
        }
        return times;
    }

    public List<Run> runs(Arm arm) {
        return arm == Arm.RL ? rl : sft;
    }

    /** RL runs, then SFT runs. */
    public List<Run> allRuns() {
        return Stream.concat(rl.stream(), sft.stream()).toList();
    }

    /** Every split and setting that anything was evaluated on, splits in the method's order. */
    public List<EvalKey> evalKeys() {
        Set<EvalKey> keys = new LinkedHashSet<>();
        Stream.concat(vanilla.stream(), allRuns().stream().flatMap(r -> r.evals().stream()))
                .forEach(l -> keys.add(new EvalKey(l.str("split"), l.str("setting"))));
        return keys.stream().sorted(Comparator.comparingInt((EvalKey k) -> splitRank(k.split())).thenComparing(EvalKey::split)).toList();
    }

    private static int splitRank(String split) {
        int i = SPLIT_ORDER.indexOf(split);
        return i < 0 ? SPLIT_ORDER.size() : i;
    }

    /** The starting model's score ({@link Line#score}) on a split and setting (the mean if it was evaluated more than once); NaN if never. */
    public double vanillaAccuracy(EvalKey key) {
        return SampleStats.mean(Run.evalLines(vanilla, key.split(), key.setting()).stream()
                .mapToDouble(Line::score).filter(d -> !Double.isNaN(d)).toArray());
    }

    /** The SE over questions of {@link #vanillaAccuracy} (the mean of its lines' {@link Line#scoreSe}); NaN if unknown. */
    public double vanillaStandardError(EvalKey key) {
        return SampleStats.mean(Run.evalLines(vanilla, key.split(), key.setting()).stream()
                .mapToDouble(Line::scoreSe).filter(d -> !Double.isNaN(d)).toArray());
    }
}
