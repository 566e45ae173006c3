// SPDX-License-Identifier: Apache-2.0
/**
 * The RL loop of docs/method.md, one file per step. Read in this order:
 *
 * <ol>
 *   <li>{@link dev.jaye.rl.loop.RlTrainer#run}: the loop; {@code generationStep()} makes the four calls.</li>
 *   <li>{@link dev.jaye.rl.loop.DataFlow} (I): which queries, processed into pixels and prompt ids ({@link dev.jaye.rl.loop.Query}).</li>
 *   <li>{@link dev.jaye.rl.loop.ResponseCollection} (II): the policy samples num_samples responses per query.</li>
 *   <li>{@link dev.jaye.rl.loop.TrajectoryGeneration} (III): old and reference log-probs, rewards: a
 *       {@link dev.jaye.rl.loop.Trajectory} per response.</li>
 *   <li>{@link dev.jaye.rl.loop.PolicyUpdate} (IV): advantages ({@link dev.jaye.rl.algo.Advantages},
 *       {@link dev.jaye.rl.algo.Normalization}), then PPO mini-batches of {@link dev.jaye.rl.algo.PolicyLoss}.</li>
 * </ol>
 * The rewards are in {@link dev.jaye.rl.reward}; what gets logged per step is {@code StepMetrics},
 * and train.dump_tokens writes {@code TokenDump}. {@link dev.jaye.rl.loop.RlConfig} documents every key.
 * Last, and only for a run across machines ({@code jaye rl --master}): {@link dev.jaye.rl.loop.Spread}
 * moves steps II-IV's rows elsewhere without changing a number, and {@link dev.jaye.rl.loop.SpreadWorker}
 * is the other machine's side.
 */
package dev.jaye.rl.loop;
