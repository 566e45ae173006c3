// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonLinesTest {
    @TempDir
    Path dir;

    @Test
    void undefinedMetricsBecomeNullAndLinesAppend() throws IOException {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("step", 3);
        r.put("reflection_ratio", Double.NaN);
        r.put("loss", 0.5);
        r.put("grad_norm", Float.POSITIVE_INFINITY);
        assertEquals("{\"step\":3,\"reflection_ratio\":null,\"loss\":0.5,\"grad_norm\":null}", JsonLines.format(r));
        Path f = dir.resolve("run/metrics.jsonl");
        JsonLines.append(f, r);
        JsonLines.append(f, Map.of("step", 4));
        List<String> lines = Files.readAllLines(f);
        assertEquals(2, lines.size());
        assertEquals("{\"step\":4}", lines.get(1));
    }
}
