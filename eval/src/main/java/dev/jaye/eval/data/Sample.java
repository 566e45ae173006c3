// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.data;

import java.nio.file.Path;
import java.util.Map;

/**
 * One loaded query: what the trainers and the evaluator read, whatever layout the file had.
 *
 * @param id       the sample's id (from the file, else "file-stem:line")
 * @param image    absolute path of the image, checked to exist and to be readable
 * @param question the prompt text
 * @param answer   the reference answer, as a string (numbers are judged numerically later)
 * @param solution a gold step-by-step solution, or null when the file has none
 * @param family   the task family, or null when the file does not say
 * @param extra    every other field of the JSON line, as plain Java values (String, Number,
 *                 Boolean, List, Map, null), in file order
 */
public record Sample(String id, Path image, String question, String answer, String solution, String family, Map<String, Object> extra) {
    public Sample {
        extra = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(extra));
    }
}
