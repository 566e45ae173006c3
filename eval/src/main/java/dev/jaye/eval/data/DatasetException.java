// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.data;

import java.io.IOException;
import java.nio.file.Path;

/** A dataset file that does not load, naming the file and the 1-based line ("val.jsonl:12: ..."). */
public final class DatasetException extends IOException {
    private final Path file;
    private final int line;

    public DatasetException(Path file, int line, String problem) {
        super(file + (line > 0 ? ":" + line : "") + ": " + problem);
        this.file = file;
        this.line = line;
    }

    public Path file() {
        return file;
    }

    /** 1-based; 0 for problems with the file as a whole. */
    public int line() {
        return line;
    }
}
