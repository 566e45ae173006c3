// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the peer benchmarks (OpenBLAS, PyTorch, the C FMA peak) measured on this machine (their --json lines), so a jaye benchmark can
 * print its ratios to the peers. Only compare numbers measured on the same machine, close in time.
 */
final class Peers {
    private final Map<String, Double> gflops = new HashMap<>();

    private static String key(String lib, String form, int m, int n, int k, int threads) {
        return lib + " " + form + " " + m + "x" + n + "x" + k + " t" + threads;
    }

    static Peers read(Path file) {
        Peers p = new Peers();
        ObjectMapper json = new ObjectMapper();
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read peers file " + file + ": " + e.getMessage(), e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (!line.startsWith("{")) continue;     // peers may print progress lines
            JsonNode o;
            try {
                o = json.readTree(line);
            } catch (IOException e) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": not JSON: " + e.getMessage());
            }
            String bench = o.path("bench").asText();
            int t = o.path("threads").asInt();
            if (bench.equals("peak")) p.gflops.put(key("peak", "", 0, 0, 0, t), o.path("gflops").asDouble());
            else if (bench.equals("matmul")) p.gflops.put(key(o.path("lib").asText(), o.path("form").asText(),
                    o.path("m").asInt(), o.path("n").asInt(), o.path("k").asInt(), t), o.path("gflops").asDouble());
        }
        return p;
    }

    /** "  x1.52  x1.61  85%" for one measurement; "-" where the peers have no such row. */
    String columns(String form, int m, int n, int k, int threads, double jaye) {
        Double blas = gflops.get(key("openblas", form, m, n, k, threads)), torch = gflops.get(key("torch", form, m, n, k, threads));
        Double peak = gflops.get(key("peak", "", 0, 0, 0, threads));
        return String.format(Locale.ROOT, "  %10s %8s %10s", ratio(jaye, blas), ratio(jaye, torch),
                peak == null ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * jaye / peak));
    }

    private static String ratio(double a, Double b) {
        return b == null ? "-" : String.format(Locale.ROOT, "x%.2f", a / b);
    }
}
