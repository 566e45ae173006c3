// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.sft;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jaye.autograd.Var;
import dev.jaye.autograd.optim.AdamW;
import dev.jaye.autograd.optim.LrSchedule;
import dev.jaye.eval.EvalResult;
import dev.jaye.eval.Evaluator;
import dev.jaye.eval.GenerationSetting;
import dev.jaye.eval.data.DatasetReader;
import dev.jaye.eval.data.Progress;
import dev.jaye.eval.data.Sample;
import dev.jaye.eval.metrics.JsonLines;
import dev.jaye.models.Vlm;
import dev.jaye.models.config.ModelConfig;
import dev.jaye.models.io.AtomicFiles;
import dev.jaye.models.io.Checkpoint;
import dev.jaye.models.io.SafeTensors;
import dev.jaye.models.processor.ImageProcessor;
import dev.jaye.models.processor.Processor;
import dev.jaye.models.tokenizer.Tokenizer;
import dev.jaye.rl.RunFolder;
import dev.jaye.rl.config.Configs;
import dev.jaye.tensor.Rng;
import dev.jaye.tensor.Tensor;
import dev.jaye.tensor.opencl.DeviceWeights;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Supervised training on gold solutions: the warm-up from random weights and the method's SFT
 * baseline. The run folder holds the resolved {@code config.yaml}, {@code metrics.jsonl} (one line
 * per logged step and per epoch's validation), {@code checkpoints/step-N/} (model, tokenizer,
 * optimiser state, trainer position) with {@code checkpoints/latest} naming the newest, and
 * {@code model/}, the final weights.
 *
 * <p>Everything random comes from the config's seed: the initial weights, and the order of the
 * training set in epoch e (a shuffle seeded by (seed, e)). A checkpoint therefore only needs the
 * step, the epoch and the position in it, and a resumed run continues bit for bit as if it had
 * never stopped.
 */
public final class SftTrainer {
    /** One training example: pixels, prompt ids, response ids ending in {@code <eos>}. */
    public record Example(Tensor pixels, int[] prompt, int[] response) {}

    private final SftConfig cfg;
    private final Path out;
    private final Vlm model;
    private final Tokenizer tok;
    private final AdamW opt;
    private final List<Example> train;
    private final Map<String, List<Sample>> evalSplits;
    private final int stepsPerEpoch, totalSteps;
    private int step, epoch, position;
    /** Seconds of the optimiser steps since the last metrics line (log_every steps apart). */
    private double secondsSinceLine;
    private Path lastCheckpoint;
    private volatile boolean stopRequested;
    int stopAtStep = -1;                          // tests: behave as if Ctrl-C came after this step
    private PrintStream log = System.err;

    private SftTrainer(SftConfig cfg, Vlm model, Tokenizer tok, List<Example> train, Map<String, List<Sample>> evalSplits) {
        this.cfg = cfg;
        this.out = Path.of(cfg.out());
        this.model = model;
        this.tok = tok;
        this.train = train;
        this.evalSplits = evalSplits;
        if (!cfg.train().trainVit()) model.setTrainable("vision.", false);
        if (!cfg.train().trainConnector()) model.setTrainable("connector.", false);
        if (!cfg.train().trainLlm()) model.setTrainable("lm.", false);
        stepsPerEpoch = (train.size() + cfg.train().batchSize() - 1) / cfg.train().batchSize();
        totalSteps = stepsPerEpoch * cfg.train().epochs();
        SftConfig.Train t = cfg.train();
        opt = AdamW.of(model.parameters(), LrSchedule.warmupCosine(t.lr(), Math.min(t.warmupSteps(), totalSteps), totalSteps, t.minLr()), t.weightDecay());
    }

    // ------------------------------------------------------------------ starting and resuming

    /** A new run: loads the data, builds or loads the model, writes the resolved config. */
    public static SftTrainer start(SftConfig cfg) throws IOException {
        cfg.validate();
        List<Sample> trainSamples = split(cfg, cfg.data().trainSplit(), cfg.data().limit());
        Map<String, List<Sample>> evalSamples = evalSplits(cfg);
        Vlm model;
        Tokenizer tok;
        if (cfg.model().init() != null) {
            Checkpoint.Loaded c = Checkpoint.load(Path.of(cfg.model().init()));
            model = c.model();
            tok = c.tokenizer();
        } else {
            ModelConfig mc = ModelConfig.preset(cfg.model().preset());
            tok = cfg.model().trainTokenizer() ? Tokenizer.train(corpus(trainSamples), mc.lm().vocab()) : Tokenizer.bytesOnly();
            model = new Vlm(mc, cfg.seed());
        }
        RunFolder.claimNew(Path.of(cfg.out()));                     // after the inputs loaded: a bad one leaves no folder
        AtomicFiles.writeString(Path.of(cfg.out(), "config.yaml"), Configs.toYaml(cfg));
        return new SftTrainer(cfg, model, tok, examples(model, tok, trainSamples), evalSamples);
    }

