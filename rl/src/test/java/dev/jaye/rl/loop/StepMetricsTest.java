// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.loop;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StepMetricsTest {
    private static PolicyUpdate.Stats loss(double policyLoss) {
        return new PolicyUpdate.Stats(policyLoss, 0, 0, 1, 1, 0, 0, 0.1, 1e-5, 1, null);
    }

    private static RlConfig.Algorithm estimator(String name, String normalize) {
        return new RlConfig.Algorithm(name, 1.0, normalize, true, false, 0.0, 0.01, 0.2, 0.2, "token_mean");
    }

    /**
     * Zero-spread groups explain a loss near zero only under a group baseline: REINFORCE++
     * whitens over the batch, where an all-right group still has a positive advantage.
     */
    @Test
    void zeroSpreadGroupsAreNamedAsACauseOnlyWhereTheBaselineIsTheGroup() {
        for (String group : new String[]{"grpo", "dr_grpo", "rloo"}) {
            String why = StepMetrics.diagnosis(loss(0), 3, 16, estimator(group, "none"));
            assertTrue(why.contains("3 of 16 groups have no reward spread (no signal from them)"), group + ": " + why);
            assertTrue(StepMetrics.diagnosis(loss(0), 16, 16, estimator(group, "none")).contains("every group-relative advantage is 0"), group);
        }
        String pp = StepMetrics.diagnosis(loss(0), 3, 16, estimator("reinforce_pp", "batch"));
        assertFalse(pp.contains("groups"), pp);
        assertTrue(pp.contains("normalised to mean 0"), pp);
        assertFalse(StepMetrics.diagnosis(loss(0), 16, 16, estimator("reinforce_pp", "batch")).contains("group-relative"));
        assertNull(StepMetrics.diagnosis(loss(0.5), 3, 16, estimator("grpo", "none")), "a loss that is not near zero needs no diagnosis");
    }
}
