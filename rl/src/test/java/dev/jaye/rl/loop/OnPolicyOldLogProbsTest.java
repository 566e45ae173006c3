// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.loop;

import dev.jaye.autograd.optim.AdamW;
import dev.jaye.autograd.optim.LrSchedule;
import dev.jaye.models.Vlm;
import dev.jaye.models.generate.Generator;
import dev.jaye.models.io.Checkpoint;
import dev.jaye.models.processor.ImageProcessor;
import dev.jaye.models.processor.Processor;
import dev.jaye.rl.reward.RewardSettings;
import dev.jaye.rl.reward.Rewards;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One on-policy pass (one ppo epoch, one mini-batch, no KL reward): step IV's forward gives the
 * old log-probs that step III would have recomputed, to the bit (each row's log-probs do not depend
 * on which rows share its forward), so the update is the same to the bit and the PPO ratio is 1.
 */
class OnPolicyOldLogProbsTest {
    @TempDir
    Path dir;

    @Test
    void theRuleNeedsOneEpochOneMiniBatchAndNoKlReward() throws IOException {
        RlFixture fx = new RlFixture(dir);
        RlConfig c = fx.config("x", RlFixture.grpo(), List.of("accuracy"), 1, 1e-3);     // 8 queries, ppo_batch_size 4
        assertFalse(c.oldLogProbsFromTheUpdate(), "two mini-batches: the second sees a changed policy");
        var t = c.train();
        RlConfig.Train one = new RlConfig.Train(t.epochs(), t.maxGenerationSteps(), 8, 1, t.gradientAccumulationSteps(), t.lr(), t.minLr(),
                t.warmupSteps(), t.weightDecay(), t.clipGradNorm(), false, false, true, 0, 0, false, false);
        RlConfig.Train twoEpochs = new RlConfig.Train(t.epochs(), t.maxGenerationSteps(), 8, 2, t.gradientAccumulationSteps(), t.lr(), t.minLr(),
                t.warmupSteps(), t.weightDecay(), t.clipGradNorm(), false, false, true, 0, 0, false, false);
        assertTrue(RlConfig.oldLogProbsFromTheUpdate(c.rollout(), c.algorithm(), one));
        assertFalse(RlConfig.oldLogProbsFromTheUpdate(c.rollout(), c.algorithm(), twoEpochs));
        assertFalse(RlConfig.oldLogProbsFromTheUpdate(c.rollout(), RlFixture.reinforcePP(), one), "a KL reward needs them before step IV");
    }

    @Test
    void theUpdatesForwardGivesTheOldLogProbsAndTheSameUpdate() throws IOException {
        RlFixture fx = new RlFixture(dir);
        var alg = new RlConfig.Algorithm("reinforce_pp", 1.0, "batch", true, false, 0.0, 0.01, 0.2, 0.2, "token_mean");
        var rollout = new RlConfig.Rollout(4, 4, 1.0, 1.0, 8, 6);
        var train = new RlConfig.Train(1, 1, 4, 1, 2, 1e-3, 1e-3, 0, 0.0, 1.0, false, false, true, 0, 0, false, false);
        assertTrue(RlConfig.oldLogProbsFromTheUpdate(rollout, alg, train));

        // <eos> likely at about half the positions (tied head: a long <eos> row), so the responses end
        // at different lengths and step III's chunks and step IV's shuffled batches pad differently.
        var fresh = Checkpoint.load(fx.init);
        float[] emb = fresh.model().lm.embed.value.data();
        int C = fresh.model().config.lm().width();
        for (int c = 0; c < C; c++) emb[dev.jaye.models.tokenizer.Tokenizer.EOS * C + c] *= 60;
        Path init = dir.resolve("eos-init");
        Checkpoint.save(init, fresh.model(), fresh.tokenizer());
        Vlm recomputing = Checkpoint.load(init).model(), fromUpdate = Checkpoint.load(init).model();
        Vlm reference = Checkpoint.load(init).model();
        reference.setTrainable("", false);
        var start = Checkpoint.load(init);
        Processor p = new Processor(start.tokenizer(), new ImageProcessor(start.model().config.vision().imageSize()), start.model().config.imageTokens());
        var samples = dev.jaye.eval.data.DatasetReader.load(fx.data.resolve("train.jsonl")).samples();
        List<Query> queries = new ArrayList<>();
        for (int i = 0; i < 4; i++) queries.add(new Query(i, samples.get(i), p.images().load(samples.get(i).image()), p.promptIds(samples.get(i).question())));
        List<Generator.Response> responses = new ResponseCollection(new Generator(start.model(), p), rollout, 3).collect(queries, 0);
        var rewards = Rewards.of(List.of("accuracy", "penalty"), RewardSettings.defaults());
        var lengths = new java.util.TreeSet<Integer>();
        for (Generator.Response r : responses) lengths.add(r.ids().length);
        assertTrue(lengths.size() >= 3, "responses of several lengths: " + lengths);

        List<Trajectory> a = new TrajectoryGeneration(recomputing, reference, rewards, 6).build(queries, responses);
        List<Trajectory> b = new TrajectoryGeneration(fromUpdate, reference, rewards, 6, true).build(queries, responses);
        for (Trajectory t : b) for (float x : t.oldLogProbs()) assertEquals(0f, x, "step III left them to step IV");

        PolicyUpdate ua = new PolicyUpdate(recomputing, AdamW.of(recomputing.parameters(), LrSchedule.constant(1e-3), 0.0), alg, train, 0);
        PolicyUpdate ub = new PolicyUpdate(fromUpdate, AdamW.of(fromUpdate.parameters(), LrSchedule.constant(1e-3), 0.0), alg, train, 0, true);
        float[][] adv = new float[a.size()][];                  // a fresh policy gets every answer wrong: advantages of one's own
        dev.jaye.tensor.Rng rng = new dev.jaye.tensor.Rng(9);
        for (int i = 0; i < adv.length; i++) {
            adv[i] = new float[a.get(i).length()];
            for (int j = 0; j < adv[i].length; j++) adv[i][j] = rng.normal();
        }
        PolicyUpdate.Stats sa = ua.optimise(a, adv, 0);
        PolicyUpdate.Stats sb = ub.optimise(b, adv, 0);

        for (int i = 0; i < a.size(); i++)
            for (int j = 0; j < a.get(i).length(); j++)
                assertEquals(a.get(i).oldLogProbs()[j], b.get(i).oldLogProbs()[j], 0.0, "row " + i + " token " + j);
        assertEquals(1.0, sb.ratio(), 0.0, "the ratio of a forward to itself");
        assertEquals(sa.policyLoss(), sb.policyLoss(), 1e-5);
        float[] wa = recomputing.parameters().get("lm.layers.0.mlp.down.weight").value.data();
        float[] wb = fromUpdate.parameters().get("lm.layers.0.mlp.down.weight").value.data();
        float[] w0 = start.model().parameters().get("lm.layers.0.mlp.down.weight").value.data();
        double moved = 0, apart = 0;
        for (int k = 0; k < wa.length; k++) {
            moved = Math.max(moved, Math.abs(wa[k] - w0[k]));
            apart = Math.max(apart, Math.abs(wa[k] - wb[k]));
        }
        assertTrue(moved > 1e-5, "the update moved the weights: " + moved);
        assertEquals(0.0, apart, "the two updates are the same to the bit (moved " + moved + ")");
    }
}
