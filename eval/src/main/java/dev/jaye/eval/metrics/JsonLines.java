// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Metrics files: one JSON object per line ({@code metrics.jsonl}), appended as a run goes. A
 * metric that is undefined (NaN: a ratio with a zero denominator) or infinite is written as
 * {@code null}, which every JSON reader accepts and every plot shows as a gap.
 */
public final class JsonLines {
    private JsonLines() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One line of JSON for {@code record}, keys in the map's order. */
    public static String format(Map<String, ?> record) {
        Map<String, Object> clean = new LinkedHashMap<>();
        record.forEach((k, v) -> clean.put(k, v instanceof Double d && !Double.isFinite(d) || v instanceof Float f && !Float.isFinite(f) ? null : v));
        try {
            return JSON.writeValueAsString(clean);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write metrics record: " + e.getOriginalMessage(), e);
        }
    }

    /** Appends one record as a line and flushes it: a crash loses at most the line being written. */
    public static void append(Path file, Map<String, ?> record) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        String line = format(record) + "\n";        // one write of the whole line: a failure leaves at most its start
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            w.write(line);
        } catch (IOException e) {
            throw dev.jaye.models.io.AtomicFiles.named(file, e);
        }
    }
}
