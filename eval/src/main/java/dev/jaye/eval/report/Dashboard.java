// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The dashboard's data and its page, shared by the live page ({@code jaye serve}) and the static
 * {@code report/dashboard.html}. There is one chart definition, in {@code dashboard.js}: the live
 * page asks the server for the lines of each run's files as they grow, the static page finds
 * the same lines inlined, so both draw exactly the same charts.
 *
 * <p>What is a run here: a folder under the root holding {@code metrics.jsonl} (an RL or SFT
 * run) or {@code eval.jsonl} (an experiment's vanilla evaluation).
 */
public final class Dashboard {
    private Dashboard() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The scripts and styles of the page, in the order the page loads them. */
    public static final List<String> ASSETS = List.of("uPlot.min.css", "dashboard.css", "uPlot.iife.min.js", "dashboard.js");

    private static final String UPLOT = "/META-INF/resources/webjars/uplot/1.6.30/dist/";

    /** Folders that hold no runs of their own: a run's checkpoints, its models and its report. */
    private static final Set<String> NOT_RUNS = Set.of("checkpoints", "model", "best", "report", "images");

    /**
     * A run under the root: {@code name} is its path below the root ("rl/seed-0", or the root's
     * own name when the root is a run), {@code kind} "rl", "sft" or "eval".
     */
    public record RunEntry(String name, String kind, Path dir) {
        public Path metrics() {
            return dir.resolve(kind.equals("eval") ? "eval.jsonl" : "metrics.jsonl");
        }
    }

    /**
     * The runs under {@code root} (four levels deep at most), sorted by name. A folder that
     * vanishes during the walk (a checkpoint being rotated) is skipped, not an error.
     */
    public static List<RunEntry> runs(Path root) throws IOException {
        if (!Files.isDirectory(root)) throw new ReportException(root, 0, "no such folder");
        List<RunEntry> out = new ArrayList<>();
        Files.walkFileTree(root, java.util.EnumSet.noneOf(java.nio.file.FileVisitOption.class), 4, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult preVisitDirectory(Path d, java.nio.file.attribute.BasicFileAttributes a) throws IOException {
                if (hidden(root, d)) return java.nio.file.FileVisitResult.SKIP_SUBTREE;
                String name = root.equals(d) ? String.valueOf(root.toAbsolutePath().normalize().getFileName())
                        : root.relativize(d).toString().replace('\\', '/');
                if (Files.isRegularFile(d.resolve("metrics.jsonl"))) out.add(new RunEntry(name, kindOf(d.resolve("metrics.jsonl")), d));
                else if (Files.isRegularFile(d.resolve("eval.jsonl"))) out.add(new RunEntry(name, "eval", d));
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path f, IOException e) {
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
        out.sort(java.util.Comparator.comparing(RunEntry::name));
        return out;
    }

    private static boolean hidden(Path root, Path d) {
        for (Path p : root.relativize(d)) {
            String n = p.toString();
            if (n.startsWith(".") || NOT_RUNS.contains(n)) return true;
        }
        return false;
    }

    /** RL runs count generation steps; an SFT run's lines count optimiser steps. */
    private static String kindOf(Path metrics) throws IOException {
        try (var r = Files.newBufferedReader(metrics, StandardCharsets.UTF_8)) {
            String first = r.readLine();
            return first == null || first.contains("\"generation_step\"") ? "rl" : "sft";
        } catch (java.nio.charset.MalformedInputException | java.nio.file.NoSuchFileException e) {
            return "rl";
        }
    }

    /** The run of that name under the root, or null: a request names only listed runs. */
    public static RunEntry find(Path root, String name) throws IOException {
        if (name == null) return null;
        for (RunEntry r : runs(root)) if (r.name().equals(name)) return r;
        return null;
    }

    /**
     * Whole lines of a growing file from byte {@code from}: {@code next} is where the next
     * request starts. A file now shorter than {@code from} was cut back by a resume, so it is
     * read again from the start and {@code reset} says so. A line still being written (no
     * newline yet) waits for the next request; at most about {@code maxBytes} are read per call.
     */
    public record Chunk(long next, boolean reset, List<String> lines, String id) {}

    /** {@link #read(Path, long, int, String)} without a known file identity. */
    public static Chunk read(Path file, long from, int maxBytes) throws IOException {
        return read(file, from, maxBytes, null);
    }

    /**
     * As above; {@code id} is the identity the caller's earlier chunk reported. A resume rewrites
     * the file by an atomic rename, so its identity changes even when it has grown past
     * {@code from} again by the next request: then too it is read from the start.
     */
    public static Chunk read(Path file, long from, int maxBytes, String id) throws IOException {
        if (!Files.isRegularFile(file)) return new Chunk(0, from > 0, List.of(), "");
        String now = identity(file);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long size = f.length();
            boolean reset = from > size || from < 0 || (id != null && !id.isEmpty() && !id.equals(now) && from > 0);
            long start = reset ? 0 : from;
            int want = (int) Math.min(size - start, maxBytes);
            byte[] b = new byte[want];
            f.seek(start);
            f.readFully(b);
            int end = want;
            while (end > 0 && b[end - 1] != '\n') end--;
            if (end == 0 && want == maxBytes && want > 0) end = want;  // one line longer than a chunk: pass it in pieces, unparsed
            List<String> lines = new ArrayList<>();
            int s = 0;
            for (int i = 0; i < end; i++) {
                if (b[i] != '\n') continue;
                String line = new String(b, s, i - s, StandardCharsets.UTF_8).strip();
                if (!line.isEmpty()) lines.add(slim(line));
                s = i + 1;
            }
            return new Chunk(start + end, reset, lines, now);
        }
    }

    /** The file's identity on its filesystem (device and inode where there are such), or "". */
    static String identity(Path file) {
        try {
            Object key = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
            return key == null ? "" : key.toString();
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * A line as the page needs it: an evaluation's per-question counts (hundreds of numbers the
     * charts never draw) are left out, and the standard error of a pass@k score, which needs
     * them, is put in instead ({@code score_se}, as {@link Line#scoreSe} makes it). A line that is
     * not JSON passes as it is; the page skips it.
     */
    static String slim(String line) {
        if (!line.contains("\"right_per_question\"")) return line;
        try {
            JsonNode n = JSON.readTree(line);
            if (n instanceof ObjectNode o) {
                JsonNode right = o.remove("right_per_question");
                int k = o.path("k").asInt(1);
                if (k > 1 && right != null && right.isArray()) {
                    double[] r = new double[right.size()];
                    for (int i = 0; i < r.length; i++) r[i] = right.get(i).asDouble();
                    double[] q = Line.scorePerQuestion(r, o.path("n").asDouble(), k);
                    if (q != null) o.put("score_se", dev.jaye.eval.metrics.SampleStats.standardError(q));
                }
                return o.toString();
            }
        } catch (IOException e) {
            // not JSON: the page skips it, as the report does
        }
        return line;
    }

    /** True when {@code image} is a picture named by one of the run's logged samples: the only files the page may fetch. */
    public static boolean logsImage(RunEntry run, String image) throws IOException {
        Path samples = run.dir().resolve("samples.jsonl");
        if (image == null || !Files.isRegularFile(samples)) return false;
        String needle = "\"image\":" + JSON.writeValueAsString(image);
        try (Stream<String> lines = Files.lines(samples, StandardCharsets.UTF_8)) {
            return lines.anyMatch(l -> l.contains(needle));
        } catch (java.io.UncheckedIOException e) {
            return false;
        }
    }

    /** A script or style of the page, from the jar (uPlot's from its WebJar). */
    public static byte[] asset(String name) throws IOException {
        if (!ASSETS.contains(name)) throw new IOException("no asset " + name);
        String path = name.startsWith("uPlot") ? UPLOT + name : "/dev/jaye/eval/report/web/" + name;
        try (InputStream in = Dashboard.class.getResourceAsStream(path)) {
            if (in == null) throw new IOException("asset " + path + " is missing from the jar");
            return in.readAllBytes();
        }
    }

    /** The live page: scripts and styles by URL from the server, data through its /api. */
    public static String livePage(String title) throws IOException {
        StringBuilder head = new StringBuilder();
        for (String a : ASSETS)
            head.append(a.endsWith(".css") ? "<link rel=\"stylesheet\" href=\"assets/" + a + "\">\n"
                    : "<script src=\"assets/" + a + "\"></script>\n");
        return template(title, head.toString());
    }

    /** Samples per run inlined in the static page, the newest; their pictures become data URIs. */
    static final int STATIC_SAMPLES = 40;

    /**
     * The static page: every script and style inlined, and the runs' lines, samples (with their
     * pictures) and configs as {@code window.JAYE_DATA}, so the file opens offline and alone.
     */
    public static String staticPage(Path root, String title) throws IOException {
        ObjectNode data = JSON.createObjectNode();
        data.put("title", title);
        data.put("made", java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).withNano(0).toString());
        ArrayNode runs = data.putArray("runs");
        for (RunEntry r : runs(root)) {
            ObjectNode o = runs.addObject();
            o.put("name", r.name()).put("kind", r.kind());
            ArrayNode metrics = o.putArray("metrics");
            for (String l : read(r.metrics(), 0, Integer.MAX_VALUE - 8).lines()) metrics.add(l);
            ArrayNode samples = o.putArray("samples");
            List<String> s = read(r.dir().resolve("samples.jsonl"), 0, Integer.MAX_VALUE - 8).lines();
            for (String l : s.subList(Math.max(0, s.size() - STATIC_SAMPLES), s.size())) samples.add(withPicture(l));
            Path cfg = r.dir().resolve("config.yaml");
            o.put("config", Files.isRegularFile(cfg) ? Files.readString(cfg, StandardCharsets.UTF_8) : null);
        }
        StringBuilder head = new StringBuilder();
        for (String a : ASSETS) {
            String text = new String(asset(a), StandardCharsets.UTF_8);
            head.append(a.endsWith(".css") ? "<style>" + text + "</style>\n" : "<script>" + text.replace("</script", "<\\/script") + "</script>\n");
            // the data before the page's own script reads it; every < written as \\u003c (the same string to
            // JSON), so no text in a response can end the script element or open a comment in it
            if (a.equals("uPlot.iife.min.js"))
                head.append("<script>window.JAYE_DATA=").append(data.toString().replace("<", "\\u003c")).append(";</script>\n");
        }
        return template(title, head.toString());
    }

    /** A sample line with its picture inlined as {@code image_data}, when the file is still there. */
    private static String withPicture(String line) {
        try {
            JsonNode n = JSON.readTree(line);
            if (!(n instanceof ObjectNode o)) return line;
            byte[] png = Samples.picture(o.path("image").asText(""));
            if (png != null) o.put("image_data", "data:image/png;base64," + Base64.getEncoder().encodeToString(png));
            return o.toString();
        } catch (IOException e) {
            return line;                                       // not JSON: passed as it is, the page skips it
        }
    }

    private static String template(String title, String head) throws IOException {
        String page;
        try (InputStream in = Dashboard.class.getResourceAsStream("/dev/jaye/eval/report/web/dashboard.html")) {
            if (in == null) throw new IOException("dashboard.html is missing from the jar");
            page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return page.replace("{{TITLE}}", Html.esc(title)).replace("{{HEAD}}", head);
    }
}
