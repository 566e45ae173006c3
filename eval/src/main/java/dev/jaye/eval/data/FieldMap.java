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

    /** The six parts a map names, in the order of its components. */
    public static final java.util.List<String> PARTS = java.util.List.of("id", "question", "answer", "solution", "image", "family");

    /**
     * A map from the command line: {@code question=prompt,answer=label,image=img} (parts not named
     * are not read: null). An unknown part, a part named twice or a missing required one is an
     * error that names it.
     */
    public static FieldMap parse(String spec) {
        java.util.Map<String, String> keys = new java.util.HashMap<>();
        for (String pair : spec.split(",")) {
            String[] kv = pair.strip().split("=", 2);
            if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank())
                throw new IllegalArgumentException("fields '" + spec + "': '" + pair.strip() + "' is not PART=KEY (e.g. question=prompt)");
            String part = kv[0].strip();
            if (!PARTS.contains(part)) throw new IllegalArgumentException("fields '" + spec + "': unknown part '" + part + "' (parts: " + PARTS + ")");
            if (keys.put(part, kv[1].strip()) != null) throw new IllegalArgumentException("fields '" + spec + "': '" + part + "' is named twice");
        }
        for (String req : new String[]{"question", "answer", "image"})
            if (!keys.containsKey(req)) throw new IllegalArgumentException("fields '" + spec + "': '" + req + "' is required (question, answer and image are)");
        return new FieldMap(keys.get("id"), keys.get("question"), keys.get("answer"), keys.get("solution"), keys.get("image"), keys.get("family"));
    }

    /** The map as a YAML flow mapping, the form a config's {@code data.fields} takes. */
    public String toYaml() {
        String[] v = {id, question, answer, solution, image, family};
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < v.length; i++)
            b.append(i == 0 ? "" : ", ").append(PARTS.get(i)).append(": ").append(v[i] == null ? "null" : "'" + v[i].replace("'", "''") + "'");
        return b.append('}').toString();
    }

    /** The keys this map reads, to tell them from the extra fields. */
    java.util.Set<String> keys() {
        java.util.Set<String> k = new java.util.HashSet<>(java.util.Arrays.asList(id, question, answer, solution, image, family));
        k.remove(null);
        return k;
    }
}
