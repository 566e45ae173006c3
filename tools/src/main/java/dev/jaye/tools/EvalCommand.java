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
        description = "Evaluate a model on a dataset split: pass@8 at T 1.0, pass@1 at T 0.6, pass@1 at T 0.01 "
                + "(docs/method.md), with response lengths and reflection ratios.")
final class EvalCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    DeviceOption device;

    @Option(names = "--checkpoint", paramLabel = "DIR", required = true, description = "Model folder (jaye init or a trainer's checkpoint).")
    Path checkpoint;

    @Option(names = "--data", paramLabel = "DIR", required = true, description = "Dataset folder (jaye data generate).")
    Path data;

    @Option(names = "--split", paramLabel = "SPLIT", defaultValue = "test",
            description = "train, val, test, test_ood, any other DATA/NAME.jsonl (e.g. geometry3k_validation_v0), or a .jsonl path.")
    String split;

    @Option(names = "--settings", paramLabel = "SETTINGS", defaultValue = "all",
            description = "all, or a comma-separated subset of pass@8_t1.0, pass@1_t0.6, pass@1_t0.01, each optionally with _nN for N samples per question (pass@1_t0.6_n4).")
    String settings;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "0", description = "Sampling seed; the same seed gives the same answers.")
    long seed;

    @Option(names = "--limit", paramLabel = "N", description = "Evaluate only the first N samples of the split.")
    Integer limit;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + dev.jaye.eval.GenerationSetting.DEFAULT_BATCH_SIZE, description = "Questions per generation call; each is repeated n times.")
    int batchSize;

    @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "" + dev.jaye.eval.GenerationSetting.DEFAULT_MAX_TOKENS,
            description = "Longest response, <eos> included (the same default as the trainers' evaluation).")
    int maxTokens;

    @Option(names = "--out", paramLabel = "FILE", description = "Append one JSON line per setting to this file.")
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
        try {
            file = DatasetReader.splitFile(data, split);
            chosen = GenerationSetting.parse(settings, maxTokens);
            if (batchSize < 1) throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchSize);
            if (limit != null && limit < 1) throw new IllegalArgumentException("--limit must be >= 1, got " + limit);
            writable("--out", out);                             // before the evaluation, not after it
            writable("--dump", dump);
        } catch (IllegalArgumentException e) {
            System.err.println("jaye eval: " + e.getMessage());
            return 2;
        }

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

        System.out.printf(Locale.ROOT, "%s on %s (%d samples), seed %d, max %d tokens%n", checkpoint, file, samples.size(), seed, maxTokens);
        List<EvalResult> results;
        try {
            results = new Evaluator(model.model(), model.tokenizer()).evaluate(split, samples, chosen, seed, batchSize, System.err);
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
}
