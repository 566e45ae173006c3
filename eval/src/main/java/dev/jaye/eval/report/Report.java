// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns an experiment folder (or one run folder) into the method's evidence, in
 * {@code DIR/report/}: a PNG per figure, {@code tables.md} and {@code tables.csv},
 * {@code findings.md}, {@code index.html} holding all of it plus the configs and run times, and
 * {@code dashboard.html}: the live page of {@code jaye serve} with the runs' lines inlined (one file, offline).
 * Everything is recomputed from the metrics files on each call, so a report is never staler
 * than its runs.
 */
public final class Report {
    private Report() {}

    /** How the table's mean and max are made; printed under every table. */
    public static final String TABLE_RULE = "In percent, differences in points: a pass@1 setting's share of right answers, "
            + "a pass@k setting's pass@k (one of k answers right). Mean and max: over each seed's evaluations "
            + "at the ends of epochs 1, 2, ... and the last one (not at the start, epoch 0, nor others between epoch ends), then averaged over seeds. Vanilla: the starting model. ±: one standard error, over "
            + "seeds when an arm has two or more, else over questions (as vanilla's). RL - SFT: the difference of the means, its SE "
            + "paired question by question. RL - vanilla: the same against the starting model, paired when its evaluation logged "
            + "the same questions, else the two SEs in quadrature. n/a: not evaluated there, or (an SE) not measurable.";

    /**
     * What {@link #build} made: the page, the experiment it read and the table's rows (for a
     * caller's own summary, so nothing is read twice and every summary tells the table's story),
     * and the text of {@code tables.md} and {@code findings.md}.
     */
    public record Built(Path index, Experiment experiment, List<EvalTable.Row> rows, String tables, String findings) {}

    /** Writes {@code dir/report/}: index.html, dashboard.html, the charts, tables.md and .csv, findings.md, aggregate.csv. */
    public static Built build(Path dir) throws IOException {
        Experiment e = Experiment.load(dir);
        Path out = dir.resolve("report");
        Files.createDirectories(out);

        List<EvalTable.Row> rows = EvalTable.rows(e);
        List<Findings.Finding> findings = Findings.of(e, rows);          // the table's rows: one story
        List<Html.Image> images = new ArrayList<>();
        for (Figures.Named n : Figures.of(e)) {
            byte[] png = Charts.png(n.figure());
            dev.jaye.models.io.AtomicFiles.write(out.resolve(n.file()), o -> o.write(png));
            images.add(new Html.Image(n, png));
        }

        String tables = "# Accuracy: " + e.title() + "\n\n"
                + (rows.isEmpty() ? "Not enough data: no evaluation lines.\n" : EvalTable.markdown(rows) + "\n" + TABLE_RULE + "\n")
                + FamilyTable.markdown(FamilyTable.rows(e));
        String findingsMd = Findings.markdown(findings);
        write(out.resolve("tables.md"), tables);
        write(out.resolve("tables.csv"), EvalTable.csv(rows));
        write(out.resolve("findings.md"), findingsMd);
        write(out.resolve("aggregate.csv"), Aggregate.csv(e));
        Path index = out.resolve("index.html");
        write(index, Html.page(e, rows, findings, images));
        write(out.resolve("dashboard.html"), Dashboard.staticPage(dir, e.title()));   // the live page's charts, data inlined
        return new Built(index, e, rows, tables, findingsMd);
    }

    private static void write(Path file, String text) throws IOException {
        dev.jaye.models.io.AtomicFiles.writeString(file, text);        // a reader never sees half a report
    }
}
