// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code jaye report DIR} on a small hand-written RL run folder, as a user runs it. */
class ReportCommandTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    /** Runs the command on its own (Main registers it elsewhere), capturing what it prints. */
    private static synchronized Run report(String... args) {
        PrintStream savedOut = System.out, savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        try {
            CommandLine cl = new CommandLine(new ReportCommand());
            cl.setErr(new java.io.PrintWriter(System.err, true));
            return new Run(cl.execute(args), out.toString(), err.toString());
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }

    private static String step(int g, double length) {
        return "{\"generation_step\":" + g + ",\"epoch\":" + g / 4.0 + ",\"policy_loss\":0.0,\"accuracy\":0.5,"
                + "\"mean_response_length\":" + length + ",\"reflection_ratio\":" + length / 1000 + ",\"reflection_words/wait\":" + g + "}\n";
    }

    private static String eval(double epoch, double accuracy) {
        return "{\"generation_step\":" + (int) (epoch * 4) + ",\"epoch\":" + epoch + ",\"split\":\"val\",\"setting\":\"pass@1_t0.6\",\"accuracy\":" + accuracy + "}\n";
    }

    @Test
    void writesTheReportOfARunAndPrintsTablesAndFindings() throws Exception {
        Path run = Files.createDirectories(dir.resolve("run"));
        Files.writeString(run.resolve("config.yaml"), "seed: 0\n");
        Files.writeString(run.resolve("metrics.jsonl"), eval(0, 0.25) + step(1, 40) + step(2, 44) + step(3, 43) + step(4, 50)
                + "{\"generation_step\":4,\"epoch\":1.0,\"train_accuracy\":0.5}\n" + eval(1.0, 0.375));

        Run r = report(run.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(Files.isRegularFile(run.resolve("report/index.html")));
        assertTrue(Files.isRegularFile(run.resolve("report/response-length.png")));
        assertTrue(r.out().contains("| val | pass@1_t0.6 | 25.0 | n/a | 37.5 | n/a | 37.5 | n/a | +12.5 |"), r.out());
        assertTrue(r.out().contains("Not enough data"), "one seed has no spread: " + r.out());
        assertTrue(r.out().contains("report in " + run.resolve("report")), r.out());
        assertTrue(Files.isRegularFile(run.resolve("report/dashboard.html")), "the dashboard's offline copy");
    }

    @Test
    void aGarbledLineOrAMissingFolderExitsOneNamingIt() throws Exception {
        Path run = Files.createDirectories(dir.resolve("run"));
        Files.writeString(run.resolve("metrics.jsonl"), step(1, 40) + "{\"generation_step\":2,\n" + step(3, 43));
        Run bad = report(run.toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("metrics.jsonl:2: not JSON"), bad.err());

        Run missing = report(dir.resolve("nothing").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("nothing: no such folder"), missing.err());

        assertEquals(2, report().code(), "DIR is required");
    }
}
