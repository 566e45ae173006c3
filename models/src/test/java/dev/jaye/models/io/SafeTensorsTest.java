// SPDX-License-Identifier: Apache-2.0
package dev.jaye.models.io;

import dev.jaye.tensor.Rng;
import dev.jaye.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafeTensorsTest {
    @TempDir
    Path dir;

    /** An independent writer: the bytes spelled out by hand, as the format's description gives them. */
    private static byte[] handBuilt(String headerJson, byte[] data) {
        byte[] h = headerJson.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array();
        out.writeBytes(len);
        out.writeBytes(h);
        out.writeBytes(data);
        return out.toByteArray();
    }

    private static byte[] le(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        return b.array();
    }

    private Path file(byte[] bytes) throws IOException {
        Path p = dir.resolve("model.safetensors");
        Files.write(p, bytes);
        return p;
    }

    @Test
    void readsAFileWrittenByHandInF32F16AndBF16() throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.writeBytes(le(1f, -2f, 3.5f, 0.25f, 5f, 6f));                         // a: F32 [2,3], bytes 0-24
        data.writeBytes(new byte[]{0x00, 0x3C, 0x00, (byte) 0xC0});               // b: F16 [2] = 1.0, -2.0
        data.writeBytes(new byte[]{(byte) 0x80, 0x3F, 0x49, 0x40});               // c: BF16 [2] = 1.0, 3.140625
        String header = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
                + "\"b\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[24,28]},"
                + "\"c\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[28,32]}}";
        SafeTensors.Contents c = SafeTensors.readAll(file(handBuilt(header, data.toByteArray())));
        assertArrayEquals(new int[]{2, 3}, c.tensors().get("a").shape());
        assertArrayEquals(new float[]{1f, -2f, 3.5f, 0.25f, 5f, 6f}, c.tensors().get("a").data());
        assertArrayEquals(new float[]{1f, -2f}, c.tensors().get("b").data());
        assertArrayEquals(new float[]{1f, 3.140625f}, c.tensors().get("c").data());
        assertEquals("pt", c.metadata().get("format"));
    }

    @Test
    void writeThenReadGivesTheSameTensorsInOrder() throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("lm.embed.weight", Tensor.randn(new Rng(1), 1f, 7, 5));
        t.put("vision.pos_embed", Tensor.randn(new Rng(2), 1f, 3, 2, 4));
        t.put("scalar", Tensor.scalar(42f));
        t.put("empty", Tensor.zeros(0, 3));
        Path p = dir.resolve("out.safetensors");
        SafeTensors.write(p, t, Map.of("jaye", "0.1"));
        SafeTensors.Contents back = SafeTensors.readAll(p);
        assertEquals(t.keySet().stream().toList(), back.tensors().keySet().stream().toList());
        for (String k : t.keySet()) {
            assertArrayEquals(t.get(k).shape(), back.tensors().get(k).shape(), k);
            assertArrayEquals(t.get(k).data(), back.tensors().get(k).data(), k);
        }
        assertEquals("0.1", back.metadata().get("jaye"));
        long headerLen = ByteBuffer.wrap(Files.readAllBytes(p), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLen % 8, "data starts 8-byte aligned");
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void malformedFilesAreRefusedWithTheFileAndKey() throws IOException {
        String ok = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        refused(new byte[]{1, 2, 3}, "shorter than the 8-byte");
        byte[] truncated = handBuilt(ok, le(1f));                                  // 4 of 8 data bytes
        refused(truncated, "'w'", "outside the data");
        byte[] hugeHeader = handBuilt(ok, le(1f, 2f));
        ByteBuffer.wrap(hugeHeader).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        refused(hugeHeader, "declares a header of 1099511627776 bytes");
        refused(handBuilt("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", le(1f, 2f)), "'w'", "[3]", "span 8 bytes");
        refused(handBuilt("{\"w\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", le(1f, 2f)), "'w'", "I64");
        refused(handBuilt("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", le(1f, 2f)), "'w'", "outside the data");
        refused(handBuilt("{\"w\": [1, 2", le(1f, 2f)), "not JSON");
        refused(handBuilt("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", le(1f, 2f)), "'a' and 'b' overlap");
        refused(handBuilt("{\"w\":{\"dtype\":\"F32\",\"shape\":[65536,65536],\"data_offsets\":[0,8]}}", le(1f, 2f)), "'w'", "too large");
        // strict, where "last wins" or truncation would load something other than the file says
        refused(handBuilt("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", le(1f, 2f)), "Duplicate field 'w'");
        refused(handBuilt(ok, le(1f, 2f, 3f)), "4 bytes after its last tensor");
        refused(handBuilt("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", le(1f, 2f)), "4 bytes that belong to no tensor");
        refused(handBuilt("{\"w\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]}}", le(1f, 2f)), "'w'", "bad dimension 2.5");
        refused(handBuilt("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8.0]}}", le(1f, 2f)), "'w'", "data_offsets");
    }

    @Test
    void theSameTensorsAndMetadataGiveTheSameBytes() throws IOException {
        Map<String, String> a = new java.util.LinkedHashMap<>(), b = new java.util.LinkedHashMap<>();
        a.put("format", "jaye");
        a.put("producer", "x");
        b.put("producer", "x");
        b.put("format", "jaye");
        Map<String, dev.jaye.tensor.Tensor> t = Map.of("w", dev.jaye.tensor.Tensor.wrap(new float[]{1, 2}, 2));
        SafeTensors.write(dir.resolve("a.safetensors"), t, a);
        SafeTensors.write(dir.resolve("b.safetensors"), t, b);
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(dir.resolve("a.safetensors")), Files.readAllBytes(dir.resolve("b.safetensors"))));
    }

    private void refused(byte[] bytes, String... parts) throws IOException {
        Path p = file(bytes);
        IOException e = assertThrows(IOException.class, () -> SafeTensors.read(p));
        assertTrue(e.getMessage().contains(p.toString()), "names the file: " + e.getMessage());
        for (String s : parts) assertTrue(e.getMessage().contains(s), "'" + e.getMessage() + "' should contain " + s);
    }
}
