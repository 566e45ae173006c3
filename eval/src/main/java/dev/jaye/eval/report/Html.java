// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.report;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report as one self-contained HTML page: figures embedded as base64 PNG data URIs, inline
 * CSS, no scripts and no links, so it can be mailed, archived or opened offline years later and
 * still show everything it showed on the day.
 */
public final class Html {
    private Html() {}

    /** A figure and its encoded PNG. */
    public record Image(Figures.Named named, byte[] png) {}

    private static final String CSS = """
            body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.45}
            h1{font-size:1.6rem}h2{border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-top:2.2rem}
            table{border-collapse:collapse;margin:.8rem 0}th,td{border:1px solid #ccc;padding:.25rem .6rem}
            td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f4f4f4}
            figure{margin:1rem 0}img{max-width:100%;border:1px solid #eee}figcaption{font-size:.85rem;color:#666}
            pre{background:#f7f7f7;padding:.6rem;overflow-x:auto;font-size:.85rem}.note{color:#555;font-size:.9rem}
            """;

    public static String page(Experiment e, List<EvalTable.Row> rows, List<Findings.Finding> findings, List<Image> images) {
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>jaye report: ")
                .append(esc(e.title())).append("</title>\n<style>").append(CSS).append("</style></head><body>\n");
        b.append("<h1>jaye report: ").append(esc(e.title())).append("</h1>\n<p>")
                .append(e.single() ? "A single run folder (" + e.allRuns().getFirst().arm().label() + "): its curves, no bands; "
                        + "&ldquo;vanilla&rdquo; is this run&rsquo;s own evaluation at epoch 0."
                        : "An experiment folder: RL " + e.rl().size() + " seed(s), SFT " + e.sft().size() + " seed(s)"
                        + (e.vanilla().isEmpty() ? ", no vanilla evaluation." : ", and the vanilla model."))
                .append(" Curves are the mean over seeds; the shaded band is &plusmn;1 sample standard deviation (n&minus;1).</p>\n");

        b.append("<h2>Findings</h2>\n");
        for (Findings.Finding f : findings) {
            b.append("<h3>").append(esc(f.title())).append("</h3>\n<p>").append(esc(f.statement())).append("</p>\n");
            if (!f.details().isEmpty()) {
                b.append("<ul>");
                for (String d : f.details()) b.append("<li>").append(esc(d)).append("</li>");
                b.append("</ul>\n");
            }
        }

        b.append("<h2>Accuracy</h2>\n");
        if (rows.isEmpty()) b.append("<p>Not enough data: no evaluation lines.</p>\n");
        else {
            b.append("<table><tr>");
            for (String h : EvalTable.HEADS) b.append("<th>").append(esc(h)).append("</th>");
            b.append("</tr>\n");
            for (EvalTable.Row r : rows) {
                b.append("<tr><td>").append(esc(r.key().split())).append("</td><td>").append(esc(r.key().setting())).append("</td>");
                for (String c : EvalTable.cells(r)) b.append("<td class=\"n\">").append(c).append("</td>");
                b.append("</tr>\n");
            }
            b.append("</table>\n<p class=\"note\">").append(esc(Report.TABLE_RULE)).append("</p>\n");
        }

        b.append("<h2>Figures</h2>\n");
        for (Image i : images)
            b.append("<figure><img alt=\"").append(esc(i.named().figure().title())).append("\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(i.png())).append("\"><figcaption>")
                    .append(esc(i.named().file())).append("</figcaption></figure>\n");

        Samples.html(b, Samples.latest(e));

        times(b, e);

        b.append("<h2>Configs</h2>\n");
        if (e.experimentYaml() != null) config(b, "experiment.yaml", e.experimentYaml());
        for (Run r : e.allRuns()) config(b, r.name() + "/config.yaml", r.config() == null ? "(no config.yaml)" : r.config());
        return b.append("</body></html>\n").toString();
    }

    private static void config(StringBuilder b, String name, String text) {
        b.append("<details><summary>").append(esc(name)).append("</summary><pre>").append(esc(text)).append("</pre></details>\n");
    }

    /** Wall time from times.json where it was recorded, and what the metrics themselves add up to. */
    private static void times(StringBuilder b, Experiment e) {
        b.append("<h2>Run times</h2>\n<table><tr><th>run</th><th>wall time (times.json)</th><th>sum of time/step</th><th>evaluation seconds</th></tr>\n");
        for (Run r : e.allRuns()) {
            Double wall = e.times().get(r.name());
            double steps = r.stepSeries("time/step").values().stream().mapToDouble(Double::doubleValue).sum();
            Map<String, Double> evals = new LinkedHashMap<>();        // a resumed run's repeated evaluations count once
            for (Line l : r.evals()) evals.put(l.str("split") + "|" + l.str("setting") + "|" + l.num("epoch"), l.num("seconds"));
            double evalSeconds = evals.values().stream().filter(d -> !Double.isNaN(d)).mapToDouble(Double::doubleValue).sum();
            b.append("<tr><td>").append(esc(r.name())).append("</td><td class=\"n\">").append(wall == null ? "not recorded" : duration(wall))
                    .append("</td><td class=\"n\">").append(r.arm() == Arm.RL ? duration(steps) : "n/a")
                    .append("</td><td class=\"n\">").append(duration(evalSeconds)).append("</td></tr>\n");
        }
        b.append("</table>\n");
        e.times().forEach((name, s) -> {                           // recorded times of things that are not runs (e.g. vanilla)
            if (e.allRuns().stream().noneMatch(r -> r.name().equals(name)))
                b.append("<p class=\"note\">").append(esc(name)).append(": ").append(duration(s)).append("</p>\n");
        });
    }

    static String duration(double seconds) {
        if (seconds < 60) return String.format(Locale.ROOT, "%.1f s", seconds);
        long s = Math.round(seconds);
        if (s < 3600) return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        return String.format(Locale.ROOT, "%d h %02d min %02d s", s / 3600, s / 60 % 60, s % 60);
    }

    /** Text as HTML: a config may hold any character, and must show, not act. */
    public static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray())
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        return b.toString();
    }
}
