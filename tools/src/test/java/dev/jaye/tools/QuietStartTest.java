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
    /** What {@code jaye info} did in a JVM of its own, started as the launcher starts it, plus {@code jvmFlags}. */
    private record Run(int exit, byte[] out, String err) {}

    private static Run info(String... jvmFlags) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"));
        cmd.addAll(List.of(jvmFlags));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "info"));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "jaye info did not finish");
        return new Run(p.exitValue(), out, err);
    }

    @Test
    void infoPrintsNoLogRecordsOnStderr() throws Exception {
        Run r = info();
        String err = r.err();
        assertEquals(0, r.exit(), err);
        assertTrue(r.out().length > 0);                              // info's own lines: not what this test is about
        for (String line : err.split("\n")) {
            if (line.isBlank() || line.equals("WARNING: Using incubator modules: jdk.incubator.vector")) continue;
            throw new AssertionError("unexpected stderr line from jaye info: " + line + "\n(all of stderr:\n" + err + ")");
        }
    }

    /** A bad -Djaye.simd.bits, read when the kernels start, is one line naming the option, exit code 1. */
    @Test
    void aBadVectorWidthIsOneLineNamingTheOption() throws Exception {
        Run r = info("-Djaye.simd.bits=100");
        assertEquals(1, r.exit(), r.err());
        List<String> lines = r.err().lines().filter(l -> !l.isBlank() && !l.startsWith("WARNING: Using incubator")).toList();
        assertEquals(List.of("jaye: -Djaye.simd.bits must be 128, 256 or 512, got '100'"), lines, r.err());
    }
}
