// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.loop;

import dev.jaye.models.tokenizer.Tokenizer;
import dev.jaye.rl.reward.Response;
import dev.jaye.rl.reward.Reward;

/**
 * A problem whose answer is known: the fraction of a response's tokens that are the byte '7'.
 * A random nano model emits it about once in 257 tokens; a policy that learns says 7777.
 * Named in configs by class name, as a user's own reward would be.
 */
public final class FixedTokenReward implements Reward {
    static final int TARGET = Tokenizer.BYTE_OFFSET + '7';

    @Override
    public String name() {
        return "sevens";
    }

    @Override
    public double score(Response r) {
        int hits = 0;
        for (int id : r.ids()) if (id == TARGET) hits++;
        return r.ids().length == 0 ? 0 : (double) hits / r.ids().length;
    }
}
