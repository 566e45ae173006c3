// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.loop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jaye.models.Vlm;
import dev.jaye.models.generate.Generator;
import dev.jaye.models.io.Checkpoint;
import dev.jaye.models.processor.ImageProcessor;
import dev.jaye.models.processor.Processor;
import dev.jaye.models.tokenizer.Tokenizer;
import dev.jaye.rl.reward.RewardSettings;
import dev.jaye.rl.reward.Rewards;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RlTrainerTest {
    @TempDir
    static Path dir;
    static RlFixture fx;

    @BeforeAll
    static void setUp() throws IOException {
        fx = new RlFixture(dir);
    }

    /** The per-generation-step lines of a run's metrics.jsonl. */
    static List<JsonNode> steps(Path run) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            JsonNode n = new ObjectMapper().readTree(line);
            if (n.has("policy_loss")) out.add(n);
        }
        return out;
    }

    private static float[] weights(Path modelDir) throws IOException {
        return Checkpoint.load(modelDir).model().parameters().get("lm.layers.0.mlp.down.weight").value.data();
    }

    @Test
    void aResumedRunEndsWithTheSameWeightsAsAnUninterruptedOne() throws IOException {
        List<String> rewards = List.of("accuracy", "penalty");
        RlTrainer straight = RlTrainer.start(fx.config("straight", RlFixture.reinforcePP(), rewards, 4, 1e-3));
        straight.quiet();
        assertEquals(4, straight.run().generationSteps());

        RlTrainer first = RlTrainer.start(fx.config("resumed", RlFixture.reinforcePP(), rewards, 4, 1e-3));
        first.quiet();
        first.stopAtStep = 3;                                  // "Ctrl-C" after step 3, between checkpoints
        RlTrainer.Result stopped = first.run();
        assertTrue(stopped.interrupted());
        assertEquals("step-000003", Files.readString(dir.resolve("resumed/checkpoints/latest")).strip());
        // the folder moves before it is resumed: the run goes on where the folder is now
        Path moved = dir.resolve("resumed-moved");
        Files.move(dir.resolve("resumed"), moved);
        Path state = moved.resolve("checkpoints/step-000003/trainer.json");
        String good = Files.readString(state);
        Files.writeString(state, good.replace("\"generation_step\":3", "\"generation_step\":-5"));
        IOException tampered = assertThrows(IOException.class, () -> RlTrainer.resume(moved));
        assertTrue(tampered.getMessage().contains(state + ": \"generation_step\" must be an integer in [0, 4], got -5"), tampered.getMessage());
        Files.writeString(state, good);
        RlTrainer second = RlTrainer.resume(moved);
        second.quiet();
        assertEquals(4, second.run().generationSteps());
        assertFalse(Files.exists(dir.resolve("resumed")), "the old path was not re-created");
        IOException again = assertThrows(IOException.class, () -> RlTrainer.start(fx.config("straight", RlFixture.reinforcePP(), rewards, 4, 1e-3)));
        assertTrue(again.getMessage().contains("already holds a run"), again.getMessage());

        float[] a = weights(dir.resolve("straight/model")), b = weights(moved.resolve("model"));
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, weights(fx.init)), "the policy moved");
        List<JsonNode> s = steps(dir.resolve("straight"));
        assertEquals(4, s.size(), "one line per generation step");
        for (String key : List.of("reward", "reward/accuracy", "reward/penalty", "accuracy", "mean_response_length",
                "min_response_length", "max_response_length", "reflection_ratio", "correct_ratio_in_no_reflection_texts",
                "reflection_words/wait", "kl", "entropy", "clip_frac", "ratio", "grad_norm", "lr", "time/data", "time/generate",
                "time/trajectory", "time/update", "tokens_per_s", "zero_spread_groups", "logprob_gap_max"))
            assertTrue(s.get(0).has(key), "metrics.jsonl has " + key);
        // the same seeds draw the same responses: the resumed run's step 4 is the straight run's step 4
        assertEquals(s.get(3).get("reward").asDouble(), steps(moved).get(3).get("reward").asDouble());
        assertEquals(4, steps(moved).size(), "the resumed run's metrics hold each step once");
        List<String> samples = Files.readAllLines(moved.resolve("samples.jsonl"));
        assertEquals(4 * SampleLog.PER_STEP, samples.size(), "a few responses per step, each step once");
        assertTrue(samples.get(0).contains("\"generation_step\":1,") && samples.get(0).contains("\"response\":"), samples.get(0));
        assertTrue(Files.readString(dir.resolve("straight/config.yaml")).contains("ppo_batch_size: 4"));
    }

    /**
     * One engine: the log-probs generation reports while sampling are the old log-probs step III
     * recomputes, on a batch padded both ways: prompts of different lengths (left-padded for
     * generation) and responses of different lengths (right-padded for the recomputation).
     */
    @Test
    void generationLogProbsAreTheOldLogProbsOfStepThree() throws IOException {
        var start = Checkpoint.load(fx.init);
        Vlm m = start.model();
        // Make <eos> likely at about half the positions (tied head: a long <eos> row), so responses end at different lengths.
        float[] emb = m.lm.embed.value.data();
        int C = m.config.lm().width();
        for (int c = 0; c < C; c++) emb[Tokenizer.EOS * C + c] *= 60;
        Processor p = new Processor(start.tokenizer(), new ImageProcessor(m.config.vision().imageSize()), m.config.imageTokens());
        List<Query> queries = new ArrayList<>();
        var samples = dev.jaye.eval.data.DatasetReader.load(fx.data.resolve("train.jsonl")).samples();
        String[] questions = {"How many?", "How many shapes are there in this picture, all colours together?", "Count."};
        for (int i = 0; i < 3; i++)
            queries.add(new Query(i, samples.get(i), p.images().load(samples.get(i).image()), p.promptIds(questions[i])));
        var rollout = new RlConfig.Rollout(3, 4, 1.0, 1.0, 12, 5);
        var responses = new ResponseCollection(new Generator(m, p), rollout, 3).collect(queries, 0);
        List<Trajectory> batch = new TrajectoryGeneration(m, null, Rewards.of(List.of("accuracy"), RewardSettings.defaults()), 5)
                .build(queries, responses);
        var lengths = new java.util.TreeSet<Integer>();
        float worst = 0;
        for (Trajectory t : batch) {
            lengths.add(t.length());
            for (int j = 0; j < t.length(); j++) worst = Math.max(worst, Math.abs(t.rolloutLogProbs()[j] - t.oldLogProbs()[j]));
        }
        assertTrue(lengths.size() >= 3, "responses of several lengths: " + lengths);
        assertTrue(worst < 1e-4, "generation vs recomputed log-probs differ by " + worst);
    }

    @Test
    void dumpTokensWritesEveryResponseWithItsPerTokenView() throws IOException {
        RlConfig c = fx.config("dump", RlFixture.reinforcePP(), List.of("accuracy", "penalty"), 1, 1e-3);
        var tr = c.train();
        c = new RlConfig(c.seed(), c.model(), c.data(), c.rollout(), c.algorithm(), c.reward(),
                new RlConfig.Train(tr.epochs(), tr.maxGenerationSteps(), tr.ppoBatchSize(), tr.ppoEpochs(), tr.gradientAccumulationSteps(),
                        tr.lr(), tr.minLr(), tr.warmupSteps(), tr.weightDecay(), tr.clipGradNorm(), false, false, true, 0, tr.keepCheckpoints(), false, true),
                c.eval(), c.out());
        RlTrainer t = RlTrainer.start(c);
        t.quiet();
        t.run();
        List<String> lines = Files.readAllLines(dir.resolve("dump/tokens.jsonl"));
        assertEquals(8 * 4, lines.size(), "batch_size x num_samples responses");
        int atOne = 0;
        for (String line : lines) {
            JsonNode n = new ObjectMapper().readTree(line);
            int len = n.get("ids").size();
            for (String key : List.of("pieces", "advantage", "ratio", "clipped", "kl", "entropy"))
                assertEquals(len, n.get(key).size(), key + " has one value per token");
            if (Math.abs(n.get("ratio").get(0).asDouble() - 1) < 1e-5) atOne++;
        }
        assertTrue(atOne >= 16 && atOne < 32, "the first of two mini-batches meets the policy unchanged (ratio 1), the second does not: " + atOne);
    }

    @Test
    void aNanLossStopsWithAMessageAndWritesNoCheckpoint() throws IOException {
        RlTrainer t = RlTrainer.start(fx.config("nan", RlFixture.reinforcePP(), List.of("accuracy"), 2, 1e-3));
        t.quiet();
        java.util.Arrays.fill(t.policy().parameters().get("lm.layers.2.mlp.down.weight").value.data(), Float.NaN);
        ArithmeticException e = assertThrows(ArithmeticException.class, t::run);
        assertTrue(e.getMessage().contains("generation step 1") && e.getMessage().contains("NaN"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("nan/checkpoints")), "no checkpoint of garbage");
    }

    @Test
    void configErrorsNameTheirKeys() {
        RlConfig c = fx.config("bad", new RlConfig.Algorithm("ppo", 1.0, "everywhere", true, false, 0, 0, 0.2, 0.2, "sum"),
                List.of("accuracy"), 1, 1e-3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c::validate);
        for (String key : List.of("algorithm.estimator", "algorithm.normalize", "algorithm.loss_agg"))
            assertTrue(e.getMessage().contains(key), e.getMessage());

        // what used to fail only at the first evaluation, or never: refused before the first step
        RlConfig ok = fx.config("bad2", RlFixture.reinforcePP(), List.of("accuracy"), 1, 1e-3);
        var t = ok.train();
        RlConfig late = new RlConfig(ok.seed(), ok.model(), ok.data(), ok.rollout(), ok.algorithm(), ok.reward(),
                new RlConfig.Train(t.epochs(), t.maxGenerationSteps(), t.ppoBatchSize(), t.ppoEpochs(), t.gradientAccumulationSteps(),
                        Double.POSITIVE_INFINITY, t.minLr(), t.warmupSteps(), -5, Double.NaN, t.trainVit(), t.trainConnector(), t.trainLlm(),
                        -1, t.keepCheckpoints(), t.keepBest(), t.dumpTokens()),
                new RlConfig.Eval(List.of("pass@1_t0.6"), 4, 0, 0, 0, false), ok.out());
        IllegalArgumentException l = assertThrows(IllegalArgumentException.class, late::validate);
        for (String key : List.of("train.lr must be a finite number > 0, got Infinity", "train.weight_decay", "train.clip_grad_norm",
                "train.checkpoint_every", "eval.max_tokens must be >= 1, got 0", "eval.batch_size must be >= 1, got 0"))
            assertTrue(l.getMessage().contains(key), key + " in: " + l.getMessage());
    }
}
