// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.reward;

import org.junit.jupiter.api.Test;

import static dev.jaye.rl.reward.Fixture.response;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PenaltyRewardTest {
    /** Defaults: -0.1 below 4 tokens or without <eos>. */
    private final Reward penalty = new PenaltyReward(RewardSettings.defaults());

    @Test
    void isLoggedAsPenalty() {
        assertEquals("penalty", penalty.name());
    }

    @Test
    void aFinishedResponseOfTheMinimumLengthIsNotPenalised() {
        assertEquals(0.0, penalty.score(response("\\boxed{12}", 4, true)));
    }

    @Test
    void anUnfinishedResponseIsPenalised() {
        assertEquals(-0.1, penalty.score(response("so the count is", 50, false)));
    }

    @Test
    void aResponseBelowTheMinimumLengthIsPenalised() {
        assertEquals(-0.1, penalty.score(response("12", 3, true)));
    }

    @Test
    void bothAtOnceArePenalisedOnce() {
        assertEquals(-0.1, penalty.score(response("1", 2, false)));
    }

    @Test
    void penaltyAndLengthComeFromTheSettings() {
        Reward strict = new PenaltyReward(new RewardSettings(-0.5, 20, -1, 0.5));
        assertEquals(-0.5, strict.score(response("\\boxed{12}", 19, true)));
        assertEquals(0.0, strict.score(response("\\boxed{12}", 20, true)));
    }
}
