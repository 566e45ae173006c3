// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.reward;

import org.junit.jupiter.api.Test;

import static dev.jaye.rl.reward.Fixture.response;
import static org.junit.jupiter.api.Assertions.assertEquals;

class AccuracyRewardTest {
    private final Reward accuracy = new AccuracyReward();

    @Test
    void isLoggedAsAccuracy() {
        assertEquals("accuracy", accuracy.name());
    }

    @Test
    void rightBoxedAnswerScoresOne() {
        assertEquals(1.0, accuracy.score(response("3 rows of 4 make \\boxed{12}")));
    }

    @Test
    void wrongBoxedAnswerScoresZero() {
        assertEquals(0.0, accuracy.score(response("3 rows of 4 make \\boxed{13}")));
    }

    @Test
    void rightAnswerWithoutABoxScoresZero() {
        assertEquals(0.0, accuracy.score(response("the answer is 12")));
    }

    @Test
    void answersAreComparedAsNumbers() {
        assertEquals(1.0, accuracy.score(response("\\boxed{12.0}")), "12.0 is the reference 12");
    }

    @Test
    void theLastClosedBoxIsTheAnswer() {
        assertEquals(0.0, accuracy.score(response("\\boxed{12} no wait, \\boxed{13}")));
        assertEquals(1.0, accuracy.score(response("\\boxed{13} no wait, \\boxed{12}")));
        assertEquals(0.0, accuracy.score(response("\\boxed{13} then \\boxed{12", 10, false)), "an unclosed box is skipped");
    }
}
