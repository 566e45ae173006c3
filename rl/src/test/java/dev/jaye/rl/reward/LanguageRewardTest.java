// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.reward;

import org.junit.jupiter.api.Test;

import static dev.jaye.rl.reward.Fixture.response;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LanguageRewardTest {
    private final Reward language = new LanguageReward(RewardSettings.defaults());

    @Test
    void isLoggedAsLanguage() {
        assertEquals("language", language.name());
    }

    @Test
    void englishWithMathCostsNothing() {
        assertEquals(0.0, language.score(response("Poincaré: θ = 2π, so x² + 3 ≤ \\frac{3}{4}, \\boxed{12}")));
    }

    @Test
    void oneChineseCharacterCostsThePenalty() {
        assertEquals(-1.0, language.score(response("There are 12 个 apples: \\boxed{12}")));
    }

    @Test
    void thePenaltyComesFromTheSettings() {
        var settings = new RewardSettings(-0.1, 4, -0.25, 0.5);
        assertEquals(-0.25, new LanguageReward(settings).score(response("答案是 \\boxed{12}")));
    }
}
