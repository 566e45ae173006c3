// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.reward;

import org.junit.jupiter.api.Test;

import static dev.jaye.rl.reward.Fixture.response;
import static org.junit.jupiter.api.Assertions.assertEquals;

class FormatRewardTest {
    /** Defaults: 0.5 for a good format. */
    private final Reward format = new FormatReward(RewardSettings.defaults());

    private double score(String text) {
        return format.score(response(text));
    }

    @Test
    void isLoggedAsFormat() {
        assertEquals("format", format.name());
    }

    @Test
    void oneBoxAtTheEndEarnsTheReward() {
        assertEquals(0.5, score("3 rows of 4 make \\boxed{12}"));
        assertEquals(0.5, score("3 rows of 4 make \\boxed{12}\n \t"), "trailing whitespace is fine");
        assertEquals(0.5, score("\\boxed{13}"), "the form is rewarded, not the content");
    }

    @Test
    void nestedAndEscapedBracesStayInsideTheBox() {
        assertEquals(0.5, score("\\boxed{\\frac{3}{4}}"));
        assertEquals(0.5, score("\\boxed{\\{1, 2\\}}"));
        assertEquals(0.5, score("\\boxed{x \\} y}"), "an escaped brace alone does not close the box");
    }

    @Test
    void whitespaceBeforeTheBraceIsStillABox() {
        assertEquals(0.5, score("so \\boxed {12}"));
        assertEquals(0.0, score("\\boxed{12} or \\boxed {13}"), "two boxes, however spelt");
    }

    @Test
    void textAfterTheBoxEarnsNothing() {
        assertEquals(0.0, score("\\boxed{12} because 3 x 4 = 12"));
        assertEquals(0.0, score("\\boxed{12}."));
    }

    @Test
    void noBoxEarnsNothing() {
        assertEquals(0.0, score("the answer is 12"));
    }

    @Test
    void twoBoxesEarnNothing() {
        assertEquals(0.0, score("\\boxed{12} or maybe \\boxed{12}"));
    }

    @Test
    void anUnclosedBoxEarnsNothing() {
        assertEquals(0.0, score("so \\boxed{12"));
        assertEquals(0.0, score("\\boxed{12} and \\boxed{1"), "a closed box and an unclosed one are still two");
    }

    @Test
    void theRewardComesFromTheSettings() {
        assertEquals(0.125, new FormatReward(new RewardSettings(-0.1, 4, -1, 0.125)).score(response("\\boxed{12}")));
    }
}
