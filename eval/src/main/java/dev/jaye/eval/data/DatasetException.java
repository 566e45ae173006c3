// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.data;

import dev.jaye.eval.BadFileException;

import java.nio.file.Path;

/** A dataset file that does not load, naming the file and the 1-based line ("val.jsonl:12: ..."). */
public final class DatasetException extends BadFileException {
    public DatasetException(Path file, int line, String problem) {
        super(file, line, problem);
    }
}
