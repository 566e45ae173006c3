// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.loop;

import dev.jaye.models.Vlm;
import dev.jaye.models.io.Checkpoint;
import dev.jaye.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layer a cluster puts around the four steps, without the cluster: an in-process Spread with
 * two workers (each its own copy of the policy, built from the config as an executor builds it),
 * everything sent between them through Java serialization as Spark sends it. A run through it
 * must equal the run without, bit for bit; the cluster module's tests do the same on Spark.
 */
class SpreadTest {
    @TempDir
    static Path dir;
    static RlFixture fx;

    @BeforeAll
    static void setUp() throws IOException {
        fx = new RlFixture(dir, List.of("count_total", "count_color_kind", "boxes_apples"));   // prompts of several lengths
    }

    /** The fixture's run (two mini-batches per step, old log-probs from step III, both KL terms). */
    @Test
    void aRunSpreadOverTwoWorkersEqualsTheRunHere() throws IOException {
        RlConfig cfg = fx.config("here", RlFixture.reinforcePP(), List.of("accuracy", "penalty"), 3, 1e-3);
        assertFalse(cfg.oldLogProbsFromTheUpdate());
        assertSame(cfg, "a");
    }

    /** The shipped recipe's shape: one mini-batch, old log-probs from the update's forward, the KL loss only. */
    @Test
    void aRunInTheRecipesShapeSpreadOverTwoWorkersEqualsTheRunHere() throws IOException {
        RlConfig base = fx.config("here", RlFixture.reinforcePP(), List.of("accuracy", "penalty"), 3, 1e-3);
        RlConfig.Algorithm a = base.algorithm();
        RlConfig.Train t = base.train();
        RlConfig cfg = new RlConfig(base.seed(), base.model(), base.data(), base.rollout(),
                new RlConfig.Algorithm(a.estimator(), a.gamma(), a.normalize(), a.normalizeStd(), a.keepMean(), 0.0, a.klLossCoeff(),
                        a.epsilonLow(), a.epsilonHigh(), a.lossAgg()),
                base.reward(),
                new RlConfig.Train(t.epochs(), t.maxGenerationSteps(), base.rollout().batchSize(), t.ppoEpochs(), 4, t.lr(), t.minLr(),
                        t.warmupSteps(), t.weightDecay(), t.clipGradNorm(), t.trainVit(), t.trainConnector(), t.trainLlm(),
                        t.checkpointEvery(), t.keepCheckpoints(), t.keepBest(), t.dumpTokens()),
                base.eval(), base.out());
        assertTrue(cfg.oldLogProbsFromTheUpdate());
        assertSame(cfg, "b");
    }

    /**
     * Steps II and III over parts of a batch give each row what the whole batch gives it, bit for
     * bit, when the parts' own prompts are shorter than the batch's longest (so a part padded only
     * to its own width would shift its rows' keys in the softmax sums).
     */
    @Test
    void partsOfABatchGiveEachRowWhatTheWholeBatchGivesIt() throws IOException {
        var start = Checkpoint.load(fx.init);
        Vlm m = start.model();
        var p = new dev.jaye.models.processor.Processor(start.tokenizer(),
                new dev.jaye.models.processor.ImageProcessor(m.config.vision().imageSize()), m.config.imageTokens());
        var samples = dev.jaye.eval.data.DatasetReader.load(fx.data.resolve("train.jsonl")).samples();
        String[] questions = {"How many?", "Count.", "How many shapes are there in this picture, all colours and kinds together, please?", "Hm?"};
        List<Query> queries = new ArrayList<>();
        for (int i = 0; i < questions.length; i++)
            queries.add(new Query(i, samples.get(i), p.images().load(samples.get(i).image()), p.promptIds(questions[i])));
        var rollout = new RlConfig.Rollout(4, 3, 1.0, 1.0, 10, 3);     // 12 rows, forward batches of 3
        var collection = new ResponseCollection(new dev.jaye.models.generate.Generator(m, p), rollout, 5);
        var build = new TrajectoryGeneration(m, m, dev.jaye.rl.reward.Rewards.of(List.of("accuracy"),
                dev.jaye.rl.reward.RewardSettings.defaults()), 3);
        List<Trajectory> whole = build.build(queries, collection.collect(queries, 2));
        for (int[] part : List.of(new int[]{0, 6}, new int[]{9, 12}, new int[]{3, 9})) {   // rows of queries 0-1, 3 and 1-2
            List<Trajectory> got = build.build(queries, 3, part[0], collection.collect(queries, 2, part[0], part[1]));
            for (int r = part[0]; r < part[1]; r++) {
                Trajectory a = whole.get(r), b = got.get(r - part[0]);
                assertEquals(a.group(), b.group());
                assertArrayEquals(a.response(), b.response(), "row " + r);
                assertArrayEquals(a.rolloutLogProbs(), b.rolloutLogProbs(), "row " + r);
                assertArrayEquals(a.oldLogProbs(), b.oldLogProbs(), "row " + r);
                assertArrayEquals(a.refLogProbs(), b.refLogProbs(), "row " + r);
            }
        }
    }

