// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools.experiment;

import dev.jaye.eval.EvalResult;
import dev.jaye.eval.Evaluator;
import dev.jaye.eval.GenerationSetting;
import dev.jaye.eval.data.Sample;
import dev.jaye.eval.metrics.JsonLines;
import dev.jaye.models.io.AtomicFiles;
import dev.jaye.models.io.Checkpoint;
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
 * evaluates them (vanilla with sampling seed 0, the arm of seed S with seed S, the same batch),
 * and written as an experiment folder of their own:
 *
 * <pre>
 *   experiment.yaml         the source experiment's config, under a comment naming what was evaluated
 *   vanilla/eval.jsonl      the starting model, at epoch 0
 *   rl/seed-S/metrics.jsonl the arm's final model, at the experiment's last epoch (config.yaml copied)
 *   sft/seed-S/metrics.jsonl
 * </pre>
 *
 * so that {@code jaye report} gives the same Table 3, with the differences paired question by
 * question. An arm without a final model (not finished) is left out and named.
 */
public final class Reevaluation {
    private Reevaluation() {}

    /** What to evaluate: a split of a dataset under some settings. */
    public record Request(Path data, String split, List<GenerationSetting> settings, Integer limit, int batchSize,
                          dev.jaye.eval.data.FieldMap fields) {}

    /** The models of {@code experiment} that can be evaluated: "vanilla" and each finished part, in the experiment's order. */
    public static Map<String, Path> models(Path experiment) throws IOException {
        ExperimentConfig cfg = config(experiment);
        Map<String, Path> m = new LinkedHashMap<>();
        m.put("vanilla", Path.of(cfg.init()));
        for (String part : new Experiment(cfg, null).parts())
            if (!part.equals("vanilla") && Files.isDirectory(experiment.resolve(part).resolve("model"))) m.put(part, experiment.resolve(part).resolve("model"));
        return m;
    }

    /** The experiment's config (experiment.yaml), refused when the folder is not an experiment's. */
    public static ExperimentConfig config(Path experiment) throws IOException {
        Path yaml = experiment.resolve("experiment.yaml");
        if (!Files.isRegularFile(yaml))
            throw new IllegalArgumentException(experiment + " is not an experiment folder: it has no experiment.yaml (jaye experiment writes one)");
        return Configs.load(yaml, List.of(), ExperimentConfig.class).validate();
    }

    /**
     * Evaluates every model of {@link #models} into {@code out}, which must not exist yet (the
     * folder belongs to this evaluation); returns the parts left out because they have no final model.
     */
    public static List<String> run(Path experiment, Request r, Path out, PrintStream log) throws IOException {
        ExperimentConfig cfg = config(experiment);
        if (Files.exists(out)) throw new IllegalArgumentException("--out " + out + " exists; choose a new folder (it will hold this evaluation only)");
        Map<String, Path> models = models(experiment);
        List<String> missing = new ArrayList<>(new Experiment(cfg, null).parts());
        missing.removeAll(models.keySet());
        dev.jaye.eval.data.FieldMap fields = r.fields() != null ? r.fields() : cfg.data().fields();
        List<Sample> samples = dev.jaye.eval.data.DatasetReader.split(r.data(), r.split(), r.limit() == null ? 0 : r.limit(), fields);
        if (samples.isEmpty()) throw new IllegalArgumentException(r.data() + ": split " + r.split() + " holds no samples");

        Path tmp = out.resolveSibling(out.getFileName() + ".partial");     // the folder appears whole, or not at all
        if (Files.exists(tmp)) deleteTree(tmp);                              // left by a stopped evaluation
        Files.createDirectories(tmp);
        String yaml = Files.readString(experiment.resolve("experiment.yaml"));
        AtomicFiles.writeString(tmp.resolve("experiment.yaml"), "# jaye eval --experiment " + experiment + ": its models on " + r.data()
                + ", split " + r.split() + " (" + samples.size() + " questions); the config below is the source experiment's\n" + yaml);
        for (Map.Entry<String, Path> m : models.entrySet()) {
            String part = m.getKey();
            boolean vanilla = part.equals("vanilla");
            long seed = vanilla ? 0 : Long.parseLong(part.substring(part.indexOf("seed-") + 5));
            if (log != null) log.println("== " + part + ": " + m.getValue());
            Checkpoint.Loaded model = Checkpoint.load(m.getValue());
            List<EvalResult> results = new Evaluator(model.model(), model.tokenizer()).evaluate(r.split(), samples, r.settings(), seed, r.batchSize(), log);
            StringBuilder lines = new StringBuilder();
            for (EvalResult res : results) {
                Map<String, Object> rec = new LinkedHashMap<>();
                rec.put("epoch", vanilla ? 0 : cfg.epochs());                 // the final model: after the last epoch
                rec.putAll(res.toRecord(m.getValue().toString(), r.split(), seed));
                lines.append(JsonLines.format(rec)).append('\n');
            }
            if (log != null) log.println(part + ", " + r.split() + ":\n" + EvalResult.table(results));
            Path dir = tmp.resolve(part);
            Files.createDirectories(dir);
            AtomicFiles.writeString(dir.resolve(vanilla ? "eval.jsonl" : "metrics.jsonl"), lines.toString());
            Path armConfig = experiment.resolve(part).resolve("config.yaml");
            if (!vanilla && Files.isRegularFile(armConfig)) Files.copy(armConfig, dir.resolve("config.yaml"));
        }
        Files.move(tmp, out, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return missing;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
