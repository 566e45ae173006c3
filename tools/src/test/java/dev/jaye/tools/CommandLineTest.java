// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands as a user runs them (in-process, output captured). */
class CommandLineTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        java.io.PrintStream saved = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(captured, true));
        int code;
        try {
            CommandLine cl = new CommandLine(new Main());
            cl.setOut(new PrintWriter(out));
            cl.setErr(new PrintWriter(err));
            code = cl.execute(args);
        } finally {
            System.setOut(saved);
        }
        return new Run(code, captured + out.toString(), err.toString());
    }

    @Test
    void gradcheckPassesForEveryOpAndRefusesAnUnknownOne() {
        Run r = run("gradcheck", "--tries", "1");
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("all gradients agree"), r.out());
        assertTrue(r.out().contains("attention") && r.out().contains("layer_norm"), r.out());
        java.io.PrintStream savedErr = System.err;
        System.setErr(new java.io.PrintStream(new java.io.ByteArrayOutputStream()));
        try {
            assertEquals(2, run("gradcheck", "--op", "no_such_op").code());
        } finally {
            System.setErr(savedErr);
        }
    }

    @Test
    void initWritesAModelThatInfoReads() {
        Path model = dir.resolve("nano");
        Run init = run("init", "--preset", "nano", "--out", model.toString(), "--seed", "3");
        assertEquals(0, init.code(), init.out() + init.err());
        assertTrue(Files.isRegularFile(model.resolve("model.safetensors")));
        Run info = run("info", "--checkpoint", model.toString());
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("lm.layers") && info.out().contains("total"), info.out());
    }

    @Test
    void helpListsTheCommands() {
        Run r = run("--help");
        assertEquals(0, r.code());
        for (String c : new String[]{"quickstart", "init", "info", "gradcheck", "bench"}) assertTrue(r.out().contains(c), c);
    }
}
