// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands as a user runs them (in-process, output captured). */
class CommandLineTest {
    @TempDir
    Path dir;

    @Test
    void gradcheckPassesForEveryOpAndRefusesAnUnknownOne() {
        Cli.Run r = Cli.run("gradcheck", "--tries", "1");
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("all gradients agree"), r.out());
        assertTrue(r.out().contains("attention") && r.out().contains("layer_norm"), r.out());
        Cli.Run unknown = Cli.run("gradcheck", "--op", "no_such_op");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("no op named 'no_such_op'"), unknown.err());
    }

    @Test
    void initWritesAModelThatInfoReads() {
        Path model = dir.resolve("nano");
        Cli.Run init = Cli.run("init", "--preset", "nano", "--out", model.toString(), "--seed", "3");
        assertEquals(0, init.code(), init.out() + init.err());
        assertTrue(Files.isRegularFile(model.resolve("model.safetensors")));
        Cli.Run info = Cli.run("info", "--checkpoint", model.toString());
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("lm.layers") && info.out().contains("total"), info.out());
    }

    @Test
    void generateAnswersFromAModelFolderAndPrintsJson() throws Exception {
        Path model = dir.resolve("m");
        assertEquals(0, Cli.run("init", "--preset", "nano", "--out", model.toString()).code());
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(64, 64, java.awt.image.BufferedImage.TYPE_INT_RGB);
        Path png = dir.resolve("x.png");
        javax.imageio.ImageIO.write(img, "png", png.toFile());
        Cli.Run r = Cli.run("generate", "--checkpoint", model.toString(), "--image", png.toString(), "--prompt", "How many?",
                "--max-tokens", "5", "--json");
        assertEquals(0, r.code(), r.err());
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out().strip());
        assertEquals(5, json.get("response_ids").size());
        assertEquals(5, json.get("logprobs").size());
        assertEquals(1, json.get("prompt_ids").get(0).asInt(), "prompt starts with <bos>");
        Cli.Run again = Cli.run("generate", "--checkpoint", model.toString(), "--image", png.toString(), "--prompt", "How many?",
                "--max-tokens", "5", "--json");
        assertEquals(r.out(), again.out(), "greedy is deterministic");
    }

    @Test
    void helpListsTheCommands() {
        Cli.Run r = Cli.run("--help");
        assertEquals(0, r.code());
        for (String c : new String[]{"quickstart", "init", "info", "generate", "gradcheck", "bench"}) assertTrue(r.out().contains(c), c);
    }
}
