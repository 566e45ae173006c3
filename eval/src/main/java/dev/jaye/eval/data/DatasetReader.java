// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads one JSONL split and checks every line before training starts, because a bad line found
 * an hour into a run costs the hour. Each problem is a {@link DatasetException} naming the file
 * and the 1-based line: a line that is not a JSON object, a missing or mistyped field, a
 * duplicate id, an image path that is absolute or climbs out of the dataset folder (a dataset
 * must not make the trainer read arbitrary files), an image that is missing or does not decode.
 * With {@code skipBad}, such lines are skipped and counted instead. Blank lines are ignored.
 */
public final class DatasetReader {
    private DatasetReader() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param fields  the layout, or null to detect it per line ({@link FieldMap#detect})
     * @param skipBad skip bad lines (and count them) instead of failing on the first
     */
    public record Options(FieldMap fields, boolean skipBad) {
        public static Options strict() {
            return new Options(null, false);
        }

        public static Options skippingBad() {
            return new Options(null, true);
        }
    }

    /** The loaded samples, how many lines were skipped, and why (the first 100 problems). */
    public record Loaded(List<Sample> samples, int skipped, List<DatasetException> problems) {}

    public static Loaded load(Path jsonl) throws IOException {
        return load(jsonl, Options.strict());
    }

    /**
     * Split {@code name} of the dataset folder {@code dir} ({@code dir/name.jsonl}), strictly, cut to
     * its first {@code limit} samples (0: all): what the trainers and experiments read.
     */
    public static List<Sample> split(Path dir, String name, int limit) throws IOException {
        return split(dir, name, limit, null);
    }

    /** {@link #split} with the JSON keys given by {@code fields} (null: detect each line's layout). */
    public static List<Sample> split(Path dir, String name, int limit, FieldMap fields) throws IOException {
        List<Sample> s = load(splitFile(dir, name), new Options(fields, false)).samples();
        return limit > 0 && limit < s.size() ? s.subList(0, limit) : s;
    }

    /**
     * The file of split {@code name} in the dataset folder {@code dir}: {@code dir/name.jsonl} for
     * any name (train, val, test, test_ood, or a release's own, such as geometry3k_validation_v0),
     * and a name ending in .jsonl is a file: in {@code dir} if it is there, else the path as given.
     */
    public static Path splitFile(Path dir, String name) {
        String n = name.strip();
        if (n.isEmpty()) throw new IllegalArgumentException("the split name is empty");
        if (!n.endsWith(".jsonl")) return dir.resolve(n + ".jsonl");
        Path inside = dir.resolve(n);
        return Files.isRegularFile(inside) ? inside : Path.of(n);
    }

    /** The split a file holds, as results and file names say it: its name without ".jsonl". */
    public static String splitName(Path jsonl) {
        return jsonl.getFileName().toString().replaceFirst("\\.jsonl$", "");
    }

    public static Loaded load(Path jsonl, Options opts) throws IOException {
        if (!Files.isRegularFile(jsonl)) throw new DatasetException(jsonl, 0, "no such file"
                + (Files.isDirectory(jsonl.getParent() == null ? Path.of(".") : jsonl.getParent()) ? ""
                : " (the folder does not exist either: './jaye data generate --out " + jsonl.getParent() + "' makes a dataset)"));
        Path base = jsonl.toAbsolutePath().normalize().getParent();
        List<Sample> samples = new ArrayList<>();
        List<DatasetException> problems = new ArrayList<>();
        Map<String, Integer> seenIds = new HashMap<>();
        int skipped = 0, lineNo = 0;
        try (BufferedReader in = Files.newBufferedReader(jsonl, StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; ) {
                lineNo++;
                if (line.isBlank()) continue;
                try {
                    Sample s = parse(jsonl, base, lineNo, line, opts.fields());
                    Integer first = seenIds.putIfAbsent(s.id(), lineNo);
                    if (first != null) throw new DatasetException(jsonl, lineNo, "duplicate id '" + s.id() + "' (first on line " + first + ")");
                    samples.add(s);
                } catch (DatasetException e) {
                    if (!opts.skipBad()) throw e;
                    skipped++;
                    if (problems.size() < 100) problems.add(e);
                }
            }
        } catch (java.nio.charset.MalformedInputException e) {
            // the reader decodes ahead of the line it returns, so its count is not where the bytes are
            throw new DatasetException(jsonl, firstNonUtf8Line(jsonl), "not UTF-8 text");
        }
        return new Loaded(List.copyOf(samples), skipped, List.copyOf(problems));
    }

    /** The 1-based line holding the first bytes that are not UTF-8 (each line decoded on its own). */
    static int firstNonUtf8Line(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        var decoder = StandardCharsets.UTF_8.newDecoder();
        int line = 1, start = 0;
        for (int i = 0; i <= b.length; i++) {
            if (i < b.length && b[i] != '\n') continue;
            try {
                decoder.decode(java.nio.ByteBuffer.wrap(b, start, i - start));
            } catch (java.nio.charset.CharacterCodingException e) {
                return line;
            }
            line++;
            start = i + 1;
        }
        return line;
    }

    private static Sample parse(Path file, Path base, int lineNo, String line, FieldMap fixed) throws DatasetException {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new DatasetException(file, lineNo, "bad JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) throw new DatasetException(file, lineNo, "a line must be one JSON object");
        FieldMap f = fixed != null ? fixed : FieldMap.detect(node);
        String question = text(file, lineNo, node, f.question(), true);
        String answer = text(file, lineNo, node, f.answer(), true);
        if (answer.isBlank())                           // an empty answer would judge an empty \boxed{} right
            throw new DatasetException(file, lineNo, "field \"" + f.answer() + "\" is empty");
        String solution = f.solution() == null ? null : text(file, lineNo, node, f.solution(), false);
        String family = f.family() == null ? null : text(file, lineNo, node, f.family(), false);
        String id = f.id() == null ? null : text(file, lineNo, node, f.id(), false);
        if (id == null) id = stem(file) + ":" + lineNo;
        Path image = image(file, base, lineNo, node, f.image());

        Map<String, Object> extra = new LinkedHashMap<>();
        java.util.Set<String> known = f.keys();
        for (Map.Entry<String, JsonNode> e : node.properties())
            if (!known.contains(e.getKey())) extra.put(e.getKey(), JSON.convertValue(e.getValue(), Object.class));
        return new Sample(id, image, question, answer, solution, family, extra);
    }

    /** A string field; numbers are accepted and kept as written ("12", "2.5"). */
    private static String text(Path file, int lineNo, JsonNode node, String key, boolean required) throws DatasetException {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            if (required) throw new DatasetException(file, lineNo, "missing field \"" + key + "\"");
            return null;
        }
        if (v.isTextual()) return v.asText();
        if (v.isNumber()) return v.asText();
        throw new DatasetException(file, lineNo, "field \"" + key + "\" must be a string or a number, got " + v.getNodeType().name().toLowerCase());
    }

    private static Path image(Path file, Path base, int lineNo, JsonNode node, String key) throws DatasetException {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) throw new DatasetException(file, lineNo, "missing field \"" + key + "\"");
        if (v.isArray()) {
            // geometry3k writes a list; jaye's models take one image per query.
            if (v.size() != 1) throw new DatasetException(file, lineNo, "field \"" + key + "\" must list exactly one image, has " + v.size());
            v = v.get(0);
        }
        if (!v.isTextual() || v.asText().isBlank()) throw new DatasetException(file, lineNo, "field \"" + key + "\" must be an image path");
        String rel = v.asText();
        Path p;
        try {
            p = Path.of(rel);
        } catch (InvalidPathException e) {
            throw new DatasetException(file, lineNo, "image path \"" + rel + "\" is not a valid path");
        }
        if (p.isAbsolute() || rel.startsWith("/") || rel.startsWith("\\"))
            throw new DatasetException(file, lineNo, "image path \"" + rel + "\" is absolute; it must be relative to " + base);
        Path abs = base.resolve(p).normalize();
        if (!abs.startsWith(base)) throw new DatasetException(file, lineNo, "image path \"" + rel + "\" leaves the dataset folder " + base);
        if (!Files.isRegularFile(abs)) throw new DatasetException(file, lineNo, "image " + rel + " does not exist (" + abs + ")");
        try {
            // A link inside the folder may still point out of it: compare the real paths too.
            if (!abs.toRealPath().startsWith(base.toRealPath()))
                throw new DatasetException(file, lineNo, "image path \"" + rel + "\" links out of the dataset folder " + base);
        } catch (IOException e) {
            if (e instanceof DatasetException d) throw d;
            throw new DatasetException(file, lineNo, "image " + rel + " cannot be resolved: " + e.getMessage());
        }
        try {
            // A full decode: small images decode in well under a millisecond, and it catches truncated files.
            BufferedImage img = ImageIO.read(abs.toFile());
            if (img == null) throw new DatasetException(file, lineNo, "image " + rel + " is not in a format Java can read (PNG, JPEG, GIF, BMP)");
        } catch (IOException e) {
            if (e instanceof DatasetException d) throw d;
            throw new DatasetException(file, lineNo, "image " + rel + " cannot be read: " + e.getMessage());
        }
        return abs;
    }

    private static String stem(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
