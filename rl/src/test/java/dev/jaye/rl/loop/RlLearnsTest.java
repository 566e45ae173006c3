// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.loop;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proof that the loop learns, on a problem with a known answer: a fresh nano policy is rewarded
 * for the fraction of its tokens that are '7' ({@link FixedTokenReward}, named by class as a
 * user's reward would be). At the start about 1 token in 257 is a '7'. The same run with every
 * advantage negated is the control: it must not improve, or the first test proves nothing.
 */
class RlLearnsTest {
    static final int STEPS = 16;
    static final String REWARD = FixedTokenReward.class.getName();

    @TempDir
    static Path dir;
    static RlFixture fx;

    @BeforeAll
    static void setUp() throws IOException {
        fx = new RlFixture(dir);
    }

    static double[] rewards(String out, RlConfig.Algorithm alg, boolean flip) throws IOException {
        RlTrainer t = RlTrainer.start(fx.config(out, alg, List.of(REWARD), STEPS, 3e-3));
        t.quiet();
        if (flip) t.flipAdvantageSign();
        t.run();
        return RlTrainerTest.steps(dir.resolve(out)).stream().mapToDouble(n -> n.get("reward").asDouble()).toArray();
    }

    static double mean(double[] x, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) s += x[i];
        return s / (to - from);
    }

    @Test
    void reinforcePlusPlusRaisesTheRewardAndTheFlippedSignDoesNot() throws IOException {
        double[] learn = rewards("learn", RlFixture.reinforcePP(), false), flipped = rewards("flipped", RlFixture.reinforcePP(), true);
        double start = mean(learn, 0, 3), end = mean(learn, STEPS - 3, STEPS);
        System.out.printf("sevens reward: start %.3f, end %.3f; flipped end %.3f%n", start, end, mean(flipped, STEPS - 3, STEPS));
        assertTrue(start < 0.05, "a random policy rarely says 7: " + start);
        assertTrue(end > 0.5, "after " + STEPS + " generation steps most tokens are 7s: " + end);
        assertTrue(mean(flipped, STEPS - 3, STEPS) < 0.05, "the flipped sign must not learn: " + java.util.Arrays.toString(flipped));
    }

    @Test
    void grpoLearnsTheSameProblem() throws IOException {
        double[] learn = rewards("grpo", RlFixture.grpo(), false);
        assertTrue(mean(learn, STEPS - 3, STEPS) > 0.5, "GRPO: " + java.util.Arrays.toString(learn));
    }
}
