// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The report's sample completions: the responses the RL trainer logged in {@code samples.jsonl}
 * at its last generation steps, with their pictures, so a reader sees what the model writes and
 * not only how often it is right (a right answer is often reached by a wrong count).
 */
final class Samples {
    private Samples() {}

    /** One logged response; {@code png} is the picture's bytes, or null when its file is gone. */
    record Sample(int step, String question, String answer, String response, double reward, boolean correct, int length, byte[] png) {}

    /** Responses shown: those of the last logged steps of the first RL seed. */
    static final int SHOWN = 12;

    static List<Sample> latest(Experiment e) {
        if (e.rl().isEmpty()) return List.of();
        Path file = e.rl().getFirst().dir().resolve("samples.jsonl");
        if (!Files.isRegularFile(file)) return List.of();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e1) {
            return List.of();                                  // a report without samples rather than none at all
        }
        ObjectMapper json = new ObjectMapper();
        List<Sample> out = new ArrayList<>();
        lines = lines.stream().filter(l -> !l.contains("\"split\":")).toList();   // the training steps' samples; evaluations log theirs too
        for (String line : lines.subList(Math.max(0, lines.size() - SHOWN), lines.size())) {
            JsonNode n;
            try {
                n = json.readTree(line);
            } catch (IOException x) {
                continue;                                      // a line being written
            }
            if (n == null || !n.isObject()) continue;
            byte[] png = picture(n.path("image").asText(""));
            out.add(new Sample(n.path("generation_step").asInt(), n.path("question").asText(""), n.path("answer").asText(""),
                    n.path("response").asText(""), n.path("reward").asDouble(Double.NaN), n.path("correct").asBoolean(false),
                    n.path("length").asInt(), png));
        }
        return out;
    }

    /**
     * A logged sample's picture (its path as samples.jsonl names it), or null when the file is gone,
     * unreadable or over 1 MB: a report or a static page is then without it, not without the rest.
     */
    static byte[] picture(String path) {
        try {
            Path img = Path.of(path);
            return Files.isRegularFile(img) && Files.size(img) < 1 << 20 ? Files.readAllBytes(img) : null;
        } catch (IOException | java.nio.file.InvalidPathException e) {
            return null;
        }
    }

    /** The HTML section: right answers first, then wrong ones, each row with its picture. */
    static void html(StringBuilder b, List<Sample> samples) {
        if (samples.isEmpty()) return;
        b.append("<h2>Sample completions</h2>\n<p class=\"note\">What the policy wrote at its last generation steps (RL, ")
                .append("first seed; the first response to each of a step's first queries, from samples.jsonl).</p>\n");
        for (boolean right : new boolean[]{true, false}) {
            List<Sample> part = samples.stream().filter(s -> s.correct() == right).toList();
            b.append("<h3>").append(right ? "Right answers" : "Wrong answers").append(" (").append(part.size()).append(")</h3>\n");
            if (part.isEmpty()) continue;
            b.append("<table><tr><th>step</th><th>image</th><th>question</th><th>response</th><th>answer</th><th>reward</th><th>tokens</th></tr>\n");
            for (Sample s : part) {
                b.append("<tr><td class=\"n\">").append(s.step()).append("</td><td>");
                if (s.png() != null)
                    b.append("<img alt=\"the question's picture\" width=\"96\" height=\"96\" style=\"image-rendering:pixelated\" src=\"data:image/png;base64,")
                            .append(Base64.getEncoder().encodeToString(s.png())).append("\">");
                b.append("</td><td>").append(Html.esc(s.question())).append("</td><td>").append(Html.esc(s.response()))
                        .append("</td><td>").append(Html.esc(s.answer())).append("</td><td class=\"n\">")
                        .append(String.format(java.util.Locale.ROOT, "%.2f", s.reward())).append("</td><td class=\"n\">")
                        .append(s.length()).append("</td></tr>\n");
            }
            b.append("</table>\n");
        }
    }
}
