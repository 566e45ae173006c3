// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.loop;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import dev.jaye.models.generate.Generator;
import dev.jaye.models.io.AtomicFiles;
import dev.jaye.models.io.Checkpoint;
import dev.jaye.models.io.SafeTensors;
import dev.jaye.models.processor.ImageProcessor;
import dev.jaye.models.processor.Processor;
import dev.jaye.models.tokenizer.Tokenizer;
import dev.jaye.rl.RunFolder;
import dev.jaye.rl.config.Configs;
import dev.jaye.rl.reward.RewardSettings;
import dev.jaye.rl.reward.Rewards;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The RL loop of docs/method.md. One generation step is the method's four steps, in order:
 *
 * <pre>
 *   queries      = dataFlow.batch(epoch, k)                 I    data flow
 *   responses    = collection.collect(queries, step)        II   response collection
 *   trajectories = trajectories.build(queries, responses)   III  trajectory generation
 *   advantages   = update.advantages(trajectories)          IV   policy update
 *   stats        = update.optimise(trajectories, advantages, step)
 * </pre>
 * and {@link #generationStep} is those calls plus logging. Everything else here is the run's
 * housekeeping, shared in shape with the SFT trainer: the run folder ({@code config.yaml},
 * {@code metrics.jsonl}, {@code samples.jsonl} (a few responses per step, {@link SampleLog}), {@code tokens.jsonl} with train.dump_tokens, {@code checkpoints/step-N}
 * and {@code checkpoints/latest}, {@code model/}), evaluation, resume, Ctrl-C and NaN stops.
 *
 * <p>The reference model is the starting checkpoint (model.init) loaded a second time and frozen;
 * a resumed run loads it from there again. All randomness is a function of the seed and the
 * generation step (see each step), so a resumed run continues bit for bit.
 */
public final class RlTrainer {
    private final RlConfig cfg;
    private final Path out;
    private final Vlm policy;
    private final Tokenizer tok;
    private final AdamW opt;
    private final DataFlow dataFlow;
    private final ResponseCollection collection;
    private final TrajectoryGeneration trajectories;
    private final PolicyUpdate update;
    private final Map<String, List<Sample>> evalSplits;
    private final int totalSteps;
    private int step, epochCorrect, epochResponses;
    private volatile boolean stopRequested;
    int stopAtStep = -1;                               // tests: behave as if Ctrl-C came after this step
    private PrintStream log = System.err;
    private Path lastCheckpoint;
    private Spread spread;                             // null: every step runs here
    private Spread.Provider spreadProvider;            // opened when the run starts, closed when it ends
    private String spreadMaster;

    private RlTrainer(RlConfig cfg, Checkpoint.Loaded start, Vlm reference, List<Sample> train, Map<String, List<Sample>> evalSplits) {
        this.cfg = cfg;
        this.out = Path.of(cfg.out());
        this.policy = start.model();
        this.tok = start.tokenizer();
        this.evalSplits = evalSplits;
        RlConfig.Train t = cfg.train();
        int all = DataFlow.batchesPerEpoch(train.size(), cfg.rollout().batchSize()) * t.epochs();
        totalSteps = t.maxGenerationSteps() > 0 ? Math.min(t.maxGenerationSteps(), all) : all;
        int optimiserSteps = totalSteps * t.ppoEpochs() * (cfg.rollout().batchSize() / t.ppoBatchSize());
        opt = AdamW.of(policy.parameters(), LrSchedule.warmupCosine(t.lr(), Math.min(t.warmupSteps(), optimiserSteps), optimiserSteps, t.minLr()), t.weightDecay());
        Parts p = parts(cfg, policy, tok, reference, train, opt);
        dataFlow = p.dataFlow();
        collection = p.collection();
        trajectories = p.trajectories();
        update = p.update();
    }

    /** Steps I-IV built on one copy of the policy: the trainer's own, or a cluster executor's. */
    public record Parts(DataFlow dataFlow, ResponseCollection collection, TrajectoryGeneration trajectories, PolicyUpdate update) {}

    /**
     * The four steps of the run of {@code cfg} on {@code policy} (its trainable parts set from
     * the config). {@code opt} null: an executor's copy, which runs backward passes only.
     */
    public static Parts parts(RlConfig cfg, Vlm policy, Tokenizer tok, Vlm reference, List<Sample> train, dev.jaye.autograd.optim.Optimizer opt) {
        RlConfig.Train t = cfg.train();
        policy.setTrainable("vision.", t.trainVit());
        policy.setTrainable("connector.", t.trainConnector());
        policy.setTrainable("lm.", t.trainLlm());
        Processor processor = new Processor(tok, new ImageProcessor(policy.config.vision().imageSize()), policy.config.imageTokens());
        var r = cfg.reward();
        return new Parts(new DataFlow(train, processor, cfg.seed(), cfg.rollout().batchSize()),
                new ResponseCollection(new Generator(policy, processor), cfg.rollout(), cfg.seed()),
                new TrajectoryGeneration(policy, reference,
                        Rewards.of(r.names(), new RewardSettings(r.rewardPenalty(), r.minResponseLength(), r.languagePenalty(), r.formatReward())),
                        cfg.rollout().forwardBatchSize(), cfg.oldLogProbsFromTheUpdate()),
                new PolicyUpdate(policy, opt, cfg.algorithm(), t, cfg.seed(), cfg.oldLogProbsFromTheUpdate()));
    }

    /** The reference model of the run of {@code cfg}: model.init loaded again and frozen, or null when no KL term needs it. */
    public static Vlm reference(RlConfig cfg) throws IOException {
        if (cfg.algorithm().klLossCoeff() == 0 && cfg.algorithm().klRewardCoeff() == 0) return null;
        Vlm reference = Checkpoint.load(Path.of(cfg.model().init())).model();
        reference.setTrainable("", false);             // every parameter: the prefix "" matches all
        return reference;
    }

    /** The training split of the run of {@code cfg}. */
    public static List<Sample> trainSplit(RlConfig cfg) throws IOException {
        return split(cfg, cfg.data().trainSplit(), cfg.data().limit());
    }

    /**
     * From now on, steps II-IV's rows run on the cluster at {@code master}, through the
     * provider's Spread (the cluster module's); the trainer closes it when the run ends.
     */
    public void spreadOver(Spread.Provider provider, String master) {
        spreadProvider = provider;
        spreadMaster = master;
    }

    // ------------------------------------------------------------------ starting and resuming

    /** A new run: loads the data and the starting checkpoint, writes the resolved config. */
    public static RlTrainer start(RlConfig cfg) throws IOException {
        cfg.validate();
        RlTrainer t = create(cfg, Checkpoint.load(Path.of(cfg.model().init())));   // bad inputs fail before out is touched
        RunFolder.claimNew(Path.of(cfg.out()));
        Files.createDirectories(t.out);
        AtomicFiles.writeString(t.out.resolve("config.yaml"), Configs.toYaml(cfg));
        return t;
    }

    /**
     * Continues the run in {@code runDir} from its latest checkpoint, with the config it was
     * started with, writing into {@code runDir} wherever the folder now is (not the {@code out}
     * its config.yaml recorded).
     */
    public static RlTrainer resume(Path runDir) throws IOException {
        RlConfig cfg = Configs.load(runDir.resolve("config.yaml"), List.of(), RlConfig.class).validate().withOut(runDir.toString());
        Path latest = runDir.resolve("checkpoints/latest");
        if (!Files.isRegularFile(latest)) throw new IOException("run " + runDir + " has no checkpoint to resume from (no checkpoints/latest)");
        Path ckpt = runDir.resolve("checkpoints").resolve(Files.readString(latest).strip());
        Path stateFile = ckpt.resolve("trainer.json");
        var state = RunFolder.readState(stateFile);
        RunFolder.lock(runDir);
        RlTrainer t = create(cfg, Checkpoint.load(ckpt));
        t.step = RunFolder.stateInt(state, stateFile, "generation_step", 0, t.totalSteps);
        t.epochResponses = RunFolder.stateInt(state, stateFile, "epoch_responses", 0, Integer.MAX_VALUE);
        t.epochCorrect = RunFolder.stateInt(state, stateFile, "epoch_correct", 0, t.epochResponses);
        t.opt.load(SafeTensors.read(ckpt.resolve("optimizer.safetensors")));
        t.lastCheckpoint = ckpt;
        RunFolder.recover(runDir, "generation_step", t.step);
        return t;
    }

    private static RlTrainer create(RlConfig cfg, Checkpoint.Loaded start) throws IOException {
        Vlm reference = reference(cfg);
        List<Sample> train = trainSplit(cfg);
        Map<String, List<Sample>> eval = new LinkedHashMap<>();
        if (!cfg.eval().settings().isEmpty())
            for (String s : cfg.data().evalSplits()) eval.put(s, split(cfg, s, cfg.eval().limit()));
        return new RlTrainer(cfg, start, reference, train, eval);
    }

    private static List<Sample> split(RlConfig cfg, String name, int limit) throws IOException {
        return DatasetReader.split(Path.of(cfg.data().dir()), name, limit, cfg.data().fields());
    }

    // ------------------------------------------------------------------ the loop

    /** What the run ended with. */
    public record Result(int generationSteps, boolean interrupted, Path lastCheckpoint) {}

    public void quiet() {
        log = null;
    }

    /** Asks the loop to stop after the current generation step and write a checkpoint (Ctrl-C). */
    public void requestStop() {
        stopRequested = true;
    }

    public Vlm policy() {
        return policy;
    }

    /** Tests: the control experiment, with every advantage negated. */
    void flipAdvantageSign() {
        update.flipAdvantageSign = true;
    }

    public int totalSteps() {
        return totalSteps;
    }

    public Result run() throws IOException {
        try {
            if (spreadProvider != null) {
                spread = spreadProvider.open(spreadMaster, cfg, policy, opt::stepCount);
                update.backwardsRunBy(spread.backwards());
            }
            return loop();
        } finally {
            try {
                if (spread != null) spread.close();
            } finally {
                RunFolder.release(out);
            }
        }
    }

    private Result loop() throws IOException {
        Path metrics = out.resolve("metrics.jsonl");
        Progress.StepClock clock = new Progress.StepClock(step);
        if (step == 0 && cfg.eval().atStart()) evaluate(metrics);
        while (step < totalSteps) {
            Map<String, Object> rec;
            try {
                rec = generationStep();
            } catch (ArithmeticException e) {
                throw new ArithmeticException("generation step " + (step + 1) + ": " + e.getMessage()
                        + (lastCheckpoint == null ? "" : "; the last good checkpoint is " + lastCheckpoint));
            }
            step++;
            JsonLines.append(metrics, rec);
            progress(rec, clock);
            boolean epochEnd = step % dataFlow.batchesPerEpoch() == 0, last = step == totalSteps;
            if (epochEnd || last) {
                if (log != null) log.println();
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("generation_step", step);
                e.put("epoch", (double) step / dataFlow.batchesPerEpoch());
                e.put("train_accuracy", (double) epochCorrect / epochResponses);
                JsonLines.append(metrics, e);
                if (epochEnd) epochCorrect = epochResponses = 0;
            }
            if (epochEnd || last || (cfg.eval().everySteps() > 0 && step % cfg.eval().everySteps() == 0)) evaluate(metrics);
            if (cfg.train().checkpointEvery() > 0 && step % cfg.train().checkpointEvery() == 0 && !last) lastCheckpoint = checkpoint();
            if ((stopRequested || step == stopAtStep) && !last) {
                if (log != null) log.println();
                return new Result(step, true, lastCheckpoint = checkpoint());
            }
        }
        lastCheckpoint = checkpoint();
        Checkpoint.save(out.resolve("model"), policy, tok);
        return new Result(step, false, lastCheckpoint);
    }

    /** The four steps of the method, timed, and the step's metrics record. */
    private Map<String, Object> generationStep() throws IOException {
        int perEpoch = dataFlow.batchesPerEpoch();
        long s0 = System.nanoTime();
        List<Query> queries = dataFlow.batch(step / perEpoch, step % perEpoch);                    // I
        long s1 = System.nanoTime(), s2;
        List<Trajectory> batch;
        if (spread == null) {
            List<Generator.Response> responses = collection.collect(queries, step);                 // II
            s2 = System.nanoTime();
            batch = trajectories.build(queries, responses);                                         // III
        } else {                                                                                    // II and III on a cluster
            Spread.Rolled r = spread.rollout(step, queries);
            batch = r.trajectories();
            s2 = System.nanoTime() - (long) (r.stepThreeSeconds() * 1e9);
        }
        long s3 = System.nanoTime();
        float[][] advantages = update.advantages(batch);                                            // IV
        PolicyUpdate.Stats stats = update.optimise(batch, advantages, step);
        long s4 = System.nanoTime();

        for (Trajectory t : batch) if (t.correct()) epochCorrect++;
        epochResponses += batch.size();
        if (cfg.train().dumpTokens()) TokenDump.append(out.resolve("tokens.jsonl"), step + 1, batch, advantages, stats, tok);
        SampleLog.append(out.resolve("samples.jsonl"), step + 1, batch);
        return StepMetrics.record(step + 1, (double) (step + 1) / perEpoch, batch, advantages, update.kept(batch), stats, cfg.algorithm(),
                new double[]{(s1 - s0) / 1e9, (s2 - s1) / 1e9, (s3 - s2) / 1e9, (s4 - s3) / 1e9});
    }

    private void evaluate(Path metrics) throws IOException {
        if (evalSplits.isEmpty()) return;
        var settings = GenerationSetting.parse(String.join(",", cfg.eval().settings()), cfg.eval().maxTokens());
        for (Map.Entry<String, List<Sample>> split : evalSplits.entrySet()) {
            List<EvalResult> results = new Evaluator(policy, tok).evaluate(split.getKey(), split.getValue(), settings, cfg.seed(), cfg.eval().batchSize(), log);
            for (EvalResult r : results) {
                Map<String, Object> rec = new LinkedHashMap<>();
                rec.put("generation_step", step);
                rec.put("epoch", (double) step / dataFlow.batchesPerEpoch());
                rec.putAll(r.toRecord(null, split.getKey(), cfg.seed()));
                rec.remove("checkpoint");
                JsonLines.append(metrics, rec);
            }
            Map<String, Object> where = new LinkedHashMap<>();                  // in this order, so the file is the same bytes each run
            where.put("generation_step", step);
            where.put("epoch", (double) step / dataFlow.batchesPerEpoch());
            SampleLog.appendEvaluation(out.resolve("samples.jsonl"), where, split.getKey(), split.getValue(), results);
            if (log != null) log.println(split.getKey() + ", generation step " + step + ":\n" + EvalResult.table(results));
            if (cfg.train().keepBest()) dev.jaye.rl.KeepBest.offer(out, evalSplits.keySet(), split.getKey(), results,
                    Map.of("generation_step", step), policy, tok, log);
        }
    }

    /** Writes checkpoints/step-N atomically file by file, then points checkpoints/latest at it. */
    private Path checkpoint() throws IOException {
        Path dir = out.resolve("checkpoints").resolve(String.format(Locale.ROOT, "step-%06d", step));
        RunFolder.requireFinite(policy.stateDict(), opt.state(), "generation step " + step, dir, lastCheckpoint);   // a good checkpoint is all finite
        Checkpoint.save(dir, policy, tok);
        SafeTensors.write(dir.resolve("optimizer.safetensors"), opt.state(), Map.of());
        ObjectNode s = new ObjectMapper().createObjectNode().put("generation_step", step)
                .put("epoch_correct", epochCorrect).put("epoch_responses", epochResponses);
        AtomicFiles.writeString(dir.resolve("trainer.json"), s.toString());
        AtomicFiles.writeString(out.resolve("checkpoints/latest"), dir.getFileName().toString());
        Checkpoint.keepNewest(out.resolve("checkpoints"), cfg.train().keepCheckpoints());
        return dir;
    }

    private void progress(Map<String, Object> rec, Progress.StepClock clock) {
        if (log == null) return;
        double perStep = clock.perStep(step);
        log.printf(Locale.ROOT, "\rrl [%s] step %d/%d reward %.3f acc %.1f%% len %.0f %.1fs/step ETA %s   ",
                Progress.bar(step, totalSteps, 24), step, totalSteps, (double) rec.get("reward"),
                100 * (double) rec.get("accuracy"), (double) rec.get("mean_response_length"), perStep,
                Progress.eta(perStep * (totalSteps - step)));
        log.flush();
    }
}
