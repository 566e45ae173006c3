// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import dev.jaye.eval.EvalResult;
import dev.jaye.eval.Evaluator;
import dev.jaye.eval.GenerationSetting;
import dev.jaye.eval.data.DatasetException;
import dev.jaye.eval.data.DatasetReader;
import dev.jaye.eval.data.Sample;
import dev.jaye.eval.metrics.JsonLines;
import dev.jaye.models.io.Checkpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code jaye eval}: a model folder on one split of a dataset, under the method's generation
 * settings; a table on the terminal, JSON lines for the plots. Exit codes: 0 done, 1 the data or
 * the model does not load, 2 a bad option.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate a model on a dataset split: pass@8 at T 1.0, pass@1 at T 0.6, pass@1 at T 0.01 "
                + "(docs/method.md), with response lengths and reflection ratios.",
                "With --experiment instead of --checkpoint: a finished experiment's starting model and every arm's final "
                + "model on the split, written as an experiment folder (--out) with its report, the differences paired per question."})
final class EvalCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    DeviceOption device;

    @Option(names = "--checkpoint", paramLabel = "DIR", description = "Model folder (jaye init or a trainer's checkpoint).")
    Path checkpoint;

    @Option(names = "--experiment", paramLabel = "DIR", description = "An experiment folder (jaye experiment) instead of --checkpoint: "
            + "its starting model and each arm's final model, each with the sampling seed the experiment gave it; needs --out DIR.")
    Path experiment;

    @Option(names = "--data", paramLabel = "DIR", required = true, description = "Dataset folder (jaye data generate).")
    Path data;

    @Option(names = "--split", paramLabel = "SPLIT", defaultValue = "test",
            description = "train, val, test, test_ood, any other DATA/NAME.jsonl (e.g. geometry3k_validation_v0), or a .jsonl path.")
    String split;

    @Option(names = "--settings", paramLabel = "SETTINGS",
            description = "all, or a comma-separated subset of pass@8_t1.0, pass@1_t0.6, pass@1_t0.01, each optionally with _nN for N samples per question (pass@1_t0.6_n4). "
                    + "Default: all (with --experiment: the experiment's)")
    String settings;

    @Option(names = "--seed", paramLabel = "SEED", description = "Sampling seed; the same seed gives the same answers. Default: 0")
    Long seed;

    @Option(names = "--limit", paramLabel = "N", description = "Evaluate only the first N samples of the split (with --experiment: the experiment's eval.limit unless given).")
    Integer limit;

    @Option(names = "--batch-size", paramLabel = "N", description = "Questions per generation call; each is repeated n times. "
            + "Default: " + dev.jaye.eval.GenerationSetting.DEFAULT_BATCH_SIZE + " (with --experiment: the experiment's)")
    Integer batchSize;

    @Option(names = "--max-tokens", paramLabel = "N",
            description = "Longest response, <eos> included (the same default as the trainers' evaluation). "
                    + "Default: " + dev.jaye.eval.GenerationSetting.DEFAULT_MAX_TOKENS + " (with --experiment: the experiment's)")
    Integer maxTokens;

    @Option(names = "--out", paramLabel = "FILE", description = "Append one JSON line per setting to this file "
            + "(with --experiment: a new folder for the evaluation and its report).")
    Path out;

    @Option(names = "--dump", paramLabel = "FILE", description = "Write every response (id, texts, correct flags) as JSON lines to this file (appended).")
    Path dump;

    @Option(names = "--json", description = "Also print the JSON lines on stdout, after the table.")
    boolean json;

    @picocli.CommandLine.Mixin
    FieldsOption fields;

    @Option(names = "--skip-bad", description = "Skip dataset lines that do not load (and count them) instead of failing.")
    boolean skipBad;

    /** A file that can be appended to: not a folder, in a folder that exists or can be made and is writable. */
    static void writable(String option, Path file) {
        if (file == null) return;
        if (Files.isDirectory(file)) throw new IllegalArgumentException(option + " " + file + " is a folder; it needs a file (e.g. " + file.resolve("eval.jsonl") + ")");
        if (Files.exists(file) && !Files.isWritable(file)) throw new IllegalArgumentException(option + " " + file + " cannot be written");
        Path dir = file.toAbsolutePath().getParent();
        while (dir != null && !Files.exists(dir)) dir = dir.getParent();
        if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir))
            throw new IllegalArgumentException(option + " " + file + ": " + dir + " is not a writable folder");
    }

    @Override
    public Integer call() throws IOException {
        List<GenerationSetting> chosen;
        Path file;
        int batch, tokens;
        try {
            if ((checkpoint == null) == (experiment == null)) throw new IllegalArgumentException("give --checkpoint DIR or --experiment DIR (one of them)");
            var source = experiment == null ? null : dev.jaye.tools.experiment.Reevaluation.config(experiment);
            tokens = maxTokens != null ? maxTokens : source != null ? source.eval().maxTokens() : GenerationSetting.DEFAULT_MAX_TOKENS;
            batch = batchSize != null ? batchSize : source != null ? source.eval().batchSize() : GenerationSetting.DEFAULT_BATCH_SIZE;
            file = DatasetReader.splitFile(data, split);
            chosen = GenerationSetting.parse(settings != null ? settings : source != null ? String.join(",", source.eval().settings()) : "all", tokens);
            if (batch < 1) throw new IllegalArgumentException("--batch-size must be >= 1, got " + batch);
            if (limit != null && limit < 1) throw new IllegalArgumentException("--limit must be >= 1, got " + limit);
            if (experiment != null) {
                if (out == null) throw new IllegalArgumentException("--experiment needs --out DIR, a new folder for the evaluation and its report");
                if (seed != null || dump != null || json || skipBad)
                    throw new IllegalArgumentException("--experiment takes none of --seed (each model gets the seed the experiment gave it), --dump, --json, --skip-bad");
                if (!Files.isRegularFile(file)) throw new IllegalArgumentException("--data " + data + " has no split " + split + " (" + file + ")");
            } else {
                writable("--out", out);                         // before the evaluation, not after it
                writable("--dump", dump);
            }
        } catch (IllegalArgumentException e) {
            System.err.println("jaye eval: " + e.getMessage());
            return 2;
        }
        if (experiment != null) {
            try {
                return experiment();
            } catch (IllegalArgumentException e) {               // not an experiment folder, a bad config in it
                System.err.println("jaye eval: " + e.getMessage());
                return 2;
            } catch (DatasetException e) {                       // names the file and the line
                System.err.println("jaye eval: " + e.getMessage());
                return 1;
            }
        }
        long seed = this.seed == null ? 0 : this.seed;

        DatasetReader.Loaded loaded;
        try {
            loaded = DatasetReader.load(file, new DatasetReader.Options(fields.fields, skipBad));
        } catch (DatasetException e) {                          // names the file and the line
            System.err.println("jaye eval: " + e.getMessage());
            return 1;
        }
        List<Sample> samples = loaded.samples();
        if (limit != null && limit < samples.size()) samples = samples.subList(0, limit);
        if (samples.isEmpty()) {
            System.err.println("jaye eval: " + file + " holds no samples");
            return 1;
        }
        if (loaded.skipped() > 0) System.err.printf(Locale.ROOT, "jaye eval: skipped %d bad lines of %s (first: %s)%n",
                loaded.skipped(), file, loaded.problems().get(0).getMessage());

        Checkpoint.Loaded model;
        try {
            model = Checkpoint.load(checkpoint);
        } catch (IOException | RuntimeException e) {
            System.err.println("jaye eval: cannot load the model in " + checkpoint + ": " + e.getMessage());
            return 1;
        }

        System.out.printf(Locale.ROOT, "%s on %s (%d samples), seed %d, max %d tokens%n", checkpoint, file, samples.size(), seed, tokens);
        List<EvalResult> results;
        try {
            results = new Evaluator(model.model(), model.tokenizer()).evaluate(split, samples, chosen, seed, batch, System.err);
        } catch (IllegalArgumentException e) {                  // e.g. a prompt plus --max-tokens past max_positions
            System.err.println("jaye eval: " + e.getMessage());
            return 2;
        }
        System.out.print(EvalResult.table(results));
        if (results.stream().anyMatch(r -> r.accuracyByFamily().size() > 1)) System.out.print(EvalResult.familyTable(results));

        for (EvalResult r : results) {
            Map<String, Object> rec = r.toRecord(checkpoint.toString(), DatasetReader.splitName(file), seed);
            if (out != null) JsonLines.append(out, rec);
            if (json) System.out.println(JsonLines.format(rec));
            if (dump != null) for (Map<String, Object> s : r.sampleRecords()) JsonLines.append(dump, s);
        }
        if (out != null) System.out.println("appended " + results.size() + " lines to " + out);
        if (dump != null) System.out.println("responses in " + dump);
        return 0;
    }

    /** --experiment: every model of the experiment on the split, into a new experiment folder, then its report. */
    private int experiment() throws IOException {
        var models = dev.jaye.tools.experiment.Reevaluation.models(experiment);
        System.out.printf(Locale.ROOT, "%s: %d models (%s) on %s, split %s%n", experiment, models.size(), String.join(", ", models.keySet()), data, split);
        var request = new dev.jaye.tools.experiment.Reevaluation.Request(data, split, settings, limit, maxTokens, batchSize, fields.fields);
        List<String> missing = dev.jaye.tools.experiment.Reevaluation.run(experiment, request, out, System.err);
        if (!missing.isEmpty()) System.out.println("left out, no final model yet: " + String.join(", ", missing));
        dev.jaye.eval.report.Report.Built report;
        try {
            report = dev.jaye.eval.report.Report.build(out);
        } catch (IOException | RuntimeException e) {              // the evaluation stands; only its report is missing
            System.err.println("jaye eval: the evaluation is in " + out + ", but its report failed: " + e.getMessage()
                    + "; ./jaye report " + out + " builds it again");
            return 1;
        }
        System.out.println("accuracy (%), the report's table (± one standard error; the differences paired per question):");
        System.out.print(dev.jaye.eval.report.EvalTable.text(report.rows()));
        System.out.println("report: " + report.index());
        return 0;
    }
}
