// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.loop;

import dev.jaye.eval.data.Sample;
import dev.jaye.models.processor.Processor;
import dev.jaye.rl.sft.SftTrainer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Step I of the method, data flow: which queries a generation step works on, and turning each
 * into model input through the processor (pixels; prompt ids from the one prompt template).
 *
 * <p>Epoch e visits the training split in a shuffled order seeded by (seed, e) alone, in batches
 * of {@code batchSize}; an incomplete last batch is dropped, so every generation step has the
 * same shape (and the number of optimiser steps per generation step is fixed). Images are read
 * when their batch comes, not all at the start: a large split costs no memory.
 */
public final class DataFlow {
    private final List<Sample> samples;
    private final Processor processor;
    private final long seed;
    private final int batchSize;

    public DataFlow(List<Sample> samples, Processor processor, long seed, int batchSize) {
        batchesPerEpoch(samples.size(), batchSize);
        this.samples = samples;
        this.processor = processor;
        this.seed = seed;
        this.batchSize = batchSize;
    }

    /** Generation steps in one epoch. */
    public int batchesPerEpoch() {
        return samples.size() / batchSize;
    }

    /** Generation steps in one epoch of {@code samples} queries; refused when there is not one batch. */
    public static int batchesPerEpoch(int samples, int batchSize) {
        if (samples < batchSize)
            throw new IllegalArgumentException("the training split has " + samples + " queries, fewer than rollout.batch_size " + batchSize);
        return samples / batchSize;
    }

    /** Batch {@code k} of epoch {@code epoch}, processed. */
    public List<Query> batch(int epoch, int k) throws IOException {
        int[] order = SftTrainer.order(seed, epoch, samples.size());
        List<Query> out = new ArrayList<>(batchSize);
        for (int i = k * batchSize; i < (k + 1) * batchSize; i++) {
            Sample s = samples.get(order[i]);
            out.add(new Query(order[i], s, processor.images().load(s.image()), processor.promptIds(s.question())));
        }
        return out;
    }
}