    /** A machine whose kernels sum in another order than the driver's refuses the work, naming both. */
    @Test
    void otherKernelsAreRefused() {
        String mine = dev.jaye.tensor.kernels.Simd.numerics();
        SpreadWorker.requireKernels(mine);
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> SpreadWorker.requireKernels("scalar reference kernels"));
        assertTrue(e.getMessage().contains(mine) && e.getMessage().contains("scalar reference") && e.getMessage().contains("-Djaye.simd=false"), e.getMessage());
    }

    /** Row parts cover the batch in order, each starting at a whole forward batch, at most one per worker, as even as whole forward batches allow. */
    @Test
    void rowPartsCutAtForwardBatches() {
        assertEquals("[0, 24] [24, 32]", show(SpreadWorker.rowParts(32, 12, 2)));
        assertEquals("[0, 64] [64, 128]", show(SpreadWorker.rowParts(128, 64, 2)));
        assertEquals("[0, 128]", show(SpreadWorker.rowParts(128, 64, 1)));
        assertEquals("[0, 10]", show(SpreadWorker.rowParts(10, 64, 4)));
        for (int rows = 1; rows <= 40; rows++)
            for (int fbs = 1; fbs <= 12; fbs++)
                for (int w = 1; w <= 5; w++) {
                    List<int[]> parts = SpreadWorker.rowParts(rows, fbs, w);
                    int at = 0, least = Integer.MAX_VALUE, most = 0;
                    for (int[] p : parts) {
                        assertEquals(at, p[0]);
                        assertEquals(0, p[0] % fbs);
                        assertTrue(p[1] > p[0]);
                        int chunks = (p[1] - p[0] + fbs - 1) / fbs;
                        least = Math.min(least, chunks);
                        most = Math.max(most, chunks);
                        at = p[1];
                    }
                    assertEquals(rows, at);
                    assertEquals(Math.min(w, (rows + fbs - 1) / fbs), parts.size());
                    assertTrue(most - least <= 1, rows + " rows, " + fbs + ", " + w + ": " + show(parts));
                }
    }

    private static String show(List<int[]> parts) {
        return String.join(" ", parts.stream().map(java.util.Arrays::toString).toList());
    }

    private static void assertSame(RlConfig cfg, String name) throws IOException {
        RlTrainer here = RlTrainer.start(cfg.withOut(dir.resolve(name + "-here").toString()));
        here.quiet();
        here.run();
        RlTrainer spread = RlTrainer.start(cfg.withOut(dir.resolve(name + "-spread").toString()));
        spread.quiet();
        int[] calls = new int[2];
        spread.spreadOver((master, c, policy, version) -> new InProcess(c, policy, version, calls), "in-process");
        spread.run();
        assertTrue(calls[0] > 0 && calls[1] > 0, "both layers were used: " + calls[0] + " rollout parts, " + calls[1] + " backward passes");

        Map<String, ?> a = Checkpoint.load(dir.resolve(name + "-here/model")).model().stateDict();
        Map<String, Tensor> b = Checkpoint.load(dir.resolve(name + "-spread/model")).model().stateDict();
        for (String k : a.keySet()) assertArrayEquals(((Tensor) a.get(k)).data(), b.get(k).data(), k);
        assertFalse(java.util.Arrays.equals(((Tensor) a.get("lm.embed.weight")).data(), Checkpoint.load(fx.init).model().stateDict().get("lm.embed.weight").data()),
                "the tied embedding moved (it takes two gradient contributions per pass)");
        List<String> x = withoutTimes(dir.resolve(name + "-here")), y = withoutTimes(dir.resolve(name + "-spread"));
        assertEquals(x.size(), y.size());
        for (int i = 0; i < x.size(); i++) {
            var p = new com.fasterxml.jackson.databind.ObjectMapper().readTree(x.get(i));
            var q = new com.fasterxml.jackson.databind.ObjectMapper().readTree(y.get(i));
            List<String> differ = new ArrayList<>();
            p.fieldNames().forEachRemaining(k -> { if (!p.get(k).equals(q.get(k))) differ.add(k + ": " + p.get(k) + " vs " + q.get(k)); });
            assertEquals(List.of(), differ, "metrics.jsonl line " + (i + 1));
        }
    }

    private static List<String> withoutTimes(Path run) throws IOException {
        return Files.readAllLines(run.resolve("metrics.jsonl")).stream()
                .map(l -> l.replaceAll("\"(time/[a-z]+|[a-z_]*tokens_per_s|seconds)\":[0-9.eE+-]+,?", "")).toList();
    }

    /** Round trip through Java serialization: what travels between machines must survive it. */
    @SuppressWarnings("unchecked")
    static <T> T sent(T x) {
        try {
            var bytes = new ByteArrayOutputStream();
            try (var o = new ObjectOutputStream(bytes)) {
                o.writeObject(x);
            }
            try (var i = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                return (T) i.readObject();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Two workers in this process, parts dealt round-robin. */
    static final class InProcess implements Spread {
        final RlConfig cfg;
        final Vlm policy;
        final IntSupplier version;
        final List<SpreadWorker> workers = new ArrayList<>();
        final int[] calls;

        InProcess(RlConfig cfg, Vlm policy, IntSupplier version, int[] calls) {
            this.cfg = cfg;
            this.policy = policy;
            this.version = version;
            this.calls = calls;
            try {
                for (int w = 0; w < 2; w++) workers.add(SpreadWorker.of(sent(dev.jaye.rl.config.Configs.toYaml(cfg))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private SpreadWorker worker(int i) {
            SpreadWorker w = workers.get(i % workers.size());
            w.weights(version.getAsInt(), sent(SpreadWorker.weightsOf(policy)));
            return w;
        }

        @Override
        public Rolled rollout(int step, List<Query> queries) throws IOException {
            int rows = queries.size() * cfg.rollout().numSamples();
            List<SpreadWorker.Rolled> done = new ArrayList<>();
            List<int[]> parts = SpreadWorker.rowParts(rows, cfg.rollout().forwardBatchSize(), workers.size());
            for (int p = 0; p < parts.size(); p++) {
                done.add(sent(worker(p).rollout(step, parts.get(p)[0], parts.get(p)[1])));
                calls[0]++;
            }
            return SpreadWorker.assemble(queries, done);
        }

        @Override
        public PolicyUpdate.Backwards backwards() {
            return (update, step, batch, adv, parts, normaliser) -> {
                List<PolicyUpdate.Backward> out = new ArrayList<>();
                for (int p = 0; p < parts.size(); p++) {
                    try {
                        out.add(sent(worker(p).backward(step, sent(SpreadWorker.Job.of(batch, adv, parts.get(p))), normaliser)));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    calls[1]++;
                }
                return out;
            };
        }

        @Override
        public void close() {}
    }
}
