// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.sft;

import dev.jaye.rl.config.Checks;
import dev.jaye.rl.config.Configs;

import java.util.List;

/**
 * Everything an SFT run needs, as read from YAML (snake_case keys; see configs/sft-*.yaml). Every
 * key must be present: a recipe file states all its choices, and the resolved config is written
 * next to the run's outputs. The keys added after the first runs (in {@link Configs.AddedLater}
 * below) have the value those runs meant.
 */
@Configs.AddedLater("{train: {keep_checkpoints: 0, keep_best: false}, data: {fields: null}}")
public record SftConfig(long seed, Model model, Data data, Train train, Eval eval, String out) {

    /**
     * @param init           a model folder to start from, or null for a fresh model of {@code preset}
     * @param preset         nano, tiny or small (used when init is null)
     * @param trainTokenizer when fresh: train a byte-level BPE tokenizer on the training text (else bytes only)
     */
    public record Model(String init, String preset, boolean trainTokenizer) {}

    /** A dataset folder (jaye data generate), the split to train on and the splits evaluated after every epoch. */
    /**
     * @param fields which JSON keys hold the question, answer, image (and id, solution, family: null
     *               where the files have none); null reads jaye's and the MAYE release's layouts,
     *               detected line by line. E.g. {@code fields: {id: null, question: prompt,
     *               answer: label, solution: null, image: img, family: null}}.
     */
    public record Data(String dir, String trainSplit, List<String> evalSplits, int limit, dev.jaye.eval.data.FieldMap fields) {}

    /**
     * @param answerOnlySteps steps at the start with loss on the boxed answer's tokens only
     *                        (docs/nano-recipe.md: without them a fresh model ignores the image)
     * @param checkpointEvery steps between checkpoints (0: only at the end)
     * @param keepCheckpoints the newest N checkpoints stay in checkpoints/, older ones are deleted (0: keep all)
     * @param keepBest        also keep the model with the best validation accuracy in best/ ({@link dev.jaye.models.io.BestModel})
     */
    public record Train(int epochs, int batchSize, double lr, double minLr, int warmupSteps, double weightDecay,
                        double clipGradNorm, int gradientAccumulationSteps, int answerOnlySteps,
                        boolean trainVit, boolean trainConnector, boolean trainLlm, int checkpointEvery, int keepCheckpoints,
                        boolean keepBest, int logEvery) {}

    /** Evaluation of data.eval_splits at the end of every epoch: setting names as in jaye eval (empty: none). */
    public record Eval(List<String> settings, int limit, int maxTokens, int batchSize) {}

    /** The same run, writing to {@code out}: a resumed run writes where its folder is now, not where it was started. */
    public SftConfig withOut(String out) {
        return new SftConfig(seed, model, data, train, eval, out);
    }

    /** Checks values that YAML cannot, all before the first step: each problem names its key. */
    public SftConfig validate() {
        StringBuilder e = new StringBuilder();
        if (train.keepCheckpoints() < 0) e.append("; train.keep_checkpoints must be >= 0 (0 = keep all)");
        if (model.init() == null && model.preset() == null) e.append("; model.init or model.preset is needed");
        if (data.dir() == null) e.append("; data.dir is needed");
        if (train.epochs() < 1) e.append("; train.epochs must be >= 1");
        if (train.batchSize() < 1) e.append("; train.batch_size must be >= 1");
        if (train.gradientAccumulationSteps() < 1 || train.batchSize() % train.gradientAccumulationSteps() != 0)
            e.append("; train.gradient_accumulation_steps must divide train.batch_size");
        Checks.positive(e, "train.lr", train.lr());
        if (train.minLr() < 0 || train.minLr() > train.lr()) e.append("; train.min_lr must be in [0, train.lr]");
        if (train.warmupSteps() < 0) e.append("; train.warmup_steps must be >= 0");
        Checks.nonNegative(e, "train.weight_decay", train.weightDecay());
        Checks.nonNegative(e, "train.clip_grad_norm (0 = no clipping)", train.clipGradNorm());
        Checks.atLeast(e, "train.checkpoint_every (0 = only at the end)", train.checkpointEvery(), 0);
        Checks.atLeast(e, "train.answer_only_steps", train.answerOnlySteps(), 0);
        Checks.atLeast(e, "data.limit (0 = the whole split)", data.limit(), 0);
        Checks.eval(e, eval.settings(), eval.maxTokens(), eval.batchSize(), eval.limit());
        if (train.logEvery() < 1) e.append("; train.log_every must be >= 1");
        if (!train.trainVit() && !train.trainConnector() && !train.trainLlm()) e.append("; nothing to train: train_vit, train_connector and train_llm are all false");
        if (out == null) e.append("; out is needed");
        if (!e.isEmpty()) throw new IllegalArgumentException("invalid SFT config: " + e.substring(2));
        return this;
    }
}
