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
            CommandLine cl = Main.commandLine();
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
    void generateAnswersFromAModelFolderAndPrintsJson() throws Exception {
        Path model = dir.resolve("m");
        assertEquals(0, run("init", "--preset", "nano", "--out", model.toString()).code());
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(64, 64, java.awt.image.BufferedImage.TYPE_INT_RGB);
        Path png = dir.resolve("x.png");
        javax.imageio.ImageIO.write(img, "png", png.toFile());
        Run r = run("generate", "--checkpoint", model.toString(), "--image", png.toString(), "--prompt", "How many?",
                "--max-tokens", "5", "--json");
        assertEquals(0, r.code(), r.err());
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out().strip());
        assertEquals(5, json.get("response_ids").size());
        assertEquals(5, json.get("logprobs").size());
        assertEquals(1, json.get("prompt_ids").get(0).asInt(), "prompt starts with <bos>");
        Run again = run("generate", "--checkpoint", model.toString(), "--image", png.toString(), "--prompt", "How many?",
                "--max-tokens", "5", "--json");
        assertEquals(r.out(), again.out(), "greedy is deterministic");
    }

    @Test
    void helpListsTheCommands() {
        Run r = run("--help");
        assertEquals(0, r.code());
        for (String c : new String[]{"quickstart", "init", "info", "generate", "gradcheck", "bench"}) assertTrue(r.out().contains(c), c);
    }
}
