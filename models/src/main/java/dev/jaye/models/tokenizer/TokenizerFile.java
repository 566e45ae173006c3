// SPDX-License-Identifier: Apache-2.0
package dev.jaye.models.tokenizer;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jaye.models.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;


/**
 * The tokenizer's file: JSON holding only what cannot be recomputed.
 * <pre>
 * {"type": "byte-bpe", "version": 1,
 *  "specials": ["&lt;pad&gt;", "&lt;bos&gt;", "&lt;eos&gt;", "&lt;image&gt;"],
 *  "merges": [[76, 73], [105, 264], ...]}
 * </pre>
 * Ids are implied: specials first, then the 256 bytes, then merge i is id 260 + i. The specials
 * are written out, although fixed, so that a file made with other specials is refused instead of
 * silently shifting every id. Unknown extra fields are ignored.
 */
final class TokenizerFile {
    private TokenizerFile() {}

    static final String TYPE = "byte-bpe";
    static final int VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Writes atomically (see {@link AtomicFiles}): a crash leaves the old file or the new one. */
    static void write(int[][] merges, Path file) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("type", TYPE);
        root.put("version", VERSION);
        ArrayNode specials = root.putArray("specials");
        Tokenizer.SPECIALS.forEach(specials::add);
        ArrayNode list = root.putArray("merges");
        for (int[] m : merges) list.addArray().add(m[0]).add(m[1]);

        AtomicFiles.write(file, out -> MAPPER.writerWithDefaultPrettyPrinter().writeValue(out, root));
    }

    /** Reads and validates a file; the error names the file and the field at fault. */
    static int[][] read(Path file) throws IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new IOException("tokenizer file " + file + ": not valid JSON" + where + ": " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) throw bad(file, "(top level)", "expected a JSON object");

        JsonNode type = root.get("type");
        if (type == null) throw bad(file, "type", "missing");
        if (!type.isTextual() || !type.asText().equals(TYPE))
            throw bad(file, "type", "unknown tokenizer type " + type + " (expected \"" + TYPE + "\")");
        JsonNode version = root.get("version");
        if (version == null) throw bad(file, "version", "missing");
        if (!version.isInt() || version.asInt() != VERSION)
            throw bad(file, "version", "unsupported version " + version + " (this reader knows " + VERSION + ")");

        JsonNode specials = root.get("specials");
        if (specials == null) throw bad(file, "specials", "missing");
        List<String> got = new ArrayList<>();
        if (specials.isArray()) specials.forEach(s -> got.add(s.isTextual() ? s.asText() : s.toString()));
        if (!specials.isArray() || !got.equals(Tokenizer.SPECIALS))
            throw bad(file, "specials", "expected " + MAPPER.valueToTree(Tokenizer.SPECIALS) + " but found " + specials);

        JsonNode list = root.get("merges");
        if (list == null) throw bad(file, "merges", "missing");
        if (!list.isArray()) throw bad(file, "merges", "expected an array of [left id, right id] pairs");
        int[][] merges = new int[list.size()][];
        Map<Long, Integer> seen = new HashMap<>();
        for (int i = 0; i < merges.length; i++) {
            JsonNode m = list.get(i);
            if (!m.isArray() || m.size() != 2 || !m.get(0).isInt() || !m.get(1).isInt())
                throw bad(file, "merges[" + i + "]", "expected a pair of integer ids [left, right], found " + m);
            merges[i] = new int[]{m.get(0).asInt(), m.get(1).asInt()};
            String[] problem = checkMerge(merges[i], i, seen);
            if (problem != null) throw bad(file, "merges[" + i + "]" + problem[0], problem[1]);
        }
        return merges;
    }

    private static IOException bad(Path file, String field, String problem) {
        return new IOException("tokenizer file " + file + ": field '" + field + "': " + problem);
    }

    /**
     * What is wrong with merge {@code i}, as {sub-field, problem}, or null. Its ids must already
     * exist (a byte, or an earlier merge) and not be special; the same pair cannot be merged
     * twice. {@code seen} collects the pairs of the merges checked so far.
     */
    static String[] checkMerge(int[] m, int i, Map<Long, Integer> seen) {
        if (m.length != 2) return new String[]{"", "expected 2 ids, found " + m.length};
        int defined = Tokenizer.FIRST_MERGE + i;                      // ids below this exist when merge i is made
        for (int side = 0; side < 2; side++) {
            int id = m[side];
            if (id < Tokenizer.BYTE_OFFSET && id >= 0)
                return new String[]{"[" + side + "]", "id " + id + " is the special token " + Tokenizer.SPECIALS.get(id)
                        + ", which is never merged"};
            if (id < 0 || id >= defined)
                return new String[]{"[" + side + "]", "id " + id + " is not defined yet (merge " + i + " may use ids "
                        + Tokenizer.BYTE_OFFSET + ".." + (defined - 1) + ")"};
        }
        Integer earlier = seen.putIfAbsent(BpeTrainer.pair(m[0], m[1]), i);
        if (earlier != null)
            return new String[]{"", "the pair [" + m[0] + ", " + m[1] + "] is already merges[" + earlier + "]"};
        return null;
    }
}