    /**
     * Continues the run in {@code runDir} from its latest checkpoint, with the config it was
     * started with, writing into {@code runDir} wherever the folder now is (not the {@code out}
     * its config.yaml recorded).
     */
    public static SftTrainer resume(Path runDir) throws IOException {
        SftConfig cfg = Configs.load(runDir.resolve("config.yaml"), List.of(), SftConfig.class).validate().withOut(runDir.toString());
        Path latest = runDir.resolve("checkpoints/latest");
        if (!Files.isRegularFile(latest)) throw new IOException("run " + runDir + " has no checkpoint to resume from (no checkpoints/latest)");
        Path ckpt = runDir.resolve("checkpoints").resolve(Files.readString(latest).strip());
        Path stateFile = ckpt.resolve("trainer.json");
        var state = RunFolder.readState(stateFile);
        RunFolder.lock(runDir);
        Checkpoint.Loaded c = Checkpoint.load(ckpt);
        List<Sample> trainSamples = split(cfg, cfg.data().trainSplit(), cfg.data().limit());
        SftTrainer t = new SftTrainer(cfg, c.model(), c.tokenizer(), examples(c.model(), c.tokenizer(), trainSamples), evalSplits(cfg));
        t.step = RunFolder.stateInt(state, stateFile, "step", 0, t.totalSteps);
        t.epoch = RunFolder.stateInt(state, stateFile, "epoch", 0, cfg.train().epochs());
        t.position = RunFolder.stateInt(state, stateFile, "position", 0, t.train.size());
        if (t.step != t.epoch * t.stepsPerEpoch + (t.position + cfg.train().batchSize() - 1) / cfg.train().batchSize())
            throw new IOException(stateFile + ": step " + t.step + " does not match epoch " + t.epoch + " and position " + t.position
                    + " (" + t.stepsPerEpoch + " steps of " + cfg.train().batchSize() + " per epoch)");
        t.opt.load(SafeTensors.read(ckpt.resolve("optimizer.safetensors")));
        t.lastCheckpoint = ckpt;
        RunFolder.recover(runDir, "step", t.step);
        if (t.position == t.train.size()) RunFolder.cutEvaluations(runDir, "step", t.step);   // its epoch's evaluation runs again
        return t;
    }

    /** The splits evaluated after every epoch, each cut to eval.limit (none when eval.settings is empty). */
    private static Map<String, List<Sample>> evalSplits(SftConfig cfg) throws IOException {
        Map<String, List<Sample>> out = new LinkedHashMap<>();
        if (cfg.eval().settings().isEmpty()) return out;
        for (String split : cfg.data().evalSplits())
            out.put(split, split(cfg, split, cfg.eval().limit()));
        return out;
    }

    /** The first {@code limit} samples (all when limit is 0) of a split of the config's dataset. */
    private static List<Sample> split(SftConfig cfg, String name, int limit) throws IOException {
        return DatasetReader.split(Path.of(cfg.data().dir()), name, limit, cfg.data().fields());
    }

    private static List<String> corpus(List<Sample> samples) {
        List<String> text = new ArrayList<>();
        for (Sample s : samples) {
            text.add(s.question());
            if (s.solution() != null) text.add(s.solution());
        }
        return text;
    }

    /** Prompt ids from the template, response = the gold solution (or the bare answer) + {@code <eos>}. */
    static List<Example> examples(Vlm model, Tokenizer tok, List<Sample> samples) throws IOException {
        Processor p = new Processor(tok, new ImageProcessor(model.config.vision().imageSize()), model.config.imageTokens());
        List<Example> ex = new ArrayList<>(samples.size());
        for (Sample s : samples) {
            String target = s.solution() != null ? s.solution() : "\\boxed{" + s.answer() + "}";
            int[] r = tok.encode(target), response = java.util.Arrays.copyOf(r, r.length + 1);
            response[r.length] = Tokenizer.EOS;
            ex.add(new Example(p.images().load(s.image()), p.promptIds(s.question()), response));
        }
        return ex;
    }

