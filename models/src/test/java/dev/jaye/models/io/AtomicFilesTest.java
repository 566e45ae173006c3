// SPDX-License-Identifier: Apache-2.0
package dev.jaye.models.io;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** An atomically written file is like any other file: its content, and the permissions a plain write would give it. */
class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void aWrittenFileHasTheContentAndThePermissionsOfAPlainOneAndNoTemporaryIsLeft() throws Exception {
        Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
        Path atomic = dir.resolve("report.html");
        AtomicFiles.writeString(atomic, "<p>one</p>");
        AtomicFiles.writeString(atomic, "<p>two</p>");                          // replacing keeps them too
        assertEquals("<p>two</p>", Files.readString(atomic));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(atomic),
                "not owner-only, as Files.createTempFile would make it");
        try (var s = Files.list(dir)) {
            assertEquals(List.of("plain.txt", "report.html"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }
}
