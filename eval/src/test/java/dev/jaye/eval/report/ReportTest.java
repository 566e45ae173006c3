// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whole reports, from the hand-computable fixture ({@link ExperimentFixture}) and from excerpts of real runs. */
class ReportTest {
    @TempDir
    Path dir;

    private static Set<String> pngs(Path report) throws IOException {
        try (Stream<Path> s = Files.list(report)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png")).collect(Collectors.toSet());
        }
    }

    private static void assertRealPng(Path p) throws IOException {
        BufferedImage img = ImageIO.read(p.toFile());
        assertTrue(img != null, p + " is a PNG");
        assertEquals(Charts.WIDTH, img.getWidth(), p.toString());
        assertTrue(Files.size(p) > 8_000, p + " is a drawing, not a blank: " + Files.size(p) + " bytes");
    }

    @Test
    void anExperimentGivesEveryFileWithTheHandComputedNumbers() throws Exception {
        Path index = Report.build(ExperimentFixture.write(dir)).index();
        Path report = dir.resolve("report");
        assertEquals(report.resolve("index.html"), index);
        for (String f : List.of("tables.md", "tables.csv", "findings.md")) assertTrue(Files.isRegularFile(report.resolve(f)), f);

        Set<String> expected = Set.of("train-accuracy.png", "response-length.png", "reflection-ratio.png",
                "correct-ratio-in-reflection-texts.png", "reflection-words.png", "sft-loss.png",
                "eval-val-pass@1_t0.6.png", "eval-val-pass@8_t1.0.png", "eval-test-pass@1_t0.6.png", "eval-test-pass@8_t1.0.png",
                "eval-test_ood-pass@1_t0.6.png", "eval-test_ood-pass@8_t1.0.png");
        assertEquals(expected, pngs(report));
        for (String p : expected) assertRealPng(report.resolve(p));

        // val, pass@1: vanilla 0.40; RL seeds +0.05e + 0.02s -> per-seed means 0.475, 0.495 -> 0.4850, maxes 0.50, 0.52
        // -> 0.5100; SFT +0.04e - 0.01s -> means 0.46, 0.45 -> 0.4550, maxes 0.48, 0.47 -> 0.4750. SEs over the 2
        // seeds: RL 0.02 / sqrt(2) / sqrt(2) = 0.0100, SFT 0.0050; RL - SFT 0.0300, RL - vanilla 0.0850, no SE for
        // either (no per-question counts here, and no SE for vanilla). In percent and points.
        String row = "| val | pass@1_t0.6 | 40.0 | 45.5 ± 0.5 | 48.5 ± 1.0 | 47.5 ± 0.5 | 51.0 ± 1.0 | +3.0 | +8.5 |";
        assertTrue(Files.readString(report.resolve("tables.md")).contains(row), Files.readString(report.resolve("tables.md")));
        assertTrue(Files.readString(report.resolve("tables.csv")).contains("val,pass@1_t0.6,0.400000,,0.455000,0.005000,0.485000,0.010000,0.475000,0.005000,0.510000,0.010000,0.030000,,0.085000,,2,2"));

        String html = Files.readString(index);
        assertTrue(html.contains("<td class=\"n\">40.0</td><td class=\"n\">45.5 ± 0.5</td><td class=\"n\">48.5 ± 1.0</td>"
                + "<td class=\"n\">47.5 ± 0.5</td><td class=\"n\">51.0 ± 1.0</td><td class=\"n\">+3.0</td><td class=\"n\">+8.5</td>"), "the table row in the page");
        assertFalse(withoutImages(html).contains("http"), "self-contained: no links, no fetched resources");
        assertEquals(expected.size(), html.split("src=\"data:image/png;base64,", -1).length - 1, "every figure embedded");
        assertTrue(html.contains("note: a&lt;b &amp; &quot;c&quot;") && !html.contains("a<b"), "configs are escaped");
        assertTrue(html.contains("rl/seed-1/config.yaml") && html.contains("estimator: reinforce_pp"), "each run's config");
        assertTrue(html.contains("1 h 02 min 05 s"), "times.json's 3725 s");

        // the eval figures: points where an arm was evaluated (epochs 1 and 2, no epoch-0 filler), each ±1 SE over
        // the 2 seeds: RL val pass@1 at epoch 1 is 0.45 and 0.47 -> 0.46 ± 0.01414 / sqrt(2) = 0.01
        Charts.Curve rlVal = Figures.evalCurve(Experiment.load(dir).rl(), "RL", new Experiment.EvalKey("val", "pass@1_t0.6"), 0).get(0);
        assertTrue(rlVal.bars());
        assertEquals(List.of(0.0, 1.0, 2.0), rlVal.points().stream().map(SeedStats.Point::x).toList(), "the runs' own epoch-0 evaluations, then 1 and 2");
        assertEquals(0.46, rlVal.points().get(1).mean(), 1e-12);
        assertEquals(0.01, rlVal.points().get(1).std(), 1e-12);

        // aggregate.csv: RL val pass@1 at epoch 1 is 0.45 (seed 0) and 0.47 (seed 1): mean 0.46, sample std 0.01414
        List<String> agg = Files.readAllLines(report.resolve("aggregate.csv"));
        assertEquals("arm,metric,x_key,x,mean,std,seeds", agg.get(0));
        String[] cell = agg.stream().filter(l -> l.startsWith("RL,val/pass@1_t0.6/accuracy,epoch,1,")).findFirst().orElseThrow().split(",");
        assertEquals(0.46, Double.parseDouble(cell[4]), 1e-9);
        assertEquals(Math.sqrt(2e-4), Double.parseDouble(cell[5]), 1e-9);
        assertEquals("2", cell[6]);
        assertTrue(agg.stream().anyMatch(l -> l.startsWith("RL,mean_response_length,generation_step,")), "every step metric");
        assertTrue(agg.stream().anyMatch(l -> l.startsWith("SFT,loss,step,")), "the SFT arm's too");

        String findings = Files.readString(report.resolve("findings.md"));
        // (1) final lengths 60 and 70: mean 65, sample std sqrt(50) = 7.07
        assertTrue(findings.contains("over 2 RL seeds: mean 65.00, std 7.07 (sample, n−1), range 60.00 to 70.00"), findings);
        // (2) length = 50 + 100 · reflection_ratio at every step of both seeds: r = 1 over 20 points
        assertTrue(findings.contains("mean_response_length over generation steps: 1.0000, from 20 points"), findings);
        // (3) the table's test_ood rows: SFT means (0.43 + 0.37) / 2 = 0.40 and 0.39 -> 39.5 ± 0.5 below vanilla's 40.0, RL
        // 48.5 ± 1.0 above; no difference has an SE in this fixture, so none counts as beyond one
        assertTrue(findings.contains("in 2 settings: SFT fell more than 1 SE below vanilla in 0, RL in 0; RL was ahead of SFT by 2 SE or more in 0"), findings);
        assertTrue(findings.contains("pass@1_t0.6: vanilla 40.0, SFT 39.5 ± 0.5 (2 seeds), RL 48.5 ± 1.0 (2 seeds); SFT - vanilla -0.5 pts (no SE"), findings);
        assertTrue(findings.contains("RL - SFT +9.0 pts (no SE"), findings);
        assertTrue(html.contains("SFT fell more than 1 SE below vanilla in 0"), "findings in the page");
        assertFalse(findings.contains("Not enough data"), findings);
    }

