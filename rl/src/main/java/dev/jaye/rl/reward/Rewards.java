// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.reward;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reward registry: from the names in a config to {@link Reward} objects, and from those to
 * one response's scores and their total.
 *
 * <p>A name is either a built-in ({@link #builtIns()}) or the fully qualified name of a class
 * implementing {@link Reward}. Loading classes by name is what lets a user add a reward without
 * touching jaye: the class only has to be on the classpath. Every mistake in the list fails here,
 * at start-up, with the entry named, rather than as a missing curve hours into a run.
 */
public final class Rewards {
    private Rewards() {}

    private static final List<String> BUILT_INS = List.of("accuracy", "language", "penalty", "format");

    /** Built-in names: accuracy, language, penalty, format. */
    public static List<String> builtIns() {
        return BUILT_INS;
    }

    /**
     * Builds the rewards named in a config, in order. A name is a built-in or a fully qualified
     * class name implementing {@link Reward}, constructed with {@code (RewardSettings)} if that
     * constructor exists, else with no arguments.
     *
     * @throws IllegalArgumentException naming the bad entry and why: empty entry, unknown name,
     *         class not found, class not implementing Reward, no usable constructor, a constructor
     *         that failed, or two rewards with the same name (which would share one metrics key)
     */
    public static List<Reward> of(List<String> names, RewardSettings settings) {
        List<Reward> rewards = new ArrayList<>(names.size());
        Map<String, String> entryOf = new LinkedHashMap<>();       // reward name -> the entry that made it
        for (int i = 0; i < names.size(); i++) {
            String entry = names.get(i);
            if (entry == null || entry.isBlank()) throw new IllegalArgumentException("rewards[" + i + "] is empty");
            entry = entry.strip();
            Reward reward = create(entry, settings);
            String name = reward.name();
            if (name == null || name.isBlank())
                throw new IllegalArgumentException("reward '" + entry + "' has an empty name()");
            String earlier = entryOf.putIfAbsent(name, entry);
            if (earlier != null)
                throw new IllegalArgumentException("duplicate reward name '" + name + "': from '" + earlier + "' and '" + entry
                        + "'; each reward is logged as reward/<name>, so names must be unique");
            rewards.add(reward);
        }
        return List.copyOf(rewards);
    }

    private static Reward create(String entry, RewardSettings settings) {
        return switch (entry) {
            case "accuracy" -> new AccuracyReward();
            case "language" -> new LanguageReward(settings);
            case "penalty" -> new PenaltyReward(settings);
            case "format" -> new FormatReward(settings);
            default -> {
                // A bare word is a misspelt built-in far more often than a class in the default package.
                if (!entry.contains("."))
                    throw new IllegalArgumentException("unknown reward '" + entry + "': built-ins are " + BUILT_INS
                            + "; a fully qualified name of a class implementing " + Reward.class.getName() + " also works");
                yield load(entry, settings);
            }
        };
    }

    /** Loads and constructs a user's reward class: the settings constructor first, else the no-argument one. */
    private static Reward load(String className, RewardSettings settings) {
        Class<?> c;
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            c = Class.forName(className, true, loader != null ? loader : Rewards.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("reward class '" + className + "' not found on the classpath", e);
        } catch (LinkageError e) {                                  // e.g. its static initialiser threw
            throw new IllegalArgumentException("reward class '" + className + "' could not be loaded: " + e, e);
        }
        if (!Reward.class.isAssignableFrom(c))
            throw new IllegalArgumentException("reward class '" + className + "' does not implement " + Reward.class.getName());
        if (c.isInterface() || Modifier.isAbstract(c.getModifiers()))
            throw new IllegalArgumentException("reward class '" + className + "' is abstract; name a concrete class");
        Constructor<?> ctor;
        Object[] args;
        try {
            ctor = c.getConstructor(RewardSettings.class);
            args = new Object[] {settings};
        } catch (NoSuchMethodException e) {
            try {
                ctor = c.getConstructor();
                args = new Object[0];
            } catch (NoSuchMethodException e2) {
                throw new IllegalArgumentException("reward class '" + className + "' has no usable constructor: it needs a public "
                        + "constructor taking " + RewardSettings.class.getSimpleName() + " or a public no-argument one");
            }
        }
        try {
            return (Reward) ctor.newInstance(args);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("reward class '" + className + "': its constructor threw " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {                  // e.g. a public constructor of a non-public class
            throw new IllegalArgumentException("reward class '" + className + "' could not be constructed: " + e, e);
        }
    }

    /**
     * Each reward's score for one response, in the rewards' order, keyed by reward name. The
     * order is the config's, so the logged keys come out in the order the user wrote them.
     */
    public static Map<String, Double> scores(List<Reward> rewards, Response r) {
        Map<String, Double> scores = new LinkedHashMap<>();
        for (Reward reward : rewards)
            if (scores.put(reward.name(), reward.score(r)) != null)    // a list not built by of()
                throw new IllegalArgumentException("duplicate reward name '" + reward.name() + "'");
        return scores;
    }

    /**
     * The total score of a response: the sum of its rewards' scores. This is the number the
     * policy update adds at the response's last token.
     *
     * @throws IllegalStateException when a score is NaN or infinite, naming the reward and the
     *         sample: one such score would spread through the whitened advantages to the whole batch
     */
    public static double total(Map<String, Double> scores, Response r) {
        double sum = 0;
        for (var e : scores.entrySet()) {
            double v = e.getValue();
            if (!Double.isFinite(v))
                throw new IllegalStateException("reward '" + e.getKey() + "' gave " + v + " for sample '" + r.sample().id() + "'");
            sum += v;
        }
        return sum;
    }
}
