// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.algo;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Config names of the algorithm enums: the constant's name in lower case ({@code DR_GRPO} is
 * "dr_grpo"). Parsing forgives case and '-' for '_', since both spellings appear in papers and
 * in hand-written YAML, but nothing else: a misspelt estimator must stop the run, not fall back.
 */
final class ConfigNames {
    private ConfigNames() {}

    static String of(Enum<?> e) {
        // Locale.ROOT: in a Turkish locale "REINFORCE_PP".toLowerCase() would give a dotless 'ı'.
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** The constant of {@code type} whose config name is {@code name}; {@code what} names the setting in errors. */
    static <E extends Enum<E>> E parse(Class<E> type, String name, String what) {
        E[] all = type.getEnumConstants();
        if (name != null) {
            String key = name.strip().replace('-', '_').toUpperCase(Locale.ROOT);
            for (E e : all) if (e.name().equals(key)) return e;
        }
        String known = Arrays.stream(all).map(ConfigNames::of).collect(Collectors.joining(", "));
        throw new IllegalArgumentException("unknown " + what + " " + (name == null ? "null" : "'" + name + "'")
                + " (known: " + known + ")");
    }
}
