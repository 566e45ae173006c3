// SPDX-License-Identifier: Apache-2.0
package dev.jaye.cluster;

import dev.jaye.rl.config.Configs;
import dev.jaye.tools.experiment.Distributed;
import dev.jaye.tools.experiment.Experiment;
import dev.jaye.tools.experiment.ExperimentConfig;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.VoidFunction;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code jaye experiment --master URL}: the experiment's parts (the vanilla evaluation, each arm
 * and seed) as the tasks of one Spark stage, one task per part. A task runs
 * {@link Experiment#runPart} exactly as one machine does, so its numbers are the one-machine
 * numbers: a part depends on its config and seed only, not on the machine, the thread count or
 * what else runs. A lost task is run again by Spark (spark.task.maxFailures, 4 by default on a
 * cluster) and resumes from its part's last checkpoint, which a resume reproduces bit for bit.
 * The driver alone writes {@code times.json}, from each task's wall time as the task ends.
 */
public final class SparkExperiment implements Distributed {
    @Override
    public boolean run(Experiment e, String master, PrintStream log) throws IOException {
        if (!master.startsWith("local")) requireAbsoluteResumes(e);
        Path folder = e.folder();
        String yaml = folder.resolve("experiment.yaml").toString();
        return e.run(parts -> {                                   // checked, locked, experiment.yaml written
            long t0 = System.nanoTime();
            try (JavaSparkContext sc = new JavaSparkContext(conf(master, folder))) {
                sc.setLogLevel("WARN");
                log.printf(Locale.ROOT, "== spark %s (Spark %s): %d parts as tasks; context up in %.1f s%n", master, sc.version(),
                        parts.size(), (System.nanoTime() - t0) / 1e9);
                // Each task's wall time goes into times.json as the task ends (Spark tells the driver, a
                // listener writes it), whether it finished, failed or was cancelled: a part that fails for
                // good, or a driver killed later, leaves the parts that ended with their time recorded.
                sc.sc().addSparkListener(new org.apache.spark.scheduler.SparkListener() {
                    @Override
                    public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd end) {
                        int i = end.taskInfo().index();               // the partition: one part each
                        if (i < 0 || i >= parts.size()) return;
                        try {
                            e.recordTime(parts.get(i), end.taskInfo().duration() / 1e3);
                        } catch (IOException | RuntimeException x) {
                            log.println("== spark: could not add " + parts.get(i) + "'s time to times.json: " + x.getMessage());
                        }
                    }
                });
                sc.parallelize(parts, parts.size()).foreach(new RunPart(yaml, dev.jaye.tensor.kernels.Simd.numerics()));
            }                                                     // closing the context delivers the last task ends first
            return true;
        });
    }

    /**
     * A part started without --master resumes from its own config.yaml, whose paths may be
     * relative to the folder it was started in; an executor runs elsewhere and would not find
     * them. Refused before anything runs, saying what to do.
     */
    static void requireAbsoluteResumes(Experiment e) throws IOException {
        for (String part : e.parts()) {
            Path cfg = e.folder().resolve(part).resolve("config.yaml");
            if (!Files.isRegularFile(e.folder().resolve(part).resolve("checkpoints/latest")) || !Files.isRegularFile(cfg)) continue;
            var node = Configs.read(cfg);
            for (String key : List.of("data.dir", "model.init", "out")) {
                var v = node.at("/" + key.replace('.', '/'));
                if (v.isTextual() && !Path.of(v.asText()).isAbsolute())
                    throw new IllegalArgumentException(cfg + ": " + key + " is a relative path (" + v.asText() + "): this part was started "
                            + "without --master and can resume only where it started; run the command without --master, or in local[N]");
            }
        }
    }

    /**
     * One part, on whichever executor Spark gives it: the experiment is read back from its
     * experiment.yaml. An executor whose kernels are not the driver's refuses it (another vector
     * width sums in another order: the part would not be the one-machine part).
     */
    static final class RunPart implements VoidFunction<String> {
        private final String yaml, kernels;

        RunPart(String yaml, String kernels) {
            this.yaml = yaml;
            this.kernels = kernels;
        }

        @Override
        public void call(String part) throws Exception {
            dev.jaye.rl.loop.SpreadWorker.requireKernels(kernels);
            ExperimentConfig cfg = Configs.load(Path.of(yaml), List.of(), ExperimentConfig.class);
            new Experiment(cfg, null).runPart(part);
        }
    }

    /** The JVM flags jaye runs with, for the executors a standalone worker starts. */
    static final String EXECUTOR_FLAGS = "--add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED "
            + "--sun-misc-unsafe-memory-access=allow -Djava.awt.headless=true";

    /**
     * The context's settings; any {@code -Dspark.*} system property (JAYE_JAVA_OPTS) is read on
     * top, e.g. {@code -Dspark.executor.memory=4g}.
     */
    static SparkConf conf(String master, Path folder) {
        SparkConf c = new SparkConf(true).setMaster(master).setAppName("jaye experiment " + folder.getFileName())
                .setIfMissing("spark.ui.enabled", "false");                // no web page on a port of its own
        // jaye's flags after a user's own executor options, never instead of them, and the driver's
        // -Djaye.* settings (kernels, tile sizes), which must be the same where the numbers are made
        StringBuilder jaye = new StringBuilder();
        for (String k : new java.util.TreeSet<>(System.getProperties().stringPropertyNames())) {
            String v = System.getProperty(k);
            if (k.startsWith("jaye.") && !v.isEmpty() && !v.matches(".*\\s.*")) jaye.append(" -D").append(k).append('=').append(v);
        }
        c.set("spark.executor.extraJavaOptions", (c.get("spark.executor.extraJavaOptions", "") + " " + EXECUTOR_FLAGS + jaye).strip());
        boolean loopback = master.startsWith("local") || master.contains("://127.0.0.1") || master.contains("://localhost");
        if (loopback) c.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        if (!master.startsWith("local")) {
            // jaye's classes for the executors: its jars, served by the driver; run from class folders
            // (the tests), the executors, on this machine, read the driver's class path itself.
            List<String> jars = new ArrayList<>();
            boolean folders = false;
            for (Class<?> k : new Class<?>[]{Experiment.class, SparkExperiment.class}) {
                Path p = codeSource(k);
                if (p != null && Files.isRegularFile(p)) jars.add(p.toString());
                else folders = true;
            }
            if (!jars.isEmpty()) c.setJars(jars.toArray(new String[0]));
            if (folders) c.setIfMissing("spark.executor.extraClassPath", System.getProperty("java.class.path"));
        }
        return c;
    }

    private static Path codeSource(Class<?> k) {
        try {
            return Path.of(k.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | NullPointerException | SecurityException e) {
            return null;
        }
    }
}
