// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jaye.eval.EvalResult;
import dev.jaye.eval.Evaluator;
import dev.jaye.eval.GenerationSetting;
import dev.jaye.eval.data.DatasetReader;
import dev.jaye.eval.data.Sample;
import dev.jaye.eval.metrics.JsonLines;
import dev.jaye.models.io.AtomicFiles;
import dev.jaye.models.io.Checkpoint;
import dev.jaye.rl.config.Configs;
import dev.jaye.rl.loop.RlConfig;
import dev.jaye.rl.loop.RlTrainer;
import dev.jaye.rl.sft.SftConfig;
import dev.jaye.rl.sft.SftTrainer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an experiment into one folder:
 *
 * <pre>
 *   experiment.yaml          the resolved experiment config
 *   vanilla/eval.jsonl       the warm-up checkpoint on every eval split and setting (once)
 *   rl/seed-S/               an RL run folder per seed   (jaye rl)
 *   sft/seed-S/              an SFT run folder per seed  (jaye sft)
 *   times.json               seconds spent in each part (added to as it runs, resumes included)
 * </pre>
 * Both arms get the same keys from the experiment (start checkpoint, dataset, the same first
 * {@code data.queries} training queries, {@code epochs}, seed, what is evaluated), on top of
 * their own config file and its {@code set} overrides.
 *
 * <p>Stopping and starting again is safe: a part whose output is complete (vanilla/eval.jsonl,
 * an arm's {@code model/}) is not run again, and an arm with a checkpoint resumes from it.
 */
public final class Experiment {
    private final ExperimentConfig cfg;
    private final Path out;
    private final PrintStream log;
    private volatile Runnable stopCurrent = () -> {};
    private volatile boolean stopRequested;

    public Experiment(ExperimentConfig cfg, PrintStream log) {
        this.cfg = cfg.validate();
        this.out = Path.of(cfg.out());
        this.log = log;
    }

    /** Ctrl-C: the running trainer stops after its step with a checkpoint, and nothing else starts. */
    public void requestStop() {
        stopRequested = true;
        stopCurrent.run();
    }

    /** Runs what is not done yet, here, part after part; false when stopped early. */
    public boolean run() throws IOException {
        return run(parts -> {
            for (String part : parts) {
                if (stopRequested) break;
                try (PartClock clock = new PartClock(part)) {
                    runPart(part);
                }
            }
            return !stopRequested;
        });
    }

    private java.time.Duration clockEvery = java.time.Duration.ofMinutes(1);

    /** How often a running part's time so far is added to times.json (a minute unless changed; tests shorten it). */
    public Experiment clockEvery(java.time.Duration every) {
        this.clockEvery = every;
        return this;
    }

    /**
     * A running part's wall time, added to times.json every {@link #clockEvery} and at the end,
     * not only once the part is done: a run killed mid-part (a closed laptop, kill -9) keeps the
     * time that part had spent, so times.json is the time the machine really gave to each part,
     * resumed pieces and redone steps included, less at most one interval.
     */
    private final class PartClock implements AutoCloseable {
        private final String part;
        private final java.util.concurrent.ScheduledExecutorService timer;
        private long last = System.nanoTime();

        PartClock(String part) {
            this.part = part;
            this.timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "times.json clock");
                t.setDaemon(true);
                return t;
            });
            long ms = Math.max(1, clockEvery.toMillis());
            timer.scheduleAtFixedRate(this::add, ms, ms, java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        /** The time since the last write goes in; it stays counted here if the write fails. */
        private synchronized void write() throws IOException {
            long now = System.nanoTime();
            recordTime(part, (now - last) / 1e9);
            last = now;
        }

        private void add() {
            try {
                write();
            } catch (IOException | RuntimeException e) {
                // a full disk, a times.json not jaye's: the time goes in with the next write, and the clock goes on
            }
        }

        @Override
        public void close() throws IOException {
            timer.shutdownNow();
            try {
                timer.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            write();
        }
    }

    /** How the parts are run: one after the other here, or as the tasks of a distributed engine ({@link Distributed}). */
    public interface Runner {
        /** Runs {@code parts} (each through {@link #runPart}, its wall time into {@link #recordTime}); false when stopped early. */
        boolean run(List<String> parts) throws IOException;
    }

    /**
     * Checks both arms' configs before the vanilla evaluation (a bad key fails now, not minutes
     * later), locks the folder (one process per experiment), writes {@code experiment.yaml}, the
     * config every part is made from, and hands the parts to {@code runner}.
     */
    public boolean run(Runner runner) throws IOException {
        if (cfg.rl() != null) rlConfig(0);
        if (cfg.sft() != null) sftConfig(0);
        dev.jaye.rl.RunFolder.lock(out);
        try {
            Files.createDirectories(out);
            AtomicFiles.writeString(out.resolve("experiment.yaml"), Configs.toYaml(cfg));
            return runner.run(parts());
        } finally {
            dev.jaye.rl.RunFolder.release(out);
        }
    }

    public Path folder() {
        return out;
    }

    /**
     * The experiment's parts, in the order one machine runs them: "vanilla", then "rl/seed-S" and
     * "sft/seed-S" for each seed. Each part reads only the warm-up and the data and writes only
     * its own folder, so the parts can also run at the same time, on other machines
     * ({@code jaye experiment --master}): their numbers do not depend on where or when they run.
     */
    public List<String> parts() {
        List<String> p = new ArrayList<>(List.of("vanilla"));
        for (int seed = 0; seed < cfg.seeds(); seed++) {
            if (cfg.rl() != null) p.add("rl/seed-" + seed);
            if (cfg.sft() != null) p.add("sft/seed-" + seed);
        }
        return p;
    }

    /** Runs one part (skipped when done, resumed when it has a checkpoint); the caller times it. */
    public void runPart(String name) throws IOException {
        if (name.equals("vanilla")) vanilla();
        else {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(rl|sft)/seed-(\\d+)").matcher(name);
            if (!m.matches()) throw new IllegalArgumentException("no part " + name + " in experiment " + out);
            int seed = Integer.parseInt(m.group(2));
            if (m.group(1).equals("rl")) rlArm(seed);
            else sftArm(seed);
        }
    }

    /** Adds a part's wall time to times.json (a resumed part adds up); called by one process only, the driver. */
    public synchronized void recordTime(String name, double seconds) throws IOException {
        Path file = out.resolve("times.json");
        ObjectMapper json = new ObjectMapper();
        ObjectNode times = Files.exists(file) ? (ObjectNode) json.readTree(file.toFile()) : json.createObjectNode();
        times.put(name, times.path(name).asDouble(0) + seconds);
        AtomicFiles.writeString(file, times.toPrettyString());
    }


    private void vanilla() throws IOException {
        Path file = out.resolve("vanilla/eval.jsonl");
        if (Files.exists(file)) return;
        say("vanilla: evaluating " + cfg.init());
        Checkpoint.Loaded start = Checkpoint.load(Path.of(cfg.init()));
        var e = cfg.eval();
        var settings = GenerationSetting.parse(String.join(",", e.settings()), e.maxTokens());
        StringBuilder text = new StringBuilder();
        for (String split : e.splits()) {
            List<Sample> samples = DatasetReader.split(Path.of(cfg.data().dir()), split, e.limit(), cfg.data().fields());
            List<EvalResult> results = new Evaluator(start.model(), start.tokenizer()).evaluate(split, samples, settings, 0, e.batchSize(), log);
            text.append(evalLines(Map.of("epoch", 0), results, cfg.init(), split, 0));
            if (log != null) log.println("vanilla, " + split + ":\n" + EvalResult.table(results));
        }
        AtomicFiles.writeString(file, text.toString());   // all or nothing: a stopped evaluation runs again
    }

    /** Evaluation records as JSON lines, each starting with {@code at} (where it sits: epoch, step) as the report reads them. */
    static String evalLines(Map<String, Object> at, List<EvalResult> results, String checkpoint, String split, long seed) {
        StringBuilder text = new StringBuilder();
        for (EvalResult r : results) {
            Map<String, Object> rec = new LinkedHashMap<>(at);
            rec.putAll(r.toRecord(checkpoint, split, seed));
            text.append(JsonLines.format(rec)).append('\n');
        }
        return text.toString();
    }

    /** The keys the experiment fixes for both arms, after the arm's own overrides. */
    private List<String> common(ExperimentConfig.Arm arm, int seed, Path dir) {
        var e = cfg.eval();
        List<String> o = new ArrayList<>(arm.set() == null ? List.of() : arm.set());
        o.add("seed=" + seed);
        o.add("model.init=" + cfg.init());
        o.add("data.dir=" + cfg.data().dir());
        o.add("data.train_split=" + cfg.data().trainSplit());
        o.add("data.limit=" + cfg.data().queries());
        o.add("data.fields=" + (cfg.data().fields() == null ? "null" : cfg.data().fields().toYaml()));
        o.add("data.eval_splits=[" + String.join(",", e.splits()) + "]");
        o.add("train.epochs=" + cfg.epochs());
        o.add("eval.settings=[" + String.join(",", e.settings()) + "]");
        o.add("eval.limit=" + e.limit());
        o.add("eval.max_tokens=" + e.maxTokens());
        o.add("eval.batch_size=" + e.batchSize());
        o.add("out=" + dir);
        return o;
    }

    /** The RL arm's config for a seed: its recipe with the experiment's keys on top. */
    private RlConfig rlConfig(int seed) throws IOException {
        List<String> o = common(cfg.rl(), seed, out.resolve("rl/seed-" + seed));
        o.add("train.max_generation_steps=0");   // the experiment's epochs decide the length
        o.add("eval.at_start=false");            // vanilla is evaluated once for all seeds
        return Configs.load(recipe(cfg.rl().config()), o, RlConfig.class).validate();
    }

    private SftConfig sftConfig(int seed) throws IOException {
        return Configs.load(recipe(cfg.sft().config()), common(cfg.sft(), seed, out.resolve("sft/seed-" + seed)), SftConfig.class).validate();
    }

    private void rlArm(int seed) throws IOException {
        Path dir = out.resolve("rl/seed-" + seed);
        if (Files.isDirectory(dir.resolve("model"))) return;
        RlTrainer t;
        if (Files.isRegularFile(dir.resolve("checkpoints/latest"))) {
            say("rl, seed " + seed + ": resuming " + dir);
            t = RlTrainer.resume(dir);
        } else {
            say("rl, seed " + seed + ": " + dir);
            RlConfig c = rlConfig(seed);
            dev.jaye.rl.RunFolder.clearUnstarted(dir);                   // a start that died before its first checkpoint
            t = RlTrainer.start(c);
        }
        if (log == null) t.quiet();
        stopCurrent = t::requestStop;
        if (stopRequested) t.requestStop();
        t.run();
    }

    private void sftArm(int seed) throws IOException {
        Path dir = out.resolve("sft/seed-" + seed);
        if (Files.isDirectory(dir.resolve("model"))) return;
        SftTrainer t;
        if (Files.isRegularFile(dir.resolve("checkpoints/latest"))) {
            say("sft, seed " + seed + ": resuming " + dir);
            t = SftTrainer.resume(dir);
        } else {
            say("sft, seed " + seed + ": " + dir);
            SftConfig c = sftConfig(seed);
            dev.jaye.rl.RunFolder.clearUnstarted(dir);
            t = SftTrainer.start(c);
        }
        if (log == null) t.quiet();
        stopCurrent = t::requestStop;
        if (stopRequested) t.requestStop();
        t.run();
    }

    /** An arm's config file: as given (relative to the working directory), else under the jaye folder (./jaye sets jaye.home). */
    static Path recipe(String file) {
        Path p = Path.of(file);
        String home = System.getProperty("jaye.home");
        if (!Files.exists(p) && !p.isAbsolute() && home != null && Files.exists(Path.of(home).resolve(file))) return Path.of(home).resolve(file);
        return p;
    }

    private void say(String s) {
        if (log != null) log.println("== " + s);
    }
}
