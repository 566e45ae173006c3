// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jaye.eval.EvalResult;
import dev.jaye.eval.Evaluator;
import dev.jaye.eval.GenerationSetting;
import dev.jaye.eval.data.Sample;
import dev.jaye.models.io.AtomicFiles;
import dev.jaye.models.io.Checkpoint;
import dev.jaye.rl.RunFolder;
import dev.jaye.rl.config.Configs;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finished experiment's models on a split it was not evaluated on ({@code jaye eval
 * --experiment}): new questions asked after the runs, such as a test_ood that shifts only one
 * thing. The starting model and each arm's final model are evaluated the way the experiment
 * evaluated them: each arm with the seed, batch and response limit of its own config.yaml (what
 * its evaluations used, also after a resume), vanilla with seed 0 and experiment.yaml's. The
 * result is an experiment folder of its own:
 *
 * <pre>
 *   experiment.yaml         the source experiment's config, under a comment saying what was evaluated
 *   vanilla/eval.jsonl      the starting model, at epoch 0
 *   rl/seed-S/metrics.jsonl the arm's final model, at the step and epoch of its last evaluation
 *   sft/seed-S/metrics.jsonl   (config.yaml copied beside it)
 * </pre>
 *
 * so that {@code jaye report} gives the experiment's table on the new split, the differences paired
 * question by question. Each arm has one evaluation here (its final model), so the table's mean
 * and max over epochs are that one number. An arm without a final model is left out and named.
 */
public final class Reevaluation {
    private Reevaluation() {}

    /**
     * What to evaluate. {@code settings}, {@code limit}, {@code maxTokens} and {@code batchSize}
     * may be null: the experiment's (the arm's own for the last two).
     */
    public record Request(Path data, String split, String settings, Integer limit, Integer maxTokens, Integer batchSize,
                          dev.jaye.eval.data.FieldMap fields) {}

    /** The experiment's config (experiment.yaml), refused when the folder is not an experiment's. */
    public static ExperimentConfig config(Path experiment) throws IOException {
        Path yaml = experiment.resolve("experiment.yaml");
        if (!Files.isRegularFile(yaml))
            throw new IllegalArgumentException(experiment + " is not an experiment folder: it has no experiment.yaml (jaye experiment writes one)");
        return Configs.load(yaml, List.of(), ExperimentConfig.class).validate();
    }

    /** The models of {@code experiment} that can be evaluated: "vanilla" and each finished part, in the experiment's order. */
    public static Map<String, Path> models(Path experiment) throws IOException {
        return models(experiment, config(experiment));
    }

    private static Map<String, Path> models(Path experiment, ExperimentConfig cfg) {
        Map<String, Path> m = new LinkedHashMap<>();
        m.put("vanilla", Path.of(cfg.init()));
        for (String part : new Experiment(cfg, null).parts())
            if (!part.equals("vanilla") && Files.isDirectory(experiment.resolve(part).resolve("model"))) m.put(part, experiment.resolve(part).resolve("model"));
        return m;
    }

    /** How one model was evaluated in the experiment, and where its lines go on the experiment's x axes. */
    private record Setup(long seed, int batchSize, int maxTokens, Map<String, Object> position) {}

