// SPDX-License-Identifier: Apache-2.0
package dev.jaye.models.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jaye.tensor.Shape;
import dev.jaye.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format: 8 bytes of little-endian header length N, N bytes of JSON header, then
 * the tensors' bytes. The header maps each name to {"dtype", "shape", "data_offsets": [begin, end]}
 * (offsets into the data part) and may hold "__metadata__" (string to string).
 *
 * <p>Reading accepts F32, F16 and BF16 (converted to float32); writing writes F32. Everything in a
 * header is checked against the file before anything is allocated, so a corrupt or hostile header
 * cannot make the reader allocate more than the file holds; errors name the file and the key.
 */
public final class SafeTensors {
    private SafeTensors() {}

    /** A name given twice is refused: with "last wins", a file could change a weight without a word. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** Tensors and metadata of a file, in the header's order. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

    private record Entry(String name, String dtype, int[] shape, long begin, long end) {}

    public static Map<String, Tensor> read(Path file) throws IOException {
        return readAll(file).tensors();
    }

    public static Contents readAll(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) throw bad(file, "is " + size + " bytes, shorter than the 8-byte header length");
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0, file);
            long n = lenBuf.getLong(0);
            if (n < 2 || n > size - 8) throw bad(file, "declares a header of " + n + " bytes, but the file has " + (size - 8) + " after the length");
            ByteBuffer headerBuf = ByteBuffer.allocate((int) n);
            readFully(ch, headerBuf, 8, file);
            long dataStart = 8 + n, dataSize = size - dataStart;
            JsonNode header;
            try {
                header = JSON.readTree(new String(headerBuf.array(), StandardCharsets.UTF_8));
            } catch (JsonProcessingException e) {
                throw bad(file, "has a header that is not JSON: " + e.getOriginalMessage());
            }
            if (header == null || !header.isObject()) throw bad(file, "has a header that is not a JSON object");

            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> entries = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getKey().equals("__metadata__")) {
                    if (!f.getValue().isObject()) throw bad(file, "key __metadata__ is not an object");
                    f.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                } else {
                    entries.add(entry(file, f.getKey(), f.getValue(), dataSize));
                }
            }
            // Every data byte belongs to exactly one tensor: no overlaps, no holes, nothing after the last one.
            List<Entry> byOffset = new ArrayList<>(entries);
            byOffset.sort(Comparator.comparingLong(Entry::begin));
            long expect = 0;
            for (int i = 0; i < byOffset.size(); i++) {
                Entry e = byOffset.get(i);
                if (e.begin() < expect)
                    throw bad(file, "tensors '" + byOffset.get(i - 1).name() + "' and '" + e.name() + "' overlap");
                if (e.begin() > expect)
                    throw bad(file, "has " + (e.begin() - expect) + " bytes that belong to no tensor before '" + e.name() + "'");
                expect = e.end();
            }
            if (expect != dataSize)
                throw bad(file, "has " + (dataSize - expect) + " bytes after its last tensor (truncated header or appended data?)");

            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry e : entries) {
                ByteBuffer raw = ByteBuffer.allocate((int) (e.end() - e.begin())).order(ByteOrder.LITTLE_ENDIAN);
                readFully(ch, raw, dataStart + e.begin(), file);
                tensors.put(e.name(), Tensor.wrap(decode(e.dtype(), raw), e.shape()));
            }
            return new Contents(tensors, metadata);
        }
    }

    /** Parses and checks one header entry; nothing is allocated until all of it is consistent. */
    private static Entry entry(Path file, String name, JsonNode v, long dataSize) throws IOException {
        if (!v.isObject()) throw bad(file, "key '" + name + "' is not an object");
        String dtype = v.path("dtype").asText("");
        int bytes = switch (dtype) {
            case "F32" -> 4;
            case "F16", "BF16" -> 2;
            default -> throw bad(file, "key '" + name + "' has dtype '" + dtype + "'; jaye reads F32, F16 and BF16");
        };
        JsonNode s = v.path("shape"), o = v.path("data_offsets");
        if (!s.isArray()) throw bad(file, "key '" + name + "' has no shape array");
        if (!o.isArray() || o.size() != 2 || !o.get(0).isIntegralNumber() || !o.get(1).isIntegralNumber()
                || !o.get(0).canConvertToLong() || !o.get(1).canConvertToLong())
            throw bad(file, "key '" + name + "' has no data_offsets [begin, end]");
        int[] shape = new int[s.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = s.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToInt() || d.asInt() < 0) throw bad(file, "key '" + name + "' has a bad dimension " + d + " in its shape");
            shape[i] = d.asInt();
            count *= shape[i];
            if (count > Integer.MAX_VALUE) throw bad(file, "key '" + name + "' has shape " + s + ", too large");
        }
        long begin = o.get(0).asLong(), end = o.get(1).asLong();
        if (begin < 0 || end < begin || end > dataSize)
            throw bad(file, "key '" + name + "' has data_offsets [" + begin + ", " + end + "] outside the data (" + dataSize + " bytes)");
        if (end - begin != count * bytes)
            throw bad(file, "key '" + name + "' has shape " + Shape.str(shape) + " of " + dtype + " (" + count * bytes
                    + " bytes) but data_offsets span " + (end - begin) + " bytes");
        return new Entry(name, dtype, shape, begin, end);
    }

    private static float[] decode(String dtype, ByteBuffer raw) {
        raw.rewind();
        return switch (dtype) {
            case "F32" -> {
                float[] f = new float[raw.remaining() / 4];
                raw.asFloatBuffer().get(f);
                yield f;
            }
            case "F16" -> {
                float[] f = new float[raw.remaining() / 2];
                for (int i = 0; i < f.length; i++) f[i] = Float.float16ToFloat(raw.getShort(2 * i));
                yield f;
            }
            case "BF16" -> {                              // bfloat16 is the top half of a float32
                float[] f = new float[raw.remaining() / 2];
                for (int i = 0; i < f.length; i++) f[i] = Float.intBitsToFloat((raw.getShort(2 * i) & 0xFFFF) << 16);
                yield f;
            }
            default -> throw new IllegalStateException(dtype);
        };
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos, Path file) throws IOException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos + buf.position());
            if (r < 0) throw bad(file, "ended early (truncated?)");
        }
    }

    private static IOException bad(Path file, String what) {
        return new IOException("safetensors file " + file + " " + what);
    }

    /** Writes the tensors as F32, in the map's order, atomically; metadata may be empty. */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode m = header.putObject("__metadata__");
            new java.util.TreeMap<>(metadata).forEach(m::put);      // sorted: the same bytes from any JVM
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey().equals("__metadata__")) throw new IllegalArgumentException("'__metadata__' cannot name a tensor");
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "F32");
            var shape = t.putArray("shape");
            for (int d : e.getValue().shape()) shape.add(d);
            long bytes = 4L * e.getValue().size();
            t.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;                  // pad with spaces: data starts 8-aligned
        byte[] head = new byte[8 + padded];
        ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
        System.arraycopy(json, 0, head, 8, json.length);
        for (int i = 8 + json.length; i < head.length; i++) head[i] = ' ';
        AtomicFiles.write(file, out -> {
            out.write(head);
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (Tensor t : tensors.values()) {
                for (float v : t.data()) {
                    if (!buf.hasRemaining()) {
                        out.write(buf.array(), 0, buf.position());
                        buf.clear();
                    }
                    buf.putFloat(v);
                }
            }
            out.write(buf.array(), 0, buf.position());
        });
    }
}
