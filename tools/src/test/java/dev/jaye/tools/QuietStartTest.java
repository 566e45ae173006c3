// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A command starts without library log records: {@code jaye info} (which asks Aparapi for every
 * OpenCL platform) in a JVM of its own, as the launcher starts it, prints nothing on stderr but
 * the JVM's incubator notice (which the launcher drops). Without an OpenCL loader Aparapi used to
 * log a SEVERE "Failed to load codegen native library" with a timestamp; on PoCL a WARNING about
 * an untested platform version.
 */
class QuietStartTest {
    @Test
    void infoPrintsNoLogRecordsOnStderr() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "--add-modules=jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "info"));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        var out = p.getInputStream().readAllBytes();                // info's own lines: not what this test is about
        String err = new String(p.getErrorStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "jaye info did not finish");
        assertEquals(0, p.exitValue(), err);
        assertTrue(out.length > 0);
        for (String line : err.split("\n")) {
            if (line.isBlank() || line.equals("WARNING: Using incubator modules: jdk.incubator.vector")) continue;
            throw new AssertionError("unexpected stderr line from jaye info: " + line + "\n(all of stderr:\n" + err + ")");
        }
    }

    /** A bad -Djaye.simd.bits, read when the kernels start, is one line naming the option, exit code 1. */
    @Test
    void aBadVectorWidthIsOneLineNamingTheOption() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-Djaye.simd.bits=100", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "info").start();
        p.getOutputStream().close();
        p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "jaye info did not finish");
        assertEquals(1, p.exitValue(), err);
        List<String> lines = err.lines().filter(l -> !l.isBlank() && !l.startsWith("WARNING: Using incubator")).toList();
        assertEquals(List.of("jaye: -Djaye.simd.bits must be 128, 256 or 512, got '100'"), lines, err);
    }
}