    // ------------------------------------------------------------------ the loop

    /** What the run ended with. */
    public record Result(int steps, boolean interrupted, Path lastCheckpoint) {}

    public void quiet() {
        log = null;
    }

    /** Asks the loop to stop after the current step and write a checkpoint (Ctrl-C). */
    public void requestStop() {
        stopRequested = true;
    }

    public Vlm model() {
        return model;
    }

    public Result run() throws IOException {
        try {
            return loop();
        } finally {
            RunFolder.release(out);
        }
    }

    private Result loop() throws IOException {
        SftConfig.Train t = cfg.train();
        Path metrics = out.resolve("metrics.jsonl");
        Progress.StepClock clock = new Progress.StepClock(step);
        for (; epoch < t.epochs(); epoch++, position = 0) {
            int[] order = order(cfg.seed(), epoch, train.size());
            while (position < train.size()) {
                int end = Math.min(train.size(), position + t.batchSize());
                SftBatch.Weighting w = step < t.answerOnlySteps() ? SftBatch.Weighting.ANSWER_ONLY : SftBatch.Weighting.RESPONSE;
                if (step == t.answerOnlySteps() && step > 0 && log != null)   // the loss is about to jump: say why
                    log.printf(Locale.ROOT, "%nsft: step %d: the answer-only phase (train.answer_only_steps) is over; the loss now "
                            + "covers the whole response, so it jumps up and falls again%n", step);
                long s0 = System.nanoTime();
                double lr = opt.lr(), loss = 0;
                int tokens = 0, micro = t.gradientAccumulationSteps();
                int per = (end - position + micro - 1) / micro;
                try (var constant = DeviceWeights.scope()) {   // the weights change only at the update below
                    for (int m = position; m < end; m += per) {   // gradient accumulation: micro-batches, weighted by rows
                        SftBatch b = batch(order, m, Math.min(end, m + per), w);
                        double share = (double) (Math.min(end, m + per) - m) / (end - position);
                        try {
                            loss += SftStep.lossAndBackward(model, b, share) * share;
                        } catch (ArithmeticException e) {
                            opt.zeroGrad();
                            throw new ArithmeticException("step " + (step + 1) + ": " + e.getMessage()
                                    + (lastCheckpoint == null ? "" : "; the last good checkpoint is " + lastCheckpoint));
                        }
                        for (float x : b.weights()) if (x > 0) tokens++;
                    }
                }
                double norm;
                try {
                    norm = SftStep.update(opt, t.clipGradNorm());
                } catch (ArithmeticException e) {
                    throw new ArithmeticException("step " + (step + 1) + ": " + e.getMessage()
                            + (lastCheckpoint == null ? "" : "; the last good checkpoint is " + lastCheckpoint));
                }
                position = end;
                step++;
                double secs = (System.nanoTime() - s0) / 1e9;
                secondsSinceLine += secs;
                if (step % t.logEvery() == 0 || step == totalSteps) {
                    Map<String, Object> rec = new LinkedHashMap<>();
                    rec.put("step", step);
                    rec.put("epoch", epoch + (double) position / train.size());
                    rec.put("loss", loss);
                    rec.put("lr", lr);
                    rec.put("grad_norm", norm);
                    rec.put("tokens_per_s", tokens / secs);
                    rec.put("answer_only", w == SftBatch.Weighting.ANSWER_ONLY);
                    rec.put("connector_spread", connectorSpread(order, Math.max(0, end - t.batchSize()), end));
                    rec.put("time/steps", secondsSinceLine);         // the steps since the last line: the dashboard's wall-time axis
                    secondsSinceLine = 0;
                    JsonLines.append(metrics, rec);
                }
                progress(loss, tokens / secs, clock);
                if (t.checkpointEvery() > 0 && step % t.checkpointEvery() == 0) lastCheckpoint = checkpoint();
                if (stopRequested || step == stopAtStep) {
                    if (log != null) log.println();
                    return new Result(step, true, lastCheckpoint = checkpoint());
                }
            }
            if (log != null) log.println();
            validate(metrics);
        }
        lastCheckpoint = checkpoint();
        Checkpoint.save(out.resolve("model"), model, tok);
        return new Result(step, false, lastCheckpoint);
    }

    /** The order of the training set in epoch e: a Fisher-Yates shuffle seeded by (seed, e) alone. */
    public static int[] order(long seed, int epoch, int n) {
        return new Rng(seed * 1_000_003L + epoch).permutation(n);
    }

