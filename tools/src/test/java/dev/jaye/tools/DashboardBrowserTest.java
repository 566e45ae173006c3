// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard in a real browser (headless Chromium over the DevTools protocol): {@code jaye
 * serve} on a finished small experiment draws its charts, follows a growing metrics.jsonl, shows
 * sample completions with their pictures and the difference of two configs; the static
 * report/dashboard.html does the same offline, with the server gone.
 *
 * <p>Without a Chromium the test is skipped, unless {@code -Djaye.test.requireBrowser=true}
 * (CI installs Debian's chromium and sets it, so a broken install fails rather than passes).
 */
class DashboardBrowserTest {
    @TempDir
    static Path dir;

    static Path chromium, exp;

    /** A real experiment, shortened to seconds: vanilla, one RL seed and one SFT seed, with its report. */
    @BeforeAll
    static void finishedExperiment() throws Exception {
        chromium = Browser.find();
        if (chromium == null) {
            if (Boolean.getBoolean("jaye.test.requireBrowser"))
                throw new AssertionError("jaye.test.requireBrowser is set but no chromium is on the PATH (or -Djaye.test.chromium)");
            return;
        }
        Path data = ExperimentCommandTest.fixture(dir);
        exp = dir.resolve("exp");
        Cli.Run r = Cli.run("experiment", "--config", ExperimentCommandTest.recipe("experiment-nano.yaml").toString(), "--seeds", "1",
                "--set", "init=" + dir.resolve("init"), "--set", "data.dir=" + data, "--set", "data.queries=8", "--set", "out=" + exp,
                "--set", "rl.set=[rollout.batch_size=4,rollout.num_samples=2,rollout.max_tokens=6,train.ppo_batch_size=2]",
                "--set", "sft.set=[train.batch_size=4]", "--set", "rl.config=" + ExperimentCommandTest.recipe("rl-nano.yaml"),
                "--set", "sft.config=" + ExperimentCommandTest.recipe("sft-baseline-nano.yaml"),
                "--set", "eval.splits=[val,test_ood]", "--set", "eval.settings=[pass@1_t0.6]", "--set", "eval.limit=2", "--set", "eval.max_tokens=6");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("watch it: ./jaye serve " + exp), "the experiment says how to watch it: " + r.err());
        // each evaluation logs its first questions' first responses too, in both arms, with their length
        for (String arm : List.of("rl", "sft")) {
            List<String> evalSamples = Files.readAllLines(exp.resolve(arm + "/seed-0/samples.jsonl")).stream().filter(l -> l.contains("\"split\":")).toList();
            assertEquals(2 * 2, evalSamples.size(), arm + ": 2 splits x 1 setting x the 2 questions of eval.limit");
            assertTrue(evalSamples.getFirst().contains("\"length\":") && evalSamples.getFirst().contains("\"image\":"), evalSamples.getFirst());
        }
    }

    private static Browser browser() throws Exception {
        Assumptions.assumeTrue(chromium != null, "no chromium on this machine (CI installs it and requires it)");
        return new Browser(chromium, Files.createDirectories(dir.resolve("profile-" + System.nanoTime())));
    }

    /**
     * Per chart box: title, series labels, drawn points, and {@code ink}: how many canvas pixels
     * are in one of the series' colours (the axes and grid are grey, so this counts the data).
     */
    private static final String CHARTS = """
            [...document.querySelectorAll('.chart')].map(b => {
              const c = b.querySelector('canvas'), rgbs = JSON.parse(b.dataset.colours)
                  .map(hex => [1, 3, 5].map(i => parseInt(hex.substr(i, 2), 16)));
              let ink = 0;
              if (c) { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                       for (let i = 0; i < d.length; i += 4)
                         if (d[i + 3] > 200 && rgbs.some(rgb => Math.abs(d[i] - rgb[0]) + Math.abs(d[i + 1] - rgb[1]) + Math.abs(d[i + 2] - rgb[2]) < 30)) ink++; }
              return {title: b.querySelector('h3').textContent, series: JSON.parse(b.dataset.series), points: +b.dataset.points, ink};
            })""";

    private static JsonNode chart(JsonNode charts, String title) {
        for (JsonNode c : charts) if (c.path("title").asText().equals(title)) return c;
        throw new AssertionError("no chart \"" + title + "\" among " + charts);
    }

    @Test
    void theLivePageDrawsFollowsAGrowingRunAndShowsSamplesAndConfigs() throws Exception {
        try (Browser b = browser(); DashboardServer server = DashboardServer.start(exp, "127.0.0.1", 0)) {
            b.open(server.url());
            JsonNode charts = b.waitFor(CHARTS, v -> v.size() > 10 && chart(v, "val · pass@1_t0.6").path("points").asInt() >= 3, 60);
            JsonNode val = chart(charts, "val · pass@1_t0.6");
            assertEquals(List.of("rl/seed-0", "sft/seed-0", "vanilla"), names(val.path("series")), "each arm and vanilla, overlaid");
            JsonNode reward = chart(charts, "Reward and its components");
            assertTrue(names(reward.path("series")).containsAll(List.of("reward", "reward/accuracy")), reward.toString());
            assertEquals(2 * names(reward.path("series")).size(), reward.path("points").asInt(), "two generation steps per series");
            for (String t : List.of("KL to the reference model", "Entropy (nats per token)", "Clip fraction", "Gradient norm",
                    "Learning rate", "Response length (tokens)", "Time per phase (s)", "Tokens per second", "Loss"))
                assertTrue(chart(charts, t).path("points").asInt() > 0, t);
            for (JsonNode c : charts) assertTrue(c.path("ink").asInt() >= 10, "a chart with no data drawn: " + c);

            // The view: seeds pooled into arms, and wall time on the x axis (each run's sum of its steps' times).
            b.eval("(() => { const a = document.getElementById('arms'); a.checked = true; a.dispatchEvent(new Event('change'));"
                    + " const x = document.getElementById('x-axis'); x.value = 'time'; x.dispatchEvent(new Event('change')); })()");
            JsonNode pooled = b.waitFor(CHARTS, v -> names(chart(v, "val · pass@1_t0.6").path("series")).contains("rl"), 10);
            assertEquals(List.of("rl", "sft", "vanilla"), names(chart(pooled, "val · pass@1_t0.6").path("series")), "an arm of one seed");
            assertEquals(reward.path("points").asInt(), chart(pooled, "Reward and its components").path("points").asInt(), "every step has a time");
            assertTrue(chart(pooled, "Loss").path("points").asInt() > 0, "SFT's lines have their time too");
            b.eval("(() => { const a = document.getElementById('arms'); a.checked = false; a.dispatchEvent(new Event('change'));"
                    + " const x = document.getElementById('x-axis'); x.value = 'epoch'; x.dispatchEvent(new Event('change')); })()");

            // A zoom survives new lines: the reward chart zoomed in on the first epoch stays there.
            b.eval("window.jaye.live.get('rl-charts|Reward and its components').u.setScale('x', {min: 0.75, max: 1.0})");

            // A line appended to the RL run's metrics shows up without reloading the page.
            Path metrics = exp.resolve("rl/seed-0/metrics.jsonl");
            Files.writeString(metrics, "{\"generation_step\":3,\"epoch\":1.5,\"reward\":0.123456,\"kl\":0.001}\n",
                    StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            JsonNode grown = b.waitFor(CHARTS, v -> chart(v, "Reward and its components").path("points").asInt() == reward.path("points").asInt() + 1, 20);
            assertEquals(reward.path("points").asInt() + 1, chart(grown, "Reward and its components").path("points").asInt(), "the appended step is drawn");
            assertTrue(b.eval("window.jaye.runs.get('rl/seed-0').metrics.some(l => l.reward === 0.123456)").asBoolean());
            assertEquals(0.75, b.eval("window.jaye.live.get('rl-charts|Reward and its components').u.scales.x.min").asDouble(), 1e-9,
                    "the zoom is kept while the chart takes the new point");

            // Sample completions: rows with their pictures, loaded; the filter keeps one kind.
            JsonNode images = b.waitFor("[...document.querySelectorAll('#samples img')].filter(i => i.complete && i.naturalWidth > 0).length",
                    v -> v.asInt() > 0, 20);
            assertTrue(images.asInt() >= 8, "pictures in the samples table: " + images);
            JsonNode wrongOnly = b.eval("(() => { const s = document.getElementById('sample-filter'); s.value = 'incorrect';"
                    + " s.dispatchEvent(new Event('change')); return [...document.querySelectorAll('#samples tbody tr')].map(r => r.className); })()");
            for (JsonNode c : wrongOnly) assertTrue(c.asText().equals("wrong") || c.asText().isEmpty(), "only wrong answers: " + wrongOnly);

            // Two runs' configs side by side: the lines that differ are marked.
            JsonNode diff = b.waitFor("(() => { const a = document.getElementById('config-a'), c = document.getElementById('config-b');"
                    + " if (a.value !== 'rl/seed-0') { a.value = 'rl/seed-0'; a.dispatchEvent(new Event('change')); }"
                    + " if (c.value !== 'sft/seed-0') { c.value = 'sft/seed-0'; c.dispatchEvent(new Event('change')); }"
                    + " return document.querySelectorAll('#config .add, #config .del').length; })()", v -> v.asInt() > 0, 20);
            assertTrue(diff.asInt() > 0, "RL's and SFT's configs differ: " + diff);
            assertEquals(List.of(), b.errors, "the page ran without errors");
            String shot = System.getProperty("jaye.test.screenshot");             // to look at the page by eye
            if (shot != null) Files.write(Path.of(shot), b.screenshot());
        }
    }

    @Test
    void theStaticReportOpensOfflineWithItsCharts() throws Exception {
        Path page = exp.resolve("report/dashboard.html");
        try (Browser b = browser()) {
            assertTrue(Files.isRegularFile(page));
            assertTrue(!Files.readString(page).contains("src=\"http") && !Files.readString(page).contains("href=\"http"), "nothing from the network");
            b.open(page.toUri().toString());
            JsonNode charts = b.waitFor(CHARTS, v -> v.size() > 10, 30);
            assertEquals(List.of("rl/seed-0", "sft/seed-0", "vanilla"), names(chart(charts, "val · pass@1_t0.6").path("series")));
            for (JsonNode c : charts) assertTrue(c.path("ink").asInt() >= 10, "a chart with no data drawn: " + c);
            JsonNode images = b.waitFor("[...document.querySelectorAll('#samples img')].filter(i => i.complete && i.naturalWidth > 0 && i.src.startsWith('data:')).length",
                    v -> v.asInt() > 0, 20);
            assertTrue(images.asInt() >= 8, "inlined pictures: " + images);
            assertTrue(b.eval("document.getElementById('status').textContent").asText().startsWith("static report"));
            assertEquals(List.of(), b.errors, "the page ran without errors");
        }
    }

    private static List<String> names(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        for (JsonNode n : array) out.add(n.asText());
        return out;
    }
}
