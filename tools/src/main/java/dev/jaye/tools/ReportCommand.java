// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import dev.jaye.eval.report.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code jaye report DIR}: the evaluation scheme's evidence for an experiment or one run, in
 * {@code DIR/report/}; the tables and findings are also printed, so a terminal shows the answer
 * without opening a browser. Exit codes: 0 written, 1 an input does not load (the message names
 * the file and line), 2 a bad option.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Charts (mean ± 1 std over seeds), the accuracy tables, the method's three findings and one "
                + "self-contained index.html, from an experiment folder (experiment.yaml, vanilla/, rl/seed-*, sft/seed-*) "
                + "or a single run folder (metrics.jsonl), written to DIR/report/.")
final class ReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "An experiment folder or a run folder.")
    Path dir;

    @Override
    public Integer call() {
        Report.Built r;
        try {
            r = Report.build(dir);
        } catch (IOException e) {                                // a ReportException names the file and the line
            System.err.println("jaye report: " + e.getMessage());
            return 1;
        }
        System.out.print(r.tables());
        System.out.println();
        System.out.print(r.findings());
        System.out.println();
        System.out.println("report in " + r.index().getParent() + " (open " + r.index() + ")");
        return 0;
    }
}
