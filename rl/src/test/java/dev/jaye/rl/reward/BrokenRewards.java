// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.reward;

/**
 * Reward classes the registry must refuse, each for one reason. Nested classes are named by
 * their binary name in a config: {@code dev.jaye.rl.reward.BrokenRewards$NoUsableConstructor}.
 */
public final class BrokenRewards {
    private BrokenRewards() {}

    /** Its only constructor takes an int: the registry cannot know what to pass. */
    public static final class NoUsableConstructor extends ConstantLike {
        public NoUsableConstructor(int value) {}
    }

    /** Its constructor fails: the failure must reach the user with the class named. */
    public static final class FailingConstructor extends ConstantLike {
        public FailingConstructor() {
            throw new IllegalStateException("cannot open the lookup table");
        }
    }

    /** Claims a built-in's name, so its scores would overwrite the accuracy curve. */
    public static final class Impostor extends ConstantLike {
        @Override
        public String name() {
            return "accuracy";
        }
    }

    /** Abstract: nothing to construct. */
    public abstract static class ConstantLike implements Reward {
        @Override
        public String name() {
            return "constant-like";
        }

        @Override
        public double score(Response r) {
            return 0;
        }
    }
}
