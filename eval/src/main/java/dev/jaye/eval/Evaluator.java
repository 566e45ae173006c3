// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval;

import dev.jaye.eval.data.Progress;
import dev.jaye.eval.data.Sample;
import dev.jaye.eval.judge.AnswerExtractor;
import dev.jaye.eval.judge.NumericJudge;
import dev.jaye.eval.metrics.Metrics;
import dev.jaye.models.Vlm;
import dev.jaye.models.generate.Generator;
import dev.jaye.models.processor.ImageProcessor;
import dev.jaye.models.processor.Processor;
import dev.jaye.models.tokenizer.Tokenizer;
import dev.jaye.tensor.Tensor;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Validation and test evaluation (docs/method.md, "The evaluation scheme"): for each
 * {@link GenerationSetting}, n responses per question, each judged, then {@link Metrics}.
 *
 * <pre>
 *   for each setting:
 *     for each batch of batchSize questions:
 *       rows = each question n times, row (i, j) seeded by rowSeed(seed, setting, i, j)
 *       Generator -> responses
 *     score(questions, responses) -> correct flags + Metrics (pass@k, lengths, reflection)
 * </pre>
 *
 * <p><b>Correctness</b> is the accuracy reward's rule, nothing looser: the content of the last
 * closed {@code \boxed{}} ({@link AnswerExtractor#boxed}), numerically equivalent to the
 * reference ({@link NumericJudge#equivalent}). A response without a box is wrong. The fallback
 * of {@link AnswerExtractor#extract} ("the answer is 12", the last number) is deliberately not
 * used: evaluation should measure what training rewards, or a model could look better on the
 * table than on the reward curve.
 *
 * <p><b>Seeds</b>: every response has its own seed, {@link #rowSeed}(seed, setting name,
 * question index, draw). It depends on nothing else: not the batch size, not the order of the
 * settings, not which other questions share the batch. So a run is reproducible for a fixed
 * seed, and one question's answers can be regenerated alone.
 */
public final class Evaluator {
    private final Processor processor;
    private final Generator generator;

    public Evaluator(Vlm model, Tokenizer tokenizer) {
        var cfg = model.config;
        this.processor = new Processor(tokenizer, new ImageProcessor(cfg.vision().imageSize()), cfg.imageTokens());
        this.generator = new Generator(model, processor);
    }

    /**
     * Evaluates {@code samples} under each setting.
     *
     * @param batchSize questions per generator call (each replicated n times, so n·batchSize rows)
     * @param progress  where the progress bar goes (stderr), or null for none
     */
    public List<EvalResult> evaluate(List<Sample> samples, List<GenerationSetting> settings, long seed, int batchSize,
                                     PrintStream progress) throws IOException {
        return evaluate(null, samples, settings, seed, batchSize, progress);
    }

    /** {@link #evaluate} with the split's name in the progress bar ("val pass@1_t0.6 [===>  ] 96/1024"). */
    public List<EvalResult> evaluate(String split, List<Sample> samples, List<GenerationSetting> settings, long seed, int batchSize,
                                     PrintStream progress) throws IOException {
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        List<Tensor> images = new ArrayList<>(samples.size());      // loaded once, shared by all settings
        for (Sample s : samples) images.add(processor.images().load(s.image()));
        List<int[]> prompts = samples.stream().map(s -> processor.promptIds(s.question())).toList();

        List<EvalResult> results = new ArrayList<>();
        for (GenerationSetting g : settings) {
            long t0 = System.nanoTime();
            String label = split == null ? g.name() : split + " " + g.name();
            Progress bar = progress == null ? Progress.silent(label, samples.size()) : new Progress(progress, label, samples.size());
            List<List<Generator.Response>> responses = new ArrayList<>(samples.size());
            for (int from = 0; from < samples.size(); from += batchSize) {
                int to = Math.min(samples.size(), from + batchSize);
                List<int[]> rows = new ArrayList<>();
                List<Tensor> px = new ArrayList<>();
                long[] seeds = new long[(to - from) * g.n()];
                for (int i = from; i < to; i++)
                    for (int j = 0; j < g.n(); j++) {
                        seeds[rows.size()] = rowSeed(seed, g.name(), i, j);
                        rows.add(prompts.get(i));
                        px.add(images.get(i));
                    }
                List<Generator.Response> out = generator.generate(Processor.pad(rows, px, true), g.generatorSettings(), seeds);
                for (int i = from; i < to; i++) {
                    int at = (i - from) * g.n();
                    responses.add(out.subList(at, at + g.n()));
                    bar.step();
                }
            }
            Scored scored = score(samples, responses, g.ks());
            List<EvalResult.SampleResult> per = new ArrayList<>(samples.size());
            for (int i = 0; i < samples.size(); i++)
                per.add(new EvalResult.SampleResult(samples.get(i).id(), samples.get(i).family(), samples.get(i).answer(),
                        responses.get(i).stream().map(Generator.Response::text).toList(), scored.correct().get(i),
                        responses.get(i).stream().map(r -> r.ids().length).toList()));
            results.add(new EvalResult(g, samples.size(), scored.metrics(), per, (System.nanoTime() - t0) / 1e9));
        }
        return results;
    }

    /** Judged responses: per question, which responses were correct; and the metrics of them all. */
    public record Scored(List<List<Boolean>> correct, Metrics metrics) {}

    /**
     * Judges each question's responses against its reference answer and computes the
     * {@link Metrics} (grouped per question, pass@k for each of {@code ks}). The part the trainers
     * share: whatever produced the responses, the numbers and keys are the evaluator's.
     * A response's length is its token count, {@code <eos>} included.
     */
    public static Scored score(List<Sample> samples, List<List<Generator.Response>> responses, int... ks) {
        if (samples.size() != responses.size())
            throw new IllegalArgumentException(samples.size() + " samples but " + responses.size() + " response groups");
        List<List<Boolean>> correct = new ArrayList<>();
        List<List<Metrics.Sample>> groups = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            String reference = samples.get(i).answer();
            List<Boolean> flags = new ArrayList<>();
            List<Metrics.Sample> group = new ArrayList<>();
            for (Generator.Response r : responses.get(i)) {
                boolean ok = correct(r.text(), reference);
                flags.add(ok);
                group.add(new Metrics.Sample(r.text(), r.ids().length, ok));
            }
            correct.add(List.copyOf(flags));
            groups.add(group);
        }
        return new Scored(List.copyOf(correct), Metrics.of(groups, ks));
    }

    /** The correctness rule: the last closed \boxed{} is numerically the reference. */
    public static boolean correct(String response, String reference) {
        return AnswerExtractor.boxed(response).map(a -> NumericJudge.equivalent(a, reference)).orElse(false);
    }

    /**
     * The seed of draw {@code draw} of question {@code question} under {@code setting}: SplitMix64
     * steps over (seed, a hash of the setting's name, question, draw), so each part changes every
     * bit. The name's hash is FNV-1a over its UTF-8 bytes: stable across JVMs and runs.
     */
    public static long rowSeed(long seed, String setting, int question, int draw) {
        long h = 0xcbf29ce484222325L;
        for (byte b : setting.getBytes(StandardCharsets.UTF_8)) h = (h ^ (b & 0xff)) * 0x100000001b3L;
        long z = mix(seed);
        z = mix(z ^ h);
        z = mix(z + question);
        return mix(z + draw);
    }

    /** SplitMix64: add the golden-ratio increment, then the finaliser. */
    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