    private SftBatch batch(int[] order, int from, int to, SftBatch.Weighting w) {
        List<int[]> prompts = new ArrayList<>(), responses = new ArrayList<>();
        List<Tensor> px = new ArrayList<>();
        for (int i = from; i < to; i++) {
            Example e = train.get(order[i]);
            prompts.add(e.prompt());
            responses.add(e.response());
            px.add(e.pixels());
        }
        return SftBatch.of(tok, prompts, responses, px, w);
    }

    /**
     * The collapse alarm of docs/nano-recipe.md: how much the connector's output (averaged over
     * an image's tokens) differs across the images of a batch, as the mean over features of the
     * standard deviation across images. Falling towards 0 means the LM is being fed the same
     * thing whatever the image.
     */
    private double connectorSpread(int[] order, int from, int to) {
        List<Tensor> px = new ArrayList<>();
        for (int i = from; i < to; i++) px.add(train.get(order[i]).pixels());
        if (px.size() < 2) return Double.NaN;
        try (var g = Var.noGrad()) {
            Tensor tokens = model.imageTokens(Tensor.stack(0, px.toArray(new Tensor[0]))).value;   // (B, I, C)
            Tensor perImage = tokens.mean(1, false);                                               // (B, C)
            return perImage.variance(0, false).sqrt().mean();
        }
    }

    private void validate(Path metrics) throws IOException {
        if (evalSplits.isEmpty()) return;
        var settings = GenerationSetting.parse(String.join(",", cfg.eval().settings()), cfg.eval().maxTokens());
        model.train(false);
        for (Map.Entry<String, List<Sample>> split : evalSplits.entrySet()) {
            List<EvalResult> results = new Evaluator(model, tok).evaluate(split.getKey(), split.getValue(), settings, cfg.seed(), cfg.eval().batchSize(), log);
            for (EvalResult r : results) {
                Map<String, Object> rec = new LinkedHashMap<>();
                rec.put("epoch", epoch + 1);
                rec.put("step", step);
                rec.putAll(r.toRecord(null, split.getKey(), cfg.seed()));
                rec.remove("checkpoint");
                JsonLines.append(metrics, rec);
            }
            var where = new LinkedHashMap<String, Object>();
            where.put("step", step);
            where.put("epoch", epoch + 1);
            dev.jaye.rl.loop.SampleLog.appendEvaluation(out.resolve("samples.jsonl"), where, split.getKey(), split.getValue(), results);
            if (log != null) log.println(split.getKey() + ", epoch " + (epoch + 1) + ":\n" + EvalResult.table(results) + EvalResult.familyTable(results));
            if (cfg.train().keepBest()) dev.jaye.rl.KeepBest.offer(out, evalSplits.keySet(), split.getKey(), results,
                    new java.util.TreeMap<>(Map.of("epoch", epoch + 1, "step", step)), model, tok, log);
        }
        model.train(true);
    }

    /** Writes checkpoints/step-N atomically file by file, then points checkpoints/latest at it. */
    private Path checkpoint() throws IOException {
        Path dir = out.resolve("checkpoints").resolve(String.format(Locale.ROOT, "step-%06d", step));
        RunFolder.requireFinite(model.stateDict(), opt.state(), "step " + step, dir, lastCheckpoint);   // a good checkpoint is all finite
        Checkpoint.save(dir, model, tok);
        SafeTensors.write(dir.resolve("optimizer.safetensors"), opt.state(), Map.of());
        ObjectNode s = new ObjectMapper().createObjectNode().put("step", step).put("epoch", epoch).put("position", position);
        AtomicFiles.writeString(dir.resolve("trainer.json"), s.toString());
        AtomicFiles.writeString(out.resolve("checkpoints/latest"), dir.getFileName().toString());
        Checkpoint.keepNewest(out.resolve("checkpoints"), cfg.train().keepCheckpoints());
        return dir;
    }

    private void progress(double loss, double tokPerS, Progress.StepClock clock) {
        if (log == null) return;
        double perStep = clock.perStep(step);
        log.printf(Locale.ROOT, "\rsft epoch %d/%d [%s] step %d/%d loss %.4f %.0f tok/s ETA %s   ", epoch + 1, cfg.train().epochs(),
                Progress.bar(step, totalSteps, 24), step, totalSteps, loss, tokPerS, Progress.eta(perStep * (totalSteps - step)));
        log.flush();
    }
}
