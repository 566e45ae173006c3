// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An input file that does not load, naming the file and the 1-based line ("val.jsonl:12: ..."),
 * so a damaged file is found without a debugger. Checked: bad input is the caller's to report.
 * Datasets and the report's run folders each have their subclass, so a caller can tell them apart.
 */
public abstract class BadFileException extends IOException {
    private final Path file;
    private final int line;

    protected BadFileException(Path file, int line, String problem) {
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
