// SPDX-License-Identifier: Apache-2.0
package dev.jaye.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jaye.eval.data.DatasetWriter;
import dev.jaye.eval.data.Split;
import dev.jaye.models.Vlm;
import dev.jaye.models.config.ModelConfig;
import dev.jaye.models.io.Checkpoint;
import dev.jaye.models.tokenizer.Tokenizer;
import dev.jaye.tools.Main;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code jaye experiment --master}: the same experiment on one machine, on Spark in this process
 * ({@code local[2]}) and on a real standalone cluster on loopback gives the same files, bit for
 * bit but for the wall times; and an executor killed mid-run changes nothing.
 *
 * <p>The cluster tests need a running cluster: {@code -Djaye.test.sparkMaster=spark://127.0.0.1:7077}
 * ({@code ./jaye cluster start}); .ci/run starts one and sets it. Without it they are skipped and say so.
 */
class SparkExperimentTest {
    @TempDir
    static Path dir;

    static final String MASTER = System.getProperty("jaye.test.sparkMaster", "");

    @BeforeAll
    static void fixture() throws Exception {
        fixture(dir);
    }

    /** A small dataset in DIR/data and a fresh nano checkpoint in DIR/init. */
    static void fixture(Path dir) throws Exception {
        fixture(dir, List.of("count_total"));
    }

    /** The same of {@code families} (several: prompts of different lengths). */
    static void fixture(Path dir, List<String> families) throws Exception {
        DatasetWriter.write(dir.resolve("data"), new DatasetWriter.Config(families,
                Map.of(Split.TRAIN, 16, Split.VAL, 4, Split.TEST, 2, Split.TEST_OOD, 2), 1, 0.25, dev.jaye.eval.tasks.Looks.DEFAULT_HELD_OUT, null), null);
        Checkpoint.save(dir.resolve("init"), new Vlm(ModelConfig.nano(), 3), Tokenizer.bytesOnly());
    }

    record Run(int code, String out, String err) {}

    static synchronized Run jaye(String... args) {
        PrintStream savedOut = System.out, savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        try {
            return new Run(Main.commandLine().execute(args), out.toString(), err.toString());
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }

    static Path recipe(String name) {
        return Path.of(System.getProperty("user.dir")).getParent().resolve("configs").resolve(name);
    }

    /** A short experiment of 2 seeds (5 parts); {@code steps} generation steps per RL epoch, a checkpoint after each. */
    static Run experiment(Path out, int queries, String... more) {
        List<String> a = new ArrayList<>(List.of("experiment", "--config", recipe("experiment-nano.yaml").toString(), "--seeds", "2",
                "--set", "init=" + dir.resolve("init"), "--set", "data.dir=" + dir.resolve("data"), "--set", "data.queries=" + queries,
                "--set", "out=" + out,
                "--set", "rl.set=[rollout.batch_size=4,rollout.num_samples=2,rollout.max_tokens=6,train.ppo_batch_size=2,train.checkpoint_every=1]",
                "--set", "sft.set=[train.batch_size=4,train.checkpoint_every=1]", "--set", "rl.config=" + recipe("rl-nano.yaml"),
                "--set", "sft.config=" + recipe("sft-baseline-nano.yaml"), "--set", "eval.splits=[val,test_ood]",
                "--set", "eval.settings=[pass@1_t0.6]", "--set", "eval.limit=2", "--set", "eval.max_tokens=6"));
        a.addAll(List.of(more));
        return jaye(a.toArray(new String[0]));
    }

    /** What must be equal: every part's files, with the wall times (time/*, tokens per second, seconds) taken out. */
    static void assertSameResults(Path expected, Path actual) throws IOException {
        for (String part : List.of("vanilla/eval.jsonl", "rl/seed-0/metrics.jsonl", "rl/seed-1/metrics.jsonl", "sft/seed-0/metrics.jsonl",
                "sft/seed-1/metrics.jsonl"))
            assertEquals(timeless(expected.resolve(part)), timeless(actual.resolve(part)), part);
        for (String part : List.of("rl/seed-0", "rl/seed-1", "sft/seed-0", "sft/seed-1")) {
            assertArrayEquals(Files.readAllBytes(expected.resolve(part + "/model/model.safetensors")),
                    Files.readAllBytes(actual.resolve(part + "/model/model.safetensors")), part + ": the trained weights");
            if (part.startsWith("rl"))
                assertEquals(Files.readString(expected.resolve(part + "/samples.jsonl")), Files.readString(actual.resolve(part + "/samples.jsonl")), part);
        }
        assertEquals(5, new ObjectMapper().readTree(actual.resolve("times.json").toFile()).size(), "the driver recorded each part's time");
    }

    /** A Spark executor JVM, by its command line (/proc/PID/cmdline: ProcessHandle.Info leaves out other processes' arguments). */
    static boolean isExecutor(ProcessHandle p) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", String.valueOf(p.pid()), "cmdline"))).contains("CoarseGrainedExecutorBackend");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static List<String> timeless(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            ObjectNode o = (ObjectNode) json.readTree(line);
            for (Iterator<String> k = o.fieldNames(); k.hasNext(); ) {
                String key = k.next();
                if (key.startsWith("time/") || key.endsWith("tokens_per_s") || key.equals("seconds")) k.remove();
            }
            out.add(o.toString());
        }
        return out;
    }

    static Path oneMachine;

    static synchronized Path oneMachine() {
        if (oneMachine == null) {
            Path out = dir.resolve("one-machine");
            Run r = experiment(out, 8);
            assertEquals(0, r.code(), r.err());
            oneMachine = out;
        }
        return oneMachine;
    }

    @Test
    void onSparkInThisProcessTheNumbersAreTheOneMachineNumbers() throws Exception {
        Path out = dir.resolve("local");
        Run r = experiment(out, 8, "--master", "local[2]");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("== spark local[2]") && r.err().contains("5 parts as tasks"), r.err());
        assertSameResults(oneMachine(), out);
        assertTrue(r.out().contains("RL - vanilla"), "the same summary: " + r.out());
        assertTrue(Files.isRegularFile(out.resolve("report/index.html")), "and the same report");
    }

    @Test
    void whenAPartFailsForGoodThePartsThatFinishedKeepTheirWallTime() throws Exception {
        Path out = dir.resolve("one-fails");
        Files.createDirectories(out.resolve("sft"));
        Files.writeString(out.resolve("sft/seed-1"), "a file where the part's folder goes\n");  // this part cannot start
        // local[1]: one task at a time, in order, so the failing part (the last) ends the job with nothing
        // else running (a cancelled task would go on writing in this JVM); and in local mode a failed task is not retried
        Run r = experiment(out, 8, "--master", "local[1]");
        assertTrue(r.code() != 0, "the experiment fails: " + r.out());
        var times = new ObjectMapper().readTree(out.resolve("times.json").toFile());
        List<String> finished = new ArrayList<>();
        for (String part : List.of("vanilla", "rl/seed-0", "rl/seed-1", "sft/seed-0"))
            if (Files.isDirectory(out.resolve(part + "/model")) || part.equals("vanilla") && Files.isRegularFile(out.resolve("vanilla/eval.jsonl")))
                finished.add(part);
        List<String> recorded = new ArrayList<>();
        times.fieldNames().forEachRemaining(recorded::add);
        assertEquals(List.of("vanilla", "rl/seed-0", "rl/seed-1", "sft/seed-0"), finished, "the parts before the failing one finished");
        assertTrue(recorded.containsAll(finished), "times.json holds every finished part: " + recorded + ", finished " + finished);
        for (String part : finished) assertTrue(times.path(part).asDouble() > 0, part + " took some time");
        assertTrue(recorded.contains("sft/seed-1"), "and the failed attempt's time too: " + recorded);
    }

    @Test
    void onAStandaloneClusterTheNumbersAreTheOneMachineNumbers() throws Exception {
        Assumptions.assumeTrue(!MASTER.isEmpty(), "needs a Spark cluster: -Djaye.test.sparkMaster=spark://127.0.0.1:7077 (./jaye cluster start)");
        Path out = dir.resolve("cluster");
        Run r = experiment(out, 8, "--master", MASTER);
        assertEquals(0, r.code(), r.err());
        assertSameResults(oneMachine(), out);
    }

    @Test
    void anExecutorKilledMidRunIsReplacedAndTheResultIsUnchanged() throws Exception {
        Assumptions.assumeTrue(!MASTER.isEmpty(), "needs a Spark cluster: -Djaye.test.sparkMaster=spark://127.0.0.1:7077 (./jaye cluster start)");
        Path straight = dir.resolve("straight-16"), killed = dir.resolve("killed-16");
        assertEquals(0, experiment(straight, 16).code());
        CompletableFuture<Run> run = CompletableFuture.supplyAsync(() -> experiment(killed, 16, "--master", MASTER));
        // Once an RL arm has its first checkpoint, kill -9 an executor of this application (the JVM a worker started).
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        ProcessHandle victim = null;
        while (victim == null && System.nanoTime() < until && !run.isDone()) {
            boolean started = Files.isDirectory(killed.resolve("rl/seed-0/checkpoints")) || Files.isDirectory(killed.resolve("rl/seed-1/checkpoints"));
            if (started) victim = ProcessHandle.allProcesses().filter(SparkExperimentTest::isExecutor).findFirst().orElse(null);
            if (victim == null) Thread.sleep(50);
        }
        assertTrue(victim != null, "an executor to kill while the experiment ran; "
                + (run.isDone() ? "the run ended first: " + run.get().code() + " " + run.get().err() : "none found"));
        assertTrue(victim.destroyForcibly());
        Run r = run.get(600, TimeUnit.SECONDS);
        assertEquals(0, r.code(), r.err());
        assertSameResults(straight, killed);
    }
}
