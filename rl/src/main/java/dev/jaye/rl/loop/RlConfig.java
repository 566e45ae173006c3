// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.loop;

import dev.jaye.rl.algo.Estimator;
import dev.jaye.rl.algo.Scope;
import dev.jaye.rl.config.Checks;

import java.util.List;

/**
 * Everything an RL run needs, as read from YAML (snake_case keys; see configs/rl-*.yaml). Every
 * key must be present, so a recipe file states all its choices; the resolved config is written
 * next to the run's outputs. The batch terms are the method's (docs/method.md, "Terms"). The keys
 * added after the first runs (in {@code AddedLater} below) have the value those runs meant.
 */
@dev.jaye.rl.config.Configs.AddedLater("{train: {keep_checkpoints: 0, keep_best: false}, data: {fields: null}, algorithm: {drop_zero_spread: false}}")
public record RlConfig(long seed, Model model, Data data, Rollout rollout, Algorithm algorithm, Reward reward,
                       Train train, Eval eval, String out) {

    /** @param init the checkpoint folder to start from: the starting policy and, frozen, the reference model */
    public record Model(String init) {}

    /** A dataset folder (jaye data generate), the split to train on, the splits evaluated, and a cap on the training split (0: all). */
    /**
     * @param fields which JSON keys hold the question, answer, image (and id, solution, family: null
     *               where the files have none); null reads jaye's and the MAYE release's layouts,
     *               detected line by line. E.g. {@code fields: {id: null, question: prompt,
     *               answer: label, solution: null, image: img, family: null}}.
     */
    public record Data(String dir, String trainSplit, List<String> evalSplits, int limit, dev.jaye.eval.data.FieldMap fields) {}

    /**
     * Steps I-III. {@code batchSize} queries per generation step, {@code numSamples} responses to
     * each (a group), sampled at {@code temperature} / {@code topP} up to {@code maxTokens};
     * log-probs computed {@code forwardBatchSize} query-responses at a time.
     */
    public record Rollout(int batchSize, int numSamples, double temperature, double topP, int maxTokens, int forwardBatchSize) {}

    /**
     * Step IV's switches.
     *
     * @param estimator      reinforce_pp, grpo, dr_grpo or rloo
     * @param gamma          Reinforce++'s discount of the token-level returns
     * @param normalize      where advantages are normalised: batch, group or none
     * @param normalizeStd   divide by the standard deviation too (false: only subtract the mean)
     * @param keepMean       the reference code's whitening: add the mean back after normalising
     * @param klRewardCoeff  the KL to the reference folded into the per-token reward (Reinforce++ only)
     * @param klLossCoeff    weight of the k3 KL penalty in the loss
     * @param epsilonLow     the PPO clip below: a token's ratio is clipped at 1 - epsilon_low
     * @param epsilonHigh    the PPO clip above, 1 + epsilon_high; DAPO's "clip-higher" sets it above epsilon_low
     *                       (0.28 against 0.2) so that unlikely tokens with a positive advantage can grow more.
     *                       Clipping acts only once the policy has moved during an update (ppo_epochs > 1 or
     *                       several mini-batches): in a one-pass on-policy update the ratio is exactly 1.
     * @param lossAgg        token_mean (over all valid tokens of the mini-batch) or seq_mean (per response, then over responses)
     * @param dropZeroSpread leave out of step IV every group whose responses all scored the same (all right or all
     *                       wrong), as DAPO's dynamic sampling does: such a group carries no information on which of
     *                       its answers is better. The other groups' advantages are normalised among themselves and the
     *                       loss is averaged over their tokens only; a mini-batch left with no group makes no step.
     */
    public record Algorithm(String estimator, double gamma, String normalize, boolean normalizeStd, boolean keepMean,
                            double klRewardCoeff, double klLossCoeff, double epsilonLow, double epsilonHigh, String lossAgg,
                            boolean dropZeroSpread) {
        /** The switches without drop_zero_spread (off), as most tests and benchmarks want them. */
        public Algorithm(String estimator, double gamma, String normalize, boolean normalizeStd, boolean keepMean,
                         double klRewardCoeff, double klLossCoeff, double epsilonLow, double epsilonHigh, String lossAgg) {
            this(estimator, gamma, normalize, normalizeStd, keepMean, klRewardCoeff, klLossCoeff, epsilonLow, epsilonHigh, lossAgg, false);
        }

        public Estimator estimatorKind() { return Estimator.parse(estimator); }
        public Scope scope() { return Scope.parse(normalize); }
        public boolean tokenMean() { return lossAgg.equals("token_mean"); }
    }

    /**
     * @param names             the rewards summed into a response's score: built-ins (accuracy, language, penalty, format)
     *                          or fully qualified names of classes implementing dev.jaye.rl.reward.Reward
     * @param rewardPenalty     the penalty reward for a response without end-of-sequence or shorter than minResponseLength
     * @param languagePenalty   the language reward of a response with letters outside the expected language
     * @param formatReward      the format reward of a response with exactly one final \boxed{}
     */
    public record Reward(List<String> names, double rewardPenalty, int minResponseLength, double languagePenalty, double formatReward) {}

    /**
     * @param epochs                     passes over the training queries
     * @param maxGenerationSteps         stop after this many generation steps (0: run all epochs)
     * @param ppoBatchSize               queries per optimiser step: batch_size / ppo_batch_size steps per ppo epoch
     * @param ppoEpochs                  passes over one batch of trajectories
     * @param gradientAccumulationSteps  backward passes per optimiser step (ppo_backward_batch_size = ppo_batch_size / this)
     * @param warmupSteps                optimiser steps of linear warm-up, then cosine decay to minLr
     * @param checkpointEvery            generation steps between checkpoints (0: only at the end)
     * @param keepCheckpoints            the newest N checkpoints stay in checkpoints/, older ones are deleted (0: keep all)
     * @param keepBest                   also keep the policy with the best validation accuracy in best/ ({@link dev.jaye.models.io.BestModel})
     * @param dumpTokens                 write every response's tokens with advantage, ratio, clip flag, KL and entropy to tokens.jsonl
     */
    public record Train(int epochs, int maxGenerationSteps, int ppoBatchSize, int ppoEpochs, int gradientAccumulationSteps,
                        double lr, double minLr, int warmupSteps, double weightDecay, double clipGradNorm,
                        boolean trainVit, boolean trainConnector, boolean trainLlm, int checkpointEvery, int keepCheckpoints,
                        boolean keepBest, boolean dumpTokens) {}

    /**
     * Validation and test under the method's generation settings, after every epoch, and also
     * every {@code everySteps} generation steps (0: per epoch only) and before the first step
     * when {@code atStart} (the starting point of the learning curve).
     */
    public record Eval(List<String> settings, int limit, int maxTokens, int batchSize, int everySteps, boolean atStart) {}

    /**
     * True when step IV is one on-policy pass: one ppo epoch over one mini-batch holding the whole
     * batch, and no KL in the reward. The policy has not changed when step IV's forward runs, so
     * that forward's log-probs are the old log-probs, to the bit (OnPolicyOldLogProbsTest): step
     * III does not compute them a second time (a fifth of a quickstart step's work), step IV takes
     * them from its own forward, and the PPO ratio is exactly 1 (TRL does the same with
     * num_iterations = 1). With kl_reward_coeff > 0 the advantages need the old log-probs before
     * step IV, so step III computes them.
     */
    public boolean oldLogProbsFromTheUpdate() {
        return oldLogProbsFromTheUpdate(rollout, algorithm, train);
    }

    /** {@link #oldLogProbsFromTheUpdate()} for the three sections it depends on. */
    public static boolean oldLogProbsFromTheUpdate(Rollout rollout, Algorithm algorithm, Train train) {
        return train.ppoEpochs() == 1 && train.ppoBatchSize() == rollout.batchSize() && algorithm.klRewardCoeff() == 0;
    }

    /** The same run, writing to {@code out}: a resumed run writes where its folder is now, not where it was started. */
    public RlConfig withOut(String out) {
        return new RlConfig(seed, model, data, rollout, algorithm, reward, train, eval, out);
    }

    /** Checks what YAML cannot, all before the first step; each problem names its key. */
    public RlConfig validate() {
        StringBuilder e = new StringBuilder();
        if (model.init() == null) e.append("; model.init is needed (a checkpoint folder: RL starts from a warm-up model)");
        if (data.dir() == null) e.append("; data.dir is needed");
        if (rollout.batchSize() < 1) e.append("; rollout.batch_size must be >= 1");
        if (rollout.numSamples() < 1) e.append("; rollout.num_samples must be >= 1");
        if (!(rollout.topP() > 0 && rollout.topP() <= 1)) e.append("; rollout.top_p must be in (0, 1]");
        if (rollout.maxTokens() < 1) e.append("; rollout.max_tokens must be >= 1");
        if (rollout.forwardBatchSize() < 1) e.append("; rollout.forward_batch_size must be >= 1");
        try {
            algorithm.estimatorKind();
        } catch (IllegalArgumentException x) {
            e.append("; algorithm.estimator: ").append(x.getMessage());
        }
        try {
            algorithm.scope();
        } catch (IllegalArgumentException x) {
            e.append("; algorithm.normalize: ").append(x.getMessage());
        }
        if (!List.of("token_mean", "seq_mean").contains(algorithm.lossAgg())) e.append("; algorithm.loss_agg must be token_mean or seq_mean, got '").append(algorithm.lossAgg()).append("'");
        if (!(algorithm.gamma() >= 0 && algorithm.gamma() <= 1)) e.append("; algorithm.gamma must be in [0, 1]");
        if (!(algorithm.epsilonLow() >= 0 && algorithm.epsilonLow() < 1)) e.append("; algorithm.epsilon_low must be in [0, 1)");
        if (algorithm.klLossCoeff() < 0 || algorithm.klRewardCoeff() < 0) e.append("; algorithm.kl_loss_coeff and kl_reward_coeff must be >= 0");
        if (reward.names() == null || reward.names().isEmpty()) e.append("; reward.names must name at least one reward");
        if (train.epochs() < 1) e.append("; train.epochs must be >= 1");
        if (train.maxGenerationSteps() < 0) e.append("; train.max_generation_steps must be >= 0");
        if (train.ppoBatchSize() < 1 || rollout.batchSize() % train.ppoBatchSize() != 0)
            e.append("; train.ppo_batch_size must divide rollout.batch_size");
        if (train.ppoEpochs() < 1) e.append("; train.ppo_epochs must be >= 1");
        if (train.gradientAccumulationSteps() < 1 || (train.ppoBatchSize() * rollout.numSamples()) % train.gradientAccumulationSteps() != 0)
            e.append("; train.gradient_accumulation_steps must divide ppo_batch_size x num_samples");
        Checks.positive(e, "train.lr", train.lr());
        if (train.minLr() < 0 || train.minLr() > train.lr()) e.append("; train.min_lr must be in [0, train.lr]");
        if (train.warmupSteps() < 0) e.append("; train.warmup_steps must be >= 0");
        Checks.nonNegative(e, "train.weight_decay", train.weightDecay());
        Checks.nonNegative(e, "train.clip_grad_norm (0 = no clipping)", train.clipGradNorm());
        Checks.atLeast(e, "train.checkpoint_every (0 = only at the end)", train.checkpointEvery(), 0);
        Checks.atLeast(e, "data.limit (0 = the whole split)", data.limit(), 0);
        Checks.finite(e, "algorithm.kl_loss_coeff", algorithm.klLossCoeff());
        Checks.finite(e, "algorithm.kl_reward_coeff", algorithm.klRewardCoeff());
        Checks.nonNegative(e, "algorithm.epsilon_high", algorithm.epsilonHigh());
        Checks.nonNegative(e, "rollout.temperature", rollout.temperature());
        Checks.finite(e, "reward.reward_penalty", reward.rewardPenalty());
        Checks.finite(e, "reward.language_penalty", reward.languagePenalty());
        Checks.finite(e, "reward.format_reward", reward.formatReward());
        Checks.atLeast(e, "reward.min_response_length", reward.minResponseLength(), 0);
        Checks.eval(e, eval.settings(), eval.maxTokens(), eval.batchSize(), eval.limit());
        if (!train.trainVit() && !train.trainConnector() && !train.trainLlm()) e.append("; nothing to train: train_vit, train_connector and train_llm are all false");
        if (eval.everySteps() < 0) e.append("; eval.every_steps must be >= 0");
        if (train.keepCheckpoints() < 0) e.append("; train.keep_checkpoints must be >= 0 (0 = keep all)");
        if (out == null) e.append("; out is needed");
        if (!e.isEmpty()) throw new IllegalArgumentException("invalid RL config: " + e.substring(2));
        return this;
    }
}