    @Test
    void theTwoMostFrequentReflectionWordsArePicked() throws Exception {
        Experiment e = Experiment.load(ExperimentFixture.write(dir));
        assertEquals(List.of("verify", "wait"), Figures.topWords(e.rl(), 2));   // totals 220, 120; recheck 20; the rest 0
        assertEquals(List.of("verify", "wait", "recheck"), Figures.topWords(e.rl(), 5), "words never seen are left out");
    }

    @Test
    void missingInputsAreSaidPlainly() throws Exception {
        ExperimentFixture.rl(dir.resolve("rl/seed-0"), 0);   // one RL seed, no SFT, no vanilla, no test_ood anywhere
        Report.build(dir);
        String findings = Files.readString(dir.resolve("report/findings.md"));
        assertTrue(findings.contains("Not enough data: the spread across seeds needs at least 2 RL runs"), findings);
        assertTrue(findings.contains("Not enough data: test_ood needs the vanilla model and both arms"), findings);
        assertTrue(findings.contains("from 10 points (one RL seed)"), findings);
        assertTrue(Files.readString(dir.resolve("report/tables.md")).contains("| n/a | n/a |"));
    }

    private Path copyRun(String name) throws IOException {
        Path run = Files.createDirectories(dir.resolve(name));
        for (String f : List.of("metrics.jsonl", "config.yaml"))
            try (InputStream in = getClass().getResourceAsStream(name + "/" + f)) {
                Files.copy(in, run.resolve(f));
            }
        return run;
    }

