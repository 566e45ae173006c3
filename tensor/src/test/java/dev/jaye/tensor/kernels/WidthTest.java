// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.kernels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Same seed, same numbers, on any CPU: every kernel gives the same bits with 4, 8 and 16 floats per
 * vector. {@link WidthProbe} runs each kernel on fixed inputs, tails and ragged tiles
 * included, in a JVM per width ({@code -Djaye.simd.bits=128|256|512}; a width this CPU lacks
 * runs in Java, with the same arithmetic), and the digests of their outputs must agree, kernel by
 * kernel. Before sums kept a fixed count of partials and tails took the vector code, 17 of the
 * probe's 41 kernels differed between 8 and 16 floats (and between 8 and 4).
 */
class WidthTest {
    @TempDir
    Path dir;

    @Test
    void everyKernelGivesTheSameBitsAtEveryVectorWidth() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Map<String, Process> runs = new LinkedHashMap<>();
        for (String bits : List.of("128", "256", "512"))
            runs.put(bits, new ProcessBuilder(java, "--add-modules=jdk.incubator.vector", "-Xmx256m", "-Djaye.simd.bits=" + bits,
                    "-cp", System.getProperty("java.class.path"), WidthProbe.class.getName())
                    .redirectErrorStream(true).redirectOutput(dir.resolve(bits + ".txt").toFile()).start());
        Map<String, List<String>> lines = new LinkedHashMap<>();
        for (var e : runs.entrySet()) {
            Path out = dir.resolve(e.getKey() + ".txt");
            assertEquals(0, e.getValue().waitFor(), Files.readString(out));
            lines.put(e.getKey(), Files.readAllLines(out).stream().filter(l -> !l.startsWith("WARNING")).toList());
        }
        List<String> want = lines.get("256");
        assertTrue(want.size() > 40, "the probe printed " + want);
        for (var e : lines.entrySet()) {
            List<String> got = e.getValue();
            assertEquals("width " + Integer.parseInt(e.getKey()) / 32, got.get(0), "the probe ran at " + e.getKey() + " bits");
            assertEquals(want.size(), got.size());
            for (int i = 1; i < want.size(); i++)
                assertEquals(want.get(i), got.get(i), "at " + e.getKey() + " bits against 256");
        }
    }
}
