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
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * algorithm.drop_zero_spread (DAPO's filter): a group whose responses all scored the same takes no
 * part in step IV. Its rows get no advantage and are not in the baselines or the normalisation,
 * and the update equals the update on the batch without that group.
 */
class DropZeroSpreadTest {
    @TempDir
    Path dir;

    static RlConfig.Algorithm alg(boolean drop) {
        return new RlConfig.Algorithm("reinforce_pp", 1.0, "batch", true, false, 0.0, 0.0, 0.2, 0.2, "token_mean", drop);
    }

    /** Row copies of {@code like} with the given group and score (nothing else matters to the advantages). */
    static List<Trajectory> scored(List<Trajectory> like, int[] group, double[] score) {
        List<Trajectory> out = new ArrayList<>();
        for (int i = 0; i < group.length; i++) {
            Trajectory t = like.get(i % like.size());
            out.add(new Trajectory(t.query(), group[i], t.response(), t.text(), t.finished(), t.rolloutLogProbs(),
                    t.oldLogProbs().clone(), t.refLogProbs(), Map.of("accuracy", score[i]), score[i], score[i] > 0));
        }
        return out;
    }

    @Test
    void aGroupWithoutSpreadGetsNoAdvantageAndDoesNotMoveTheOthers() throws IOException {
        Setup s = new Setup();
        int[] group = {0, 0, 1, 1, 2, 2};
        double[] score = {1, 0, 1, 1, 0, 1};                     // group 1: both right, no spread
        List<Trajectory> batch = scored(s.trajectories, group, score);
        var train = new RlConfig.Train(1, 1, 3, 1, 1, 1e-3, 1e-3, 0, 0.0, 1.0, false, false, true, 0, 0, false, false);

        float[][] kept = new PolicyUpdate(null, null, alg(true), train, 0).advantages(batch);
        float[][] all = new PolicyUpdate(null, null, alg(false), train, 0).advantages(batch);
        List<Trajectory> without = List.of(batch.get(0), batch.get(1), batch.get(4), batch.get(5));
        float[][] alone = new PolicyUpdate(null, null, alg(false), train, 0).advantages(without);
        for (int i : new int[]{2, 3}) {
            for (float a : kept[i]) assertEquals(0f, a);
            assertTrue(all[i][0] > 0, "without the switch, batch whitening gives an all-right group a positive advantage");
        }
        int[] keptRows = {0, 1, 4, 5};
        for (int k = 0; k < keptRows.length; k++) assertArrayEquals(alone[k], kept[keptRows[k]], 0f);
        assertNotEquals(all[0][0], kept[0][0], "the dropped group no longer shifts the batch mean");
    }

    @Test
    void theUpdateEqualsTheUpdateOnTheBatchWithoutTheGroup() throws IOException {
        Setup s = new Setup();
        int[] group = {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3};
        double[] score = {1, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 1, 1, 1, 1, 1};  // groups 1 and 3 have no spread
        List<Trajectory> batch = scored(s.trajectories, group, score);
        List<Trajectory> kept = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) if (group[i] == 0 || group[i] == 2) kept.add(batch.get(i));
        List<Trajectory> without = scored(kept, new int[]{0, 0, 0, 0, 1, 1, 1, 1}, new double[]{1, 0, 0, 1, 1, 1, 0, 1});
        var trainAll = new RlConfig.Train(1, 1, 4, 1, 1, 1e-3, 1e-3, 0, 0.0, 1.0, false, false, true, 0, 0, false, false);
        var trainTwo = new RlConfig.Train(1, 1, 2, 1, 1, 1e-3, 1e-3, 0, 0.0, 1.0, false, false, true, 0, 0, false, false);

        Vlm a = Checkpoint.load(s.init).model(), b = Checkpoint.load(s.init).model();
        PolicyUpdate ua = new PolicyUpdate(a, AdamW.of(a.parameters(), LrSchedule.constant(1e-3), 0.0), alg(true), trainAll, 0);
        PolicyUpdate ub = new PolicyUpdate(b, AdamW.of(b.parameters(), LrSchedule.constant(1e-3), 0.0), alg(false), trainTwo, 0);
        PolicyUpdate.Stats sa = ua.optimise(batch, ua.advantages(batch), 0);
        PolicyUpdate.Stats sb = ub.optimise(without, ub.advantages(without), 0);
        assertEquals(1, sa.optimiserSteps());
        assertEquals(sb.policyLoss(), sa.policyLoss(), 1e-6);
        assertEquals(null, sa.tokens()[4], "a dropped row's tokens are not looked at");
        float[] wa = a.parameters().get("lm.layers.0.mlp.down.weight").value.data();
        float[] wb = b.parameters().get("lm.layers.0.mlp.down.weight").value.data();
        float[] w0 = Checkpoint.load(s.init).model().parameters().get("lm.layers.0.mlp.down.weight").value.data();
        double moved = 0, apart = 0;
        for (int k = 0; k < wa.length; k++) {
            moved = Math.max(moved, Math.abs(wa[k] - w0[k]));
            apart = Math.max(apart, Math.abs(wa[k] - wb[k]));
        }
        assertTrue(moved > 1e-5, "the update moved the weights: " + moved);
        assertTrue(apart < 1e-6 * Math.max(1, moved * 1e3), "the same update up to summation order: " + apart + " (moved " + moved + ")");

        // every group without spread: no optimiser step at all, the weights untouched
        List<Trajectory> flat = scored(s.trajectories, group, new double[16]);
        Vlm c = Checkpoint.load(s.init).model();
        PolicyUpdate uc = new PolicyUpdate(c, AdamW.of(c.parameters(), LrSchedule.constant(1e-3), 0.0), alg(true), trainAll, 0);
        assertEquals(0, uc.optimise(flat, uc.advantages(flat), 0).optimiserSteps());
        assertArrayEquals(w0, c.parameters().get("lm.layers.0.mlp.down.weight").value.data(), 0f);
    }

    /** Four queries' responses from the fixture's policy, with their old log-probs. */
    private final class Setup {
        final Path init;
        final List<Trajectory> trajectories;

        Setup() throws IOException {
            RlFixture fx = new RlFixture(dir);
            init = fx.init;
            var start = Checkpoint.load(init);
            Processor p = new Processor(start.tokenizer(), new ImageProcessor(start.model().config.vision().imageSize()), start.model().config.imageTokens());
            var samples = dev.jaye.eval.data.DatasetReader.load(fx.data.resolve("train.jsonl")).samples();
            List<Query> queries = new ArrayList<>();
            for (int i = 0; i < 4; i++) queries.add(new Query(i, samples.get(i), p.images().load(samples.get(i).image()), p.promptIds(samples.get(i).question())));
            var rollout = new RlConfig.Rollout(4, 4, 1.0, 1.0, 8, 6);
            List<Generator.Response> responses = new ResponseCollection(new Generator(start.model(), p), rollout, 3).collect(queries, 0);
            trajectories = new TrajectoryGeneration(start.model(), null, Rewards.of(List.of("accuracy"), RewardSettings.defaults()), 6)
                    .build(queries, responses);
        }
    }
}
