// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProgressTest {
    /** Three slow first steps (the JIT at work) do not weigh on the ETA once later steps are timed. */
    @Test
    void theStepClockLeavesTheFirstStepsOut() {
        long[] now = {0};
        Progress.StepClock clock = new Progress.StepClock(10, () -> now[0]);   // resumed at step 10
        long s = 1_000_000_000L;
        now[0] += 10 * s;
        assertEquals(10.0, clock.perStep(11), 1e-9, "one step: all there is");
        now[0] += 20 * s;
        clock.perStep(12);
        now[0] += 10 * s;
        assertEquals(40.0 / 3, clock.perStep(13), 1e-9, "the third step settles the clock");
        now[0] += 3 * s;
        assertEquals(1.0, clock.perStep(16), 1e-9, "steps 14-16 took a second each");
        assertEquals("4m05s", Progress.eta(245));
        assertEquals("37s", Progress.eta(37));
    }
}
