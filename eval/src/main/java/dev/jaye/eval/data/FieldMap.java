// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.data;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Which JSON keys hold which part of a sample. Two layouts are known and detected line by line;
 * any other is one record away.
 *
 * @param id       optional (null: never read); missing ids become "file-stem:line"
 * @param question required
 * @param answer   required (a string or a number)
 * @param solution optional
 * @param image    required: a path relative to the JSONL's folder, or a list holding one such path
 * @param family   optional
 */
public record FieldMap(String id, String question, String answer, String solution, String image, String family) {
    /** geometry3k style, which jaye writes: {"problem", "answer", "images": [path], "solution", "id", "family"}. */
    public static final FieldMap GEOMETRY3K = new FieldMap("id", "problem", "answer", "solution", "images", "family");
    /** The MAYE release style: {"id", "question", "answer", "solution", "image": path}. */
    public static final FieldMap MAYE = new FieldMap("id", "question", "answer", "solution", "image", "family");

    /** The known layout a line is in: geometry3k when it has "problem", else MAYE. */
    public static FieldMap detect(JsonNode line) {
        return line.has(GEOMETRY3K.question) ? GEOMETRY3K : MAYE;
    }

    public FieldMap {
        if (question == null || answer == null || image == null)
            throw new IllegalArgumentException("the question, answer and image keys are required (id, solution and family may be null)");
    }

    /** The keys this map reads, to tell them from the extra fields. */
    java.util.Set<String> keys() {
        java.util.Set<String> k = new java.util.HashSet<>(java.util.Arrays.asList(id, question, answer, solution, image, family));
        k.remove(null);
        return k;
    }
}
