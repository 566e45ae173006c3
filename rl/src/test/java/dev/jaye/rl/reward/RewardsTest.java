// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.reward;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.jaye.rl.reward.Fixture.response;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RewardsTest {
    private static final RewardSettings DEFAULTS = RewardSettings.defaults();
    private static final String PKG = "dev.jaye.rl.reward.";

    @Test
    void defaultSettings() {
        assertEquals(new RewardSettings(-0.1, 4, -1.0, 0.5), RewardSettings.defaults());
    }

    @Test
    void settingsRejectNonFiniteAndNegativeValues() {
        assertMessage(() -> new RewardSettings(Double.NaN, 4, -1, 0.5), "reward_penalty");
        assertMessage(() -> new RewardSettings(-0.1, 4, Double.NEGATIVE_INFINITY, 0.5), "language_penalty");
        assertMessage(() -> new RewardSettings(-0.1, -1, -1, 0.5), "min_response_length");
    }

    @Test
    void builtInsAreBuiltByNameInConfigOrder() {
        assertEquals(List.of("accuracy", "language", "penalty", "format"), Rewards.builtIns());
        List<Reward> rewards = Rewards.of(List.of("format", "accuracy", "penalty", "language"), DEFAULTS);
        assertEquals(List.of("format", "accuracy", "penalty", "language"), rewards.stream().map(Reward::name).toList());
        assertInstanceOf(FormatReward.class, rewards.get(0));
        assertInstanceOf(AccuracyReward.class, rewards.get(1));
        assertInstanceOf(PenaltyReward.class, rewards.get(2));
        assertInstanceOf(LanguageReward.class, rewards.get(3));
    }

    @Test
    void builtInsReceiveTheSettings() {
        var settings = new RewardSettings(-0.3, 4, -2, 0.75);
        List<Reward> rewards = Rewards.of(Rewards.builtIns(), settings);
        Map<String, Double> s = Rewards.scores(rewards, response("答 \\boxed{12}", 2, true));
        assertEquals(Map.of("accuracy", 1.0, "language", -2.0, "penalty", -0.3, "format", 0.75), s);
    }

    @Test
    void aUserClassWithOnlyANoArgumentConstructorLoadsByName() {
        List<Reward> rewards = Rewards.of(List.of("accuracy", PKG + "ConstantReward"), DEFAULTS);
        assertInstanceOf(ConstantReward.class, rewards.get(1));
        assertEquals(0.25, rewards.get(1).score(response("anything")));
    }

    @Test
    void aUserClassGetsTheSettingsWhenItCanTakeThem() {
        var settings = new RewardSettings(-0.1, 4, -1, 0.375);
        Reward r = Rewards.of(List.of(" " + PKG + "SettingsReward "), settings).getFirst();
        assertInstanceOf(SettingsReward.class, r);
        assertEquals(0.375, r.score(response("anything")), "the settings constructor is preferred over the no-argument one");
    }

    @Test
    void anUnknownNameListsTheBuiltInsAndMentionsClassNames() {
        String m = assertMessage(() -> Rewards.of(List.of("accuracy", "acuracy"), DEFAULTS), "'acuracy'");
        assertTrue(m.contains(Rewards.builtIns().toString()), m);
        assertTrue(m.contains("class"), m);
    }

    @Test
    void eachBadClassIsNamedWithTheReason() {
        assertMessage(() -> Rewards.of(List.of("com.example.MissingReward"), DEFAULTS), "'com.example.MissingReward' not found");
        assertMessage(() -> Rewards.of(List.of("java.lang.String"), DEFAULTS), "'java.lang.String' does not implement");
        assertMessage(() -> Rewards.of(List.of(PKG + "BrokenRewards$NoUsableConstructor"), DEFAULTS),
                "'" + PKG + "BrokenRewards$NoUsableConstructor' has no usable constructor");
        assertMessage(() -> Rewards.of(List.of(PKG + "BrokenRewards$ConstantLike"), DEFAULTS), "'" + PKG + "BrokenRewards$ConstantLike' is abstract");
        String m = assertMessage(() -> Rewards.of(List.of(PKG + "BrokenRewards$FailingConstructor"), DEFAULTS),
                "'" + PKG + "BrokenRewards$FailingConstructor'");
        assertTrue(m.contains("cannot open the lookup table"), m);
    }

    @Test
    void duplicateNamesAreRefused() {
        assertMessage(() -> Rewards.of(List.of("accuracy", "penalty", "accuracy"), DEFAULTS), "duplicate reward name 'accuracy'");
        String m = assertMessage(() -> Rewards.of(List.of("accuracy", PKG + "BrokenRewards$Impostor"), DEFAULTS), "'accuracy'");
        assertTrue(m.contains(PKG + "BrokenRewards$Impostor"), m);
    }

    @Test
    void scoresRefuseTwoRewardsOfOneName() {
        List<Reward> twice = List.of(new AccuracyReward(), new AccuracyReward());
        assertMessage(() -> Rewards.scores(twice, response("\\boxed{12}")), "'accuracy'");
    }

    @Test
    void emptyEntriesAreRefused() {
        assertMessage(() -> Rewards.of(Arrays.asList("accuracy", null), DEFAULTS), "rewards[1]");
        assertMessage(() -> Rewards.of(List.of(" "), DEFAULTS), "rewards[0]");
    }

    @Test
    void scoresKeepTheRewardsOrderAndTotalIsTheirSum() {
        List<Reward> rewards = Rewards.of(List.of("penalty", PKG + "ConstantReward", "accuracy"), DEFAULTS);
        Response r = response("\\boxed{12}", 10, false);
        Map<String, Double> s = Rewards.scores(rewards, r);
        assertEquals(List.of("penalty", "constant", "accuracy"), List.copyOf(s.keySet()));
        assertEquals(List.of(-0.1, 0.25, 1.0), List.copyOf(s.values()));
        assertEquals(1.15, Rewards.total(s, r), 1e-12);
        assertEquals(0.0, Rewards.total(Map.of(), r));
    }

    @Test
    void aNonFiniteScoreNamesTheRewardAndTheSample() {
        Response r = response("\\boxed{12}");
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
            Map<String, Double> s = new LinkedHashMap<>(Map.of("accuracy", 1.0));
            s.put("broken", bad);
            var e = assertThrows(IllegalStateException.class, () -> Rewards.total(s, r));
            assertTrue(e.getMessage().contains("'broken'") && e.getMessage().contains("'q-7'"), e.getMessage());
        }
    }

    /** Asserts {@code call} throws IllegalArgumentException whose message contains {@code part}; returns the message. */
    private static String assertMessage(Runnable call, String part) {
        var e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
        return e.getMessage();
    }
}
