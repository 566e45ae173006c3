// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input gets one line naming the file or the option, never a stack trace. */
class BadInputMessagesTest {
    @TempDir
    Path dir;

    private static void saysOnly(Cli.Run r, String expected) {
        assertTrue(r.code() != 0, "fails: " + r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), "no stack trace: " + r.err());
    }

    @Test
    void optionsAreNamedAsTheUserTypedThem() throws IOException {
        saysOnly(Cli.run("data", "generate", "--out", dir.resolve("d").toString(), "--train", "-3"), "--train must be >= 0, got -3");
        saysOnly(Cli.run("data", "generate", "--out", dir.resolve("d").toString(), "--reflection-fraction", "2"), "--reflection-fraction must be in [0, 1]");
        assertFalse(Files.exists(dir.resolve("d")), "refused before any work");

        Path model = dir.resolve("m");
        assertEquals(0, Cli.run("init", "--out", model.toString(), "--preset", "nano").code());
        assertEquals(0, Cli.run("data", "generate", "--out", dir.resolve("ds").toString(), "--train", "0", "--val", "1", "--test", "0", "--test-ood", "0").code());
        Path image;
        try (var s = Files.walk(dir.resolve("ds/images"))) {
            image = s.filter(p -> p.toString().endsWith(".png")).findFirst().orElseThrow();
        }
        saysOnly(Cli.run("generate", "--checkpoint", model.toString(), "--image", image.toString(), "--prompt", "how many?", "--max-tokens", "0"),
                "--max-tokens");
        saysOnly(Cli.run("generate", "--checkpoint", model.toString(), "--image", dir.toString(), "--prompt", "how many?"),
                "image " + dir + " is a folder, not an image file");

        saysOnly(Cli.run("generate", "--checkpoint", model.toString(), "--image", image.toString(), "--prompt", "how many?", "--top-p", "0",
                "--temperature", "1"), "--top-p must be in (0, 1], got 0.0");
        saysOnly(Cli.run("eval", "--checkpoint", model.toString(), "--data", dir.resolve("ds").toString(), "--split", "val", "--out", dir.toString()),
                "--out " + dir + " is a folder");
        Path huge = hugePng(dir.resolve("huge.png"));
        saysOnly(Cli.run("generate", "--checkpoint", model.toString(), "--image", huge.toString(), "--prompt", "how many?"),
                "image " + huge + " is 20000x20000 pixels");

        Files.writeString(model.resolve("config.json"), "null");
        saysOnly(Cli.run("generate", "--checkpoint", model.toString(), "--image", image.toString(), "--prompt", "how many?"),
                "model config " + model.resolve("config.json") + " should be a JSON object");
    }

    /** A PNG whose header says 20000x20000 (a few bytes; decoding it would take gigabytes). */
    private static Path hugePng(Path file) throws IOException {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.writeBytes(new byte[]{(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13).putInt(20000).putInt(20000).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(b, "IHDR", ihdr.array());
        chunk(b, "IEND", new byte[0]);
        return Files.write(file, b.toByteArray());
    }

    private static void chunk(java.io.ByteArrayOutputStream b, String type, byte[] data) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        crc.update(data);
        b.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
        b.writeBytes(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        b.writeBytes(data);
        b.writeBytes(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    @Test
    void fileSystemErrorsNameTheFile() {
        assertEquals("no such file: /x/optimizer.safetensors", Main.describe(new NoSuchFileException("/x/optimizer.safetensors")));
        assertEquals("/x/metrics.jsonl: No space left on device",
                Main.describe(new FileSystemException("/x/metrics.jsonl", null, "No space left on device")));
        Path f = Path.of("/x/metrics.jsonl");
        assertEquals("writing /x/metrics.jsonl: No space left on device",
                Main.describe(dev.jaye.models.io.AtomicFiles.named(f, new IOException("No space left on device"))));
        assertTrue(Main.describe(new OutOfMemoryError()).startsWith("out of memory (the Java heap is "));
        assertNull(Main.describe(new NullPointerException()), "a bug keeps its stack trace");
    }
}
