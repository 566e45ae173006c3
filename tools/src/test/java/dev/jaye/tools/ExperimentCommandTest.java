// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import dev.jaye.eval.data.DatasetWriter;
import dev.jaye.eval.data.Split;
import dev.jaye.models.Vlm;
import dev.jaye.models.config.ModelConfig;
import dev.jaye.models.io.Checkpoint;
import dev.jaye.models.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** jaye rl and jaye experiment through the command line, shortened to seconds. */
class ExperimentCommandTest {
    @TempDir
    Path dir;

    static Path recipe(String name) {
        return Path.of(System.getProperty("user.dir")).getParent().resolve("configs").resolve(name);
    }

    Path fixture() throws Exception {
        return fixture(dir);
    }

    /** A small count_total dataset in {@code dir/data} and a random nano model in {@code dir/init}; returns the data folder. */
    static Path fixture(Path dir) throws Exception {
        Path data = dir.resolve("data");
        DatasetWriter.write(data, new DatasetWriter.Config(List.of("count_total"),
                Map.of(Split.TRAIN, 8, Split.VAL, 4, Split.TEST, 2, Split.TEST_OOD, 2), 1, 0.25, dev.jaye.eval.tasks.Looks.DEFAULT_HELD_OUT, null), null);
        Checkpoint.save(dir.resolve("init"), new Vlm(ModelConfig.nano(), 3), Tokenizer.bytesOnly());
        return data;
    }

