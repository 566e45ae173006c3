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
        int n = cfg.numSamples();
        List<int[]> rows = new ArrayList<>(queries.size() * n);
        List<Tensor> pixels = new ArrayList<>(queries.size() * n);
        long[] seeds = new long[queries.size() * n];
        long stepSeed = seed * 1_000_003L + generationStep;
        for (int q = 0; q < queries.size(); q++)
            for (int j = 0; j < n; j++) {
                seeds[rows.size()] = Evaluator.rowSeed(stepSeed, "rollout", q, j);
                rows.add(queries.get(q).promptIds());
                pixels.add(queries.get(q).pixels());
            }
        var settings = Generator.Settings.sampling(cfg.temperature(), cfg.topP(), cfg.maxTokens(), stepSeed).withStopAtEos(stopAtEos);
        return generator.generate(Processor.pad(rows, pixels, true), settings, seeds);
    }
}
