// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.loop;

import dev.jaye.models.Vlm;

import java.io.IOException;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * One RL run across machines: where a generation step's per-row work runs when it is not here.
 * The four step files stay the definition of what is computed; a Spread only moves the work,
 * and a run with one equals the run without, bit for bit. The cluster module provides it on
 * Apache Spark (docs/cluster.md); without it nothing here changes.
 *
 * <ul>
 *   <li>{@link #rollout}: steps II and III, split by rows at multiples of forward_batch_size,
 *       each part on an executor ({@link ResponseCollection#collect(List, int, int, int)} then
 *       {@link TrajectoryGeneration#build(List, int, int, List)}), the trajectories sent back;</li>
 *   <li>{@link #backwards}: step IV's backward batches of a mini-batch, one per task
 *       ({@link PolicyUpdate#backwardRecorded}), their gradients summed here in one-machine
 *       order, then one optimiser step here.</li>
 * </ul>
 */
public interface Spread extends AutoCloseable {

    /** Steps II and III of the generation step {@code step} (0-based) for its {@code queries}, on the current weights. */
    Rolled rollout(int step, List<Query> queries) throws IOException;

    /** The trajectories in row order, and the longest part's seconds in step III (the rest of the call counts as step II). */
    record Rolled(List<Trajectory> trajectories, double stepThreeSeconds) {}

    /** Step IV's backward passes, run where this Spread runs them. */
    PolicyUpdate.Backwards backwards();

    @Override
    void close();

    /**
     * What the cluster module registers (java.util.ServiceLoader): a Spread for the run of
     * {@code cfg} on a Spark master. {@code weightsVersion} counts the optimiser steps taken, so
     * the policy's weights are sent again only when they have changed.
     */
    interface Provider {
        Spread open(String master, RlConfig cfg, Vlm policy, IntSupplier weightsVersion);
    }
}
