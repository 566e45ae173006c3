// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a {@code metrics.jsonl} (or a vanilla {@code eval.jsonl}) strictly: every line must be a
 * JSON object, and the keys the report plots must hold numbers (or null). A garbled line fails
 * with its file and line number rather than leaving a silent gap in a curve, because a curve
 * that quietly lost points is worse than no report.
 */
public final class MetricsFile {
    private MetricsFile() {}

    /** Trailing tokens fail: two records glued by a lost newline must not read as the first alone. */
    private static final ObjectReader JSON = new ObjectMapper().readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Keys the report reads as numbers; a string here is damage, not a new metric. */
    private static final Set<String> NUMERIC = Set.of("generation_step", "step", "epoch", "accuracy", "train_accuracy",
            "mean_response_length", "reflection_ratio", "correct_ratio_in_reflection_texts", "loss", "policy_loss",
            "time/step", "seconds");

    /** Every line of {@code file}, in order. */
    public static List<Line> read(Path file) throws ReportException {
        String shown = file.toString();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ReportException(file, 0, "missing");
        } catch (IOException e) {
            throw new ReportException(file, 0, "cannot read: " + e.getMessage());
        }
        List<String> raw = text.lines().toList();
        boolean lastUnended = !text.isEmpty() && !text.endsWith("\n");
        int end = raw.size();
        while (end > 0 && raw.get(end - 1).isBlank()) end--;   // a trailing newline or two is harmless
        if (end == 0) throw new ReportException(file, 0, "holds no lines");
        List<Line> lines = new ArrayList<>(end);
        for (int i = 0; i < end; i++) {
            try {
                lines.add(parse(raw.get(i), shown, i + 1));
            } catch (ReportException e) {
                // the last line without its newline is one being written (a run in progress) or cut by a crash,
                // which a resume removes: leave it out. Anywhere else a bad line is damage.
                if (i == end - 1 && end == raw.size() && lastUnended && i > 0) break;
                throw e;
            }
        }
        return lines;
    }

    /** A JSON array's numbers, or null when it is empty or holds anything else. */
    private static double[] numbers(JsonNode array) {
        double[] x = new double[array.size()];
        for (int i = 0; i < x.length; i++) {
            if (!array.get(i).isNumber()) return null;
            x[i] = array.get(i).asDouble();
        }
        return x.length == 0 ? null : x;
    }

    /** One line; public so tests can state what counts as garbled. */
    public static Line parse(String text, String file, int number) throws ReportException {
        // The writers never leave a blank line inside a file: one there means a line was lost.
        if (text.isBlank()) throw new ReportException(Path.of(file), number, "empty line");
        JsonNode node;
        try {
            node = JSON.readValue(text);
        } catch (JsonProcessingException e) {
            throw new ReportException(Path.of(file), number, "not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) throw new ReportException(Path.of(file), number, "not a JSON object");
        Map<String, Double> numbers = new HashMap<>();
        Map<String, String> strings = new HashMap<>();
        Map<String, double[]> arrays = new HashMap<>();
        for (var it = node.properties().iterator(); it.hasNext(); ) {
            var e = it.next();
            String k = e.getKey();
            JsonNode v = e.getValue();
            if (v.isNumber()) numbers.put(k, v.asDouble());
            else if (v.isNull()) numbers.put(k, Double.NaN);
            else if (NUMERIC.contains(k) || k.startsWith("reflection_words/"))
                throw new ReportException(Path.of(file), number, "\"" + k + "\" should be a number or null, got " + v);
            else if (v.isTextual()) strings.put(k, v.asText());
            else if (v.isArray() && numbers(v) != null) arrays.put(k, numbers(v));
            // booleans, other arrays and objects are notes for people (diagnosis, flags): not read
        }
        return new Line(file, number, Map.copyOf(numbers), Map.copyOf(strings), Map.copyOf(arrays));
    }
}