    @Test
    void aSingleRealRlRunFolder() throws Exception {
        Path run = copyRun("rl-run");                           // an excerpt of a real run's metrics.jsonl
        Path index = Report.build(run).index();
        Set<String> files = pngs(run.resolve("report"));
        assertTrue(files.containsAll(Set.of("train-accuracy.png", "response-length.png", "reflection-ratio.png",
                "eval-val-pass@1_t0.6_n4.png")), files.toString());
        for (String f : files) assertRealPng(run.resolve("report").resolve(f));
        // vanilla is the run's own epoch 0 (0.419677734375); RL mean over the evaluations at steps 50 and 100:
        // (0.447021484375 + 0.4580078125) / 2 = 0.45251..., max 0.4580
        assertTrue(Files.readString(run.resolve("report/tables.md"))
                .contains("| val | pass@1_t0.6_n4 | 42.0 | n/a | 45.3 | n/a | 45.8 | n/a | +3.3 |"), Files.readString(run.resolve("report/tables.md")));
        String html = Files.readString(index);
        assertTrue(html.contains("A single run folder (RL)") && html.contains("out: runs/A-s0"), "says what it is, shows the config");
        assertFalse(withoutImages(html).contains("http"));
        assertTrue(Files.readString(run.resolve("report/findings.md")).contains("from 6 points (one RL seed)"));
    }

    @Test
    void aSingleRealSftRunFolder() throws Exception {
        Path run = copyRun("sft-run");
        Report.build(run);
        assertTrue(pngs(run.resolve("report")).containsAll(Set.of("sft-loss.png", "eval-val-pass@1_t0.6_n4.png")));
        // no epoch-0 evaluation, so no vanilla; SFT mean (0.0 + 0.419677734375) / 2, max 0.4197
        assertTrue(Files.readString(run.resolve("report/tables.md")).contains("| val | pass@1_t0.6_n4 | n/a | 21.0 | n/a | 42.0 | n/a |"),
                Files.readString(run.resolve("report/tables.md")));
    }

    @Test
    void aGarbledOrMissingMetricsFileIsNamedWithItsLine() throws Exception {
        ExperimentFixture.write(dir);
        Path m = dir.resolve("rl/seed-1/metrics.jsonl");
        List<String> lines = Files.readAllLines(m);
        lines.set(2, lines.get(2).substring(0, 40));           // line 3 cut short, as by a crash mid-write
        Files.write(m, lines);
        ReportException e = assertThrows(ReportException.class, () -> Report.build(dir));
        assertTrue(e.getMessage().startsWith(m + ":3: "), e.getMessage());
        assertEquals(3, e.line());

        Files.delete(m);
        ReportException missing = assertThrows(ReportException.class, () -> Report.build(dir));
        assertEquals(m + ": missing", missing.getMessage());

        ReportException neither = assertThrows(ReportException.class, () -> Report.build(Files.createDirectories(dir.resolve("empty"))));
        assertTrue(neither.getMessage().contains("neither an experiment folder"), neither.getMessage());
    }

    /** The page with its embedded images' base64 removed: those bytes can spell anything, "http" included. */
    static String withoutImages(String html) {
        return html.replaceAll("data:image/png;base64,[A-Za-z0-9+/=]*", "data:image/png;base64,").toLowerCase(Locale.ROOT);
    }

    @Test
    void sampleCompletionsAreShownWithTheirPictures() throws Exception {
        ExperimentFixture.write(dir);
        Path png = dir.resolve("q.png");
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB), "png", png.toFile());
        Path samples = dir.resolve("rl/seed-0/samples.jsonl");
        dev.jaye.eval.metrics.JsonLines.append(samples, Map.of("generation_step", 9, "question", "How many?", "answer", "3",
                "response", "1, 2 <b>3</b>. \\boxed{3}", "reward", 1.0, "correct", true, "length", 12, "image", png.toString()));
        dev.jaye.eval.metrics.JsonLines.append(samples, Map.of("generation_step", 10, "question", "How many?", "answer", "3",
                "response", "\\boxed{4}", "reward", 0.0, "correct", false, "length", 5, "image", dir.resolve("gone.png").toString()));
        String html = Files.readString(Report.build(dir).index());
        assertTrue(html.contains("<h2>Sample completions</h2>") && html.contains("Right answers (1)") && html.contains("Wrong answers (1)"), html);
        assertTrue(html.contains("1, 2 &lt;b&gt;3&lt;/b&gt;. \\boxed{3}"), "responses are escaped");
        assertTrue(html.contains("alt=\"the question's picture\""), "the picture that exists is embedded");
    }
}