    /**
     * Evaluates every model of {@link #models} into {@code out}, which must not exist yet (the
     * folder belongs to this evaluation), and returns the parts left out because they have no
     * final model. Every model is loaded before the first is evaluated, so a damaged one fails
     * at once; the folder appears whole when the last model is done, or not at all.
     */
    public static List<String> run(Path experiment, Request r, Path out, PrintStream log) throws IOException {
        ExperimentConfig cfg = config(experiment);
        if (Files.exists(out)) throw new IllegalArgumentException("--out " + out + " exists; choose a new folder (it will hold this evaluation only)");
        Map<String, Path> paths = models(experiment, cfg);
        List<String> missing = new ArrayList<>(new Experiment(cfg, null).parts());
        missing.removeAll(paths.keySet());
        var e = cfg.eval();
        String settings = r.settings() != null ? r.settings() : String.join(",", e.settings());
        int limit = r.limit() != null ? r.limit() : e.limit();
        dev.jaye.eval.data.FieldMap fields = r.fields() != null ? r.fields() : cfg.data().fields();
        List<Sample> samples = dev.jaye.eval.data.DatasetReader.split(r.data(), r.split(), limit, fields);
        if (samples.isEmpty()) throw new IllegalArgumentException(r.data() + ": split " + r.split() + " holds no samples");

        Map<String, Setup> setups = new LinkedHashMap<>();
        Map<String, Checkpoint.Loaded> loaded = new LinkedHashMap<>();
        for (Map.Entry<String, Path> m : paths.entrySet()) {
            setups.put(m.getKey(), setup(experiment, m.getKey(), cfg, r));
            try {
                loaded.put(m.getKey(), Checkpoint.load(m.getValue()));
            } catch (IOException | RuntimeException x) {
                throw new IOException(m.getKey() + ": cannot load the model in " + m.getValue() + ": " + x.getMessage(), x);
            }
        }

        // A hidden folder beside --out, locked while it fills: a second evaluation into the same --out is refused,
        // and one a crash left behind (its lock gone with its process) is cleared and started again.
        Path tmp = out.toAbsolutePath().normalize().resolveSibling("." + out.getFileName() + ".partial");
        RunFolder.lock(tmp);
        try {
            clearAllButLock(tmp);
            String yaml = Files.readString(experiment.resolve("experiment.yaml"));
            AtomicFiles.writeString(tmp.resolve("experiment.yaml"), "# jaye eval --experiment " + experiment + ": its starting model and the arms' final "
                    + "models on " + r.data() + ", split " + r.split() + " (" + samples.size() + " questions), one evaluation each;\n"
                    + "# the config below is the source experiment's\n" + yaml);
            for (Map.Entry<String, Checkpoint.Loaded> m : loaded.entrySet()) {
                String part = m.getKey();
                Setup s = setups.get(part);
                if (log != null) log.println("== " + part + ": " + paths.get(part) + " (seed " + s.seed() + ", batch " + s.batchSize()
                        + ", max " + s.maxTokens() + " tokens)");
                var model = m.getValue();
                List<EvalResult> results = new Evaluator(model.model(), model.tokenizer())
                        .evaluate(r.split(), samples, GenerationSetting.parse(settings, s.maxTokens()), s.seed(), s.batchSize(), log);
                String lines = Experiment.evalLines(s.position(), results, paths.get(part).toString(), r.split(), s.seed());
                if (log != null) log.println(part + ", " + r.split() + ":\n" + EvalResult.table(results));
                Path dir = tmp.resolve(part);
                Files.createDirectories(dir);
                boolean vanilla = part.equals("vanilla");
                AtomicFiles.writeString(dir.resolve(vanilla ? "eval.jsonl" : "metrics.jsonl"), lines);
                Path armConfig = experiment.resolve(part).resolve("config.yaml");
                if (!vanilla && Files.isRegularFile(armConfig)) Files.copy(armConfig, dir.resolve("config.yaml"));
            }
        } finally {
            RunFolder.release(tmp);
        }
        Files.delete(tmp.resolve(".lock"));
        Files.move(tmp, out, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return missing;
    }

    /**
     * An arm: the seed, eval.batch_size and eval.max_tokens of its config.yaml, and the step and
     * epoch of its last evaluation (so the report and the dashboard read it as that arm's line);
     * vanilla: seed 0 and experiment.yaml's, at epoch 0. Options given on the command line win.
     */
    private static Setup setup(Path experiment, String part, ExperimentConfig cfg, Request r) throws IOException {
        var e = cfg.eval();
        long seed = 0;
        int batch = e.batchSize(), tokens = e.maxTokens();
        Map<String, Object> position = Map.of("epoch", 0);
        if (!part.equals("vanilla")) {
            seed = Long.parseLong(part.substring(part.indexOf("seed-") + 5));       // the experiment's, unless the arm says otherwise
            Path armConfig = experiment.resolve(part).resolve("config.yaml");
            if (Files.isRegularFile(armConfig)) {
                JsonNode c = Configs.read(armConfig);
                seed = c.path("seed").asLong(seed);
                batch = c.path("eval").path("batch_size").asInt(batch);
                tokens = c.path("eval").path("max_tokens").asInt(tokens);
            }
            position = lastEvaluation(experiment.resolve(part).resolve("metrics.jsonl"), cfg.epochs());
        }
        return new Setup(seed, r.batchSize() != null ? r.batchSize() : batch, r.maxTokens() != null ? r.maxTokens() : tokens, position);
    }

    /** The step keys and epoch of the last evaluation line in an arm's metrics ({@code epochs} when it has none). */
    private static Map<String, Object> lastEvaluation(Path metrics, int epochs) throws IOException {
        Map<String, Object> at = new LinkedHashMap<>();
        at.put("epoch", epochs);
        if (!Files.isRegularFile(metrics)) return at;
        ObjectMapper json = new ObjectMapper();
        JsonNode last = null;
        for (String line : Files.readAllLines(metrics)) {
            if (!line.contains("\"setting\"")) continue;
            try {
                JsonNode n = json.readTree(line);
                if (n.has("setting") && n.has("epoch")) last = n;
            } catch (IOException torn) {
                // a torn last line: the one before it stands
            }
        }
        if (last == null) return at;
        at.clear();
        for (String key : List.of("generation_step", "step", "epoch")) if (last.has(key)) at.put(key, last.get(key).numberValue());
        return at;
    }

    private static void clearAllButLock(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList())
                if (!p.equals(dir) && !p.equals(dir.resolve(".lock"))) Files.delete(p);
        }
    }
}
