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
        Path tmp = temporary(dir, target.getFileName().toString());
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

    private static final java.util.concurrent.atomic.AtomicLong COUNTER = new java.util.concurrent.atomic.AtomicLong();

    /**
     * A new, empty {@code .NAME.N.tmp} beside the target, made as any file is (Files.createFile:
     * the process's umask applies). Files.createTempFile would make it owner-only (0600), and the
     * rename would hand that to every report, config and checkpoint, unreadable to a group or a
     * web server that can read the rest of the run folder.
     */
    private static Path temporary(Path dir, String name) throws IOException {
        while (true) {
            Path tmp = dir.resolve("." + name + "." + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet() + ".tmp");
            try {
                return Files.createFile(tmp);
            } catch (java.nio.file.FileAlreadyExistsException taken) {
                // a file of that name left by a process with our pid before: the next number
            }
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
