// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.report;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An input of the report that does not load, naming the file and the 1-based line
 * ("rl/seed-1/metrics.jsonl:12: ..."), so a damaged run is found without a debugger. Checked,
 * like {@link dev.jaye.eval.data.DatasetException}: bad input is the caller's to report.
 */
public final class ReportException extends IOException {
    private final Path file;
    private final int line;

    public ReportException(Path file, int line, String problem) {
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
