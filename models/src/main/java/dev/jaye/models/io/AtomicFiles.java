// SPDX-License-Identifier: Apache-2.0
package dev.jaye.models.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that a reader (or a crash, or Ctrl-C) sees either the old file or the complete
 * new one, never half of it: write a temporary file in the same folder, flush it to disk, then
 * rename it over the target in one step.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** What writes the content. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    public static void write(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16) {
                    @Override
                    public void close() throws IOException {
                        flush();             // writers that close their stream (Jackson does) must not close the file
                    }
                };
                writer.write(out);
                out.flush();
                ch.force(true);              // on disk before the rename makes it visible
            } catch (IOException e) {
                throw named(target, e);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * {@code e} with the file in its message: a write that fails on a full disk says only "No
     * space left on device", and a user needs to know which file (and so which disk) it was.
     */
    public static IOException named(Path file, IOException e) {
        String m = String.valueOf(e.getMessage());
        if (e instanceof java.nio.file.FileSystemException || m.contains(file.toString())) return e;
        return new IOException("writing " + file + ": " + m, e);
    }

    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
