// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.report;

import dev.jaye.eval.metrics.SampleStats;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The results table broken down by task family (the {@code accuracy/FAMILY} of each evaluation,
 * the share of right answers; so for the pass@1 settings only, whose score that is):
 * where an arm gained and where it lost, which the overall accuracy averages away. The rule is
 * {@link EvalTable}'s: per seed, the mean over the epochs evaluated after the start, then over
 * seeds. No standard errors here: a family holds a fraction of a split's questions, so read its
 * differences as leads to check, not as results.
 */
public final class FamilyTable {
    private FamilyTable() {}

    public record Row(Experiment.EvalKey key, String family, double vanilla, double sft, double rl) {}

    public static List<Row> rows(Experiment e) {
        List<Row> rows = new ArrayList<>();
        for (Experiment.EvalKey k : e.evalKeys()) {
            TreeSet<String> families = new TreeSet<>();
            for (Line l : Run.evalLines(e.vanilla(), k.split(), k.setting())) families.addAll(familiesOf(l));
            for (Run r : e.allRuns()) for (Line l : Run.evalLines(r.evals(), k.split(), k.setting())) families.addAll(familiesOf(l));
            if (families.size() < 2) continue;                 // one family: the main table already says it
            if (Line.scoresPassAtK(k.setting())) continue;    // the families log the share of right answers, not pass@k
            for (String f : families) {
                double v = SampleStats.mean(Run.evalLines(e.vanilla(), k.split(), k.setting()).stream()
                        .mapToDouble(l -> l.num("accuracy/" + f)).filter(d -> !Double.isNaN(d)).toArray());
                rows.add(new Row(k, f, v, arm(e.sft(), k, f), arm(e.rl(), k, f)));
            }
        }
        return rows;
    }

    private static List<String> familiesOf(Line l) {
        return l.numbers().keySet().stream().filter(n -> n.startsWith("accuracy/")).map(n -> n.substring("accuracy/".length())).toList();
    }

    private static double arm(List<Run> runs, Experiment.EvalKey k, String family) {
        List<Double> perSeed = new ArrayList<>();
        for (Run r : runs) {
            double[] v = EvalTable.epochEnds(r.evalSeriesLines(k.split(), k.setting()).tailMap(0.0, false)).values().stream()
                    .mapToDouble(l -> l.num("accuracy/" + family)).filter(d -> !Double.isNaN(d)).toArray();
            if (v.length > 0) perSeed.add(SampleStats.mean(v));
        }
        return SampleStats.mean(perSeed.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** A Markdown section, or "" when no evaluation names more than one family. */
    public static String markdown(List<Row> rows) {
        if (rows.isEmpty()) return "";
        StringBuilder b = new StringBuilder("\n## By task family\n\n| split | setting | family | vanilla | SFT mean | RL mean | RL - SFT |\n"
                + "| --- | --- | --- | ---: | ---: | ---: | ---: |\n");
        for (Row r : rows)
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", r.key().split(), r.key().setting(), r.family(),
                    EvalTable.pct(r.vanilla(), Double.NaN), EvalTable.pct(r.sft(), Double.NaN), EvalTable.pct(r.rl(), Double.NaN),
                    EvalTable.points(r.rl() - r.sft(), Double.NaN)));
        b.append("\nSame rule as the table above, per family (the evaluations' accuracy/FAMILY); no standard errors: a family "
                + "holds a fraction of the questions, so its differences are leads to check.\n");
        return b.toString();
    }
}