    @Test
    void theShippedRlRecipeRunsShortenedWithItsFlags() throws Exception {
        Path data = fixture(), out = dir.resolve("rl");
        Cli.Run r = Cli.run("rl", "--config", recipe("rl-nano.yaml").toString(), "--init", dir.resolve("init").toString(), "--dump-tokens", "--serve",
                "--set", "data.dir=" + data, "--set", "out=" + out, "--set", "rollout.batch_size=4", "--set", "rollout.num_samples=2",
                "--set", "rollout.max_tokens=4", "--set", "train.ppo_batch_size=2", "--set", "train.max_generation_steps=2",
                "--set", "eval.limit=2", "--set", "eval.max_tokens=4", "--set", "eval.settings=[pass@1_t0.6]");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("finished after 2 generation steps"), r.out());
        assertTrue(r.err().contains("rl [") && r.err().contains("reward"), "a progress bar with the reward");
        java.util.regex.Matcher url = java.util.regex.Pattern.compile("watch it: (http://127\\.0\\.0\\.1:\\d+/)").matcher(r.err());
        assertTrue(url.find(), "--serve says where the page is: " + r.err());
        assertThrows(java.io.IOException.class, () -> java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create(url.group(1))).build(), java.net.http.HttpResponse.BodyHandlers.ofString()), "and stops with the run");
        assertTrue(Files.isRegularFile(out.resolve("model/model.safetensors")));
        assertEquals(2 * 4 * 2, Files.readAllLines(out.resolve("tokens.jsonl")).size(), "--dump-tokens: every response of both steps");
        assertTrue(Files.readString(out.resolve("config.yaml")).contains("init: " + dir.resolve("init")), "--init lands in the resolved config");

        Cli.Run bad = Cli.run("rl", "--config", recipe("rl-nano.yaml").toString(), "--set", "algorithm.estimator=ppo");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("algorithm.estimator") && bad.err().contains("reinforce_pp"), bad.err());
        assertEquals(2, Cli.run("rl").code(), "neither --config nor --resume");
    }

    @Test
    void anExperimentRunsBothArmsAndVanillaThenSkipsWhatIsDone() throws Exception {
        // on files in a layout of one's own, read through data.fields by vanilla and both arms
        Path data = FieldsOptionTest.ownLayout(fixture(), dir.resolve("own")), out = dir.resolve("exp");
        String[] args = {"experiment", "--config", recipe("experiment-nano.yaml").toString(), "--seeds", "1",
                "--set", "init=" + dir.resolve("init"), "--set", "data.dir=" + data, "--set", "data.queries=8", "--set", "out=" + out,
                "--set", "data.fields={id: uid, question: prompt, answer: label, image: img, solution: null, family: null}",
                "--set", "rl.set=[rollout.batch_size=4,rollout.num_samples=2,rollout.max_tokens=4,train.ppo_batch_size=2]",
                "--set", "sft.set=[train.batch_size=4]", "--set", "rl.config=" + recipe("rl-nano.yaml"), "--set", "sft.config=" + recipe("sft-baseline-nano.yaml"),
                "--set", "eval.splits=[val,test_ood]", "--set", "eval.settings=[pass@1_t0.6]", "--set", "eval.limit=2", "--set", "eval.max_tokens=4"};
        Cli.Run r = Cli.run(args);
        assertEquals(0, r.code(), r.err());
        for (String f : List.of("experiment.yaml", "vanilla/eval.jsonl", "rl/seed-0/model/model.safetensors", "sft/seed-0/model/model.safetensors",
                "times.json", "report/index.html"))
            assertTrue(Files.exists(out.resolve(f)), f);
        assertEquals(2, Files.readAllLines(out.resolve("vanilla/eval.jsonl")).size(), "two splits x one setting");
        assertTrue(Files.readString(out.resolve("rl/seed-0/config.yaml")).contains("limit: 8"), "the experiment's queries reach the arm");
        for (String arm : List.of("rl", "sft"))
            assertTrue(Files.readString(out.resolve(arm + "/seed-0/config.yaml")).contains("question: prompt"), arm + ": data.fields reaches the arm");
        assertTrue(r.out().contains("vanilla") && r.out().contains("RL - vanilla"), r.out());
        // one story: the terminal prints tables.md's numbers (vanilla, SFT mean, RL mean, in the same units)
        String valRow = Files.readAllLines(out.resolve("report/tables.md")).stream().filter(l -> l.startsWith("| val | pass@1_t0.6 |")).findFirst().orElseThrow();
        String[] cells = valRow.split("\\|");
        String printed = r.out().lines().filter(l -> l.startsWith("val ")).findFirst().orElseThrow();
        for (int i = 3; i <= 5; i++) assertTrue(printed.contains(cells[i].strip()), "'" + cells[i].strip() + "' in: " + printed);

        String metrics = Files.readString(out.resolve("rl/seed-0/metrics.jsonl"));
        Cli.Run again = Cli.run(args);
        assertEquals(0, again.code(), again.err());
        assertEquals(metrics, Files.readString(out.resolve("rl/seed-0/metrics.jsonl")), "a finished arm is not run again");
        assertTrue(!again.err().contains("== rl, seed 0"), again.err());
    }

    @Test
    void aRunningPartsTimeIsInTimesJsonBeforeThePartEnds() throws Exception {
        // so that a run killed mid-part (kill -9, a closed laptop) keeps the time the part had spent
        Path out = dir.resolve("clocked");
        var cfg = dev.jaye.rl.config.Configs.load(recipe("experiment-nano.yaml"), List.of("seeds=1", "init=" + dir.resolve("init"),
                "data.dir=" + fixture(), "data.queries=8", "out=" + out, "rl.config=" + recipe("rl-nano.yaml"), "sft=null",
                "rl.set=[rollout.batch_size=4,rollout.num_samples=2,rollout.max_tokens=4,train.ppo_batch_size=2]",
                "eval.splits=[val]", "eval.settings=[pass@1_t0.6]", "eval.limit=2", "eval.max_tokens=4"),
                dev.jaye.tools.experiment.ExperimentConfig.class);
        var e = new dev.jaye.tools.experiment.Experiment(cfg, null).clockEvery(java.time.Duration.ofMillis(20));
        long t0 = System.nanoTime();
        var run = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return e.run();
            } catch (java.io.IOException x) {
                throw new java.io.UncheckedIOException(x);
            }
        });
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        double seenWhileRunning = 0;
        while (!run.isDone() && seenWhileRunning == 0) {
            Path times = out.resolve("times.json");
            boolean running = Files.isDirectory(out.resolve("rl/seed-0")) && !Files.exists(out.resolve("rl/seed-0/model"));
            if (running && Files.exists(times)) {
                double t = json.readTree(times.toFile()).path("rl/seed-0").asDouble(0);
                if (!Files.exists(out.resolve("rl/seed-0/model"))) seenWhileRunning = t;   // still running after the read
            }
            Thread.sleep(2);
        }
        assertTrue(run.get(), "the experiment ran to its end");
        double wall = (System.nanoTime() - t0) / 1e9;
        assertTrue(seenWhileRunning > 0, "rl/seed-0's time so far was in times.json while it ran");
        double total = json.readTree(out.resolve("times.json").toFile()).path("rl/seed-0").asDouble();
        assertTrue(total >= seenWhileRunning, total + " at the end, " + seenWhileRunning + " while running");
        double all = 0;
        for (var t : json.readTree(out.resolve("times.json").toFile()).properties()) all += t.getValue().asDouble();
        assertTrue(all <= wall, "no second counted twice: " + all + " s in times.json, " + wall + " s of wall time");
    }

    @Test
    void anExperimentsModelsAreEvaluatedAgainOnAnotherSplitAsTheExperimentEvaluatedThem() throws Exception {
        Path data = fixture(), out = dir.resolve("exp"), again = dir.resolve("again");
        Cli.Run r = Cli.run("experiment", "--config", recipe("experiment-nano.yaml").toString(), "--seeds", "2",
                "--set", "init=" + dir.resolve("init"), "--set", "data.dir=" + data, "--set", "data.queries=8", "--set", "out=" + out,
                "--set", "rl.set=[rollout.batch_size=4,rollout.num_samples=2,rollout.max_tokens=4,train.ppo_batch_size=2]",
                "--set", "sft.set=[train.batch_size=4]", "--set", "rl.config=" + recipe("rl-nano.yaml"), "--set", "sft.config=" + recipe("sft-baseline-nano.yaml"),
                "--set", "eval.splits=[test_ood]", "--set", "eval.settings=[pass@1_t0.6_n4]", "--set", "eval.limit=2", "--set", "eval.max_tokens=5",
                "--set", "eval.batch_size=3");
        assertEquals(0, r.code(), r.err());
        Files.createDirectories(dir.resolve("other"));
        Files.copy(data.resolve("test_ood.jsonl"), dir.resolve("other/new_questions.jsonl"));  // the same questions under a new name
        Files.createDirectories(dir.resolve("other/images/test_ood"));
        try (var pngs = Files.list(data.resolve("images/test_ood"))) {
            for (Path png : pngs.toList()) Files.copy(png, dir.resolve("other/images/test_ood").resolve(png.getFileName()));
        }

        // no --settings, --limit, --max-tokens: the experiment's
        Cli.Run e = Cli.run("eval", "--experiment", out.toString(), "--data", dir.resolve("other").toString(), "--split", "new_questions",
                "--out", again.toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("5 models (vanilla, rl/seed-0, sft/seed-0, rl/seed-1, sft/seed-1)") && e.out().contains("report: "), e.out());
        assertTrue(!Files.exists(dir.resolve(".again.partial")), "the working folder is gone");
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        // the experiment's max tokens, batch and seeds: each final model answers as it did in the experiment's last evaluation
        for (String part : List.of("rl/seed-0", "sft/seed-0", "rl/seed-1", "sft/seed-1")) {
            List<String> mine = Files.readAllLines(again.resolve(part + "/metrics.jsonl"));
            assertEquals(1, mine.size(), part);
            var line = json.readTree(mine.getFirst());
            var theirs = Files.readAllLines(out.resolve(part + "/metrics.jsonl")).stream().map(l -> {
                try {
                    return json.readTree(l);
                } catch (java.io.IOException x) {
                    throw new java.io.UncheckedIOException(x);
                }
            }).filter(l -> l.has("setting") && l.path("split").asText().equals("test_ood")).toList().getLast();
            assertEquals(theirs.path("epoch").asDouble(), line.path("epoch").asDouble(), part + ": the last evaluation's epoch");
            String stepKey = part.startsWith("rl") ? "generation_step" : "step";
            assertEquals(theirs.path(stepKey), line.path(stepKey), part + ": and its step");
            for (String key : List.of("accuracy", "right_per_question", "mean_response_length", "max_tokens", "seed"))
                assertEquals(theirs.path(key), line.path(key), part + " " + key);
            assertTrue(Files.isRegularFile(again.resolve(part + "/config.yaml")));
        }
        var vanilla = json.readTree(Files.readAllLines(again.resolve("vanilla/eval.jsonl")).getFirst());
        var theirVanilla = json.readTree(Files.readAllLines(out.resolve("vanilla/eval.jsonl")).getFirst());
        assertEquals(theirVanilla.path("right_per_question"), vanilla.path("right_per_question"));
        assertEquals(0, vanilla.path("epoch").asInt());
        assertTrue(Files.readString(again.resolve("experiment.yaml")).startsWith("# jaye eval --experiment"));
        assertTrue(Files.readString(again.resolve("report/tables.md")).contains("new_questions"), "the report reads the folder");

        Cli.Run twice = Cli.run("eval", "--experiment", out.toString(), "--data", dir.resolve("other").toString(), "--split", "new_questions",
                "--out", again.toString());
        assertEquals(2, twice.code());
        assertTrue(twice.err().contains("--out " + again + " exists"), twice.err());
        Cli.Run notOne = Cli.run("eval", "--experiment", data.toString(), "--data", data.toString(), "--out", dir.resolve("x").toString());
        assertEquals(2, notOne.code());
        assertTrue(notOne.err().contains("is not an experiment folder"), notOne.err());
        Cli.Run both = Cli.run("eval", "--data", data.toString());
        assertEquals(2, both.code());
        assertTrue(both.err().contains("give --checkpoint DIR or --experiment DIR"), both.err());
        Cli.Run seeded = Cli.run("eval", "--experiment", out.toString(), "--data", data.toString(), "--seed", "3", "--out", dir.resolve("y").toString());
        assertEquals(2, seeded.code());
        assertTrue(seeded.err().contains("--experiment takes none of --seed"), seeded.err());
    }

    @Test
    void aBadArmKeyFailsBeforeTheVanillaEvaluation() throws Exception {
        Path out = dir.resolve("bad-exp");
        Cli.Run r = Cli.run("experiment", "--config", recipe("experiment-nano.yaml").toString(), "--seeds", "1",
                "--set", "init=" + dir.resolve("init"), "--set", "data.dir=" + fixture(), "--set", "out=" + out,
                "--set", "rl.config=" + recipe("rl-nano.yaml"), "--set", "sft.config=" + recipe("sft-baseline-nano.yaml"),
                "--set", "rl.set=[train.lr=-1]");
        assertTrue(r.code() != 0 && r.err().contains("train.lr must be a finite number > 0, got -1.0"), r.err());
        assertTrue(!Files.exists(out.resolve("vanilla")), "nothing evaluated before the refusal");

        // --master without the cluster module: refused before any work, saying how to get Spark
        Cli.Run spark = Cli.run("experiment", "--config", recipe("experiment-nano.yaml").toString(), "--set", "init=" + dir.resolve("init"),
                "--set", "out=" + out, "--master", "local[2]");
        assertEquals(1, spark.code());
        assertTrue(spark.err().contains("--master needs Apache Spark") && spark.err().contains("./jaye cluster setup"), spark.err());
        assertTrue(!Files.exists(out.resolve("vanilla")));
    }
}
