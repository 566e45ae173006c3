// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.report;

import dev.jaye.eval.BadFileException;

import java.nio.file.Path;

/** An input of the report that does not load, naming the file and the 1-based line ("rl/seed-1/metrics.jsonl:12: ..."). */
public final class ReportException extends BadFileException {
    public ReportException(Path file, int line, String problem) {
        super(file, line, problem);
    }
}
