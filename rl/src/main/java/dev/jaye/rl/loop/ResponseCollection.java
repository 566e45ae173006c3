// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.loop;

import dev.jaye.eval.Evaluator;
import dev.jaye.models.generate.Generator;
import dev.jaye.models.processor.Processor;
import dev.jaye.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Step II of the method, response collection: the current policy samples {@code numSamples}
 * responses to every query (a group, which the group estimators compare), with temperature and
 * top-p, up to {@code maxTokens}, stopping at end-of-sequence.
 *
 * <p>All batch_size x num_samples rows go through the {@link Generator} as one left-padded
 * batch: row q·n + j is draw j of query q. Each row has its own seed, a function of (seed,
 * generation step, query position in the batch, draw) only, so a resumed run draws exactly what
 * the uninterrupted one would have.
 *
 * <p>Each response comes back with the log-probability the policy gave each of its tokens as it
 * sampled them; step III recomputes them, and the two must agree (one engine does both).
 */
public final class ResponseCollection {
    private final Generator generator;
    private final RlConfig.Rollout cfg;
    private final long seed;
    private final boolean stopAtEos;

    public ResponseCollection(Generator generator, RlConfig.Rollout cfg, long seed) {
        this(generator, cfg, seed, true);
    }

    private ResponseCollection(Generator generator, RlConfig.Rollout cfg, long seed, boolean stopAtEos) {
        this.generator = generator;
        this.cfg = cfg;
        this.seed = seed;
        this.stopAtEos = stopAtEos;
    }

    /** The same collection with every response max_tokens long ({@code <eos>} does not stop a row): benchmarks need fixed work. */
    public ResponseCollection fixedLength() {
        return new ResponseCollection(generator, cfg, seed, false);
    }

    /** Responses to {@code queries}, numSamples per query, grouped by query: row q·n + j. */
    public List<Generator.Response> collect(List<Query> queries, int generationStep) {
        return collect(queries, generationStep, 0, queries.size() * cfg.numSamples());
    }

    /**
     * Rows {@code from} (inclusive) to {@code to} of the whole batch's responses, each exactly
     * as {@link #collect(List, int)} makes it: a row keeps its own seed and is left-padded to the
     * whole batch's width (the padding a row gets changes its softmax sums in the last bits; the
     * rows beside it do not). A cluster splits step II this way; SpreadTest holds it to that.
     */
    public List<Generator.Response> collect(List<Query> queries, int generationStep, int from, int to) {
        int n = cfg.numSamples(), width = 0;
        for (Query q : queries) width = Math.max(width, q.promptIds().length);
        List<int[]> rows = new ArrayList<>(to - from);
        List<Tensor> pixels = new ArrayList<>(to - from);
        long[] seeds = new long[to - from];
        long stepSeed = seed * 1_000_003L + generationStep;
        for (int r = from; r < to; r++) {
            Query q = queries.get(r / n);
            seeds[r - from] = Evaluator.rowSeed(stepSeed, "rollout", r / n, r % n);
            rows.add(q.promptIds());
            pixels.add(q.pixels());
        }
        var settings = Generator.Settings.sampling(cfg.temperature(), cfg.topP(), cfg.maxTokens(), stepSeed).withStopAtEos(stopAtEos);
        return generator.generate(Processor.pad(rows, pixels, true, width), settings, seeds);
    }
}
