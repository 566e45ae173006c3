// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

/** Runs a jaye command in-process as a user would, capturing what it prints. */
final class Cli {
    private Cli() {}

    record Run(int code, String out, String err) {}

    static synchronized Run run(String... args) {
        PrintStream savedOut = System.out, savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        try {
            int code = Main.commandLine().execute(args);
            return new Run(code, out.toString(), err.toString());
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }
}
