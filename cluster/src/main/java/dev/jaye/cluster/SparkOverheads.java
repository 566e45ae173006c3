// SPDX-License-Identifier: Apache-2.0
package dev.jaye.cluster;

import dev.jaye.models.config.ModelConfig;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What Spark costs jaye, measured: starting a context, a trivial stage of two tasks (warm), and
 * broadcasting a model's weights to the executors (a stage whose tasks read the broadcast). Run:
 * {@code java -cp ... dev.jaye.cluster.SparkOverheads MASTER} (docs/cluster.md has the command).
 */
public final class SparkOverheads {
    private SparkOverheads() {}

    public static void main(String[] args) {
        String master = args.length > 0 ? args[0] : "local[2]";
        long t0 = System.nanoTime();
        SparkConf conf = SparkExperiment.conf(master, Path.of("overheads"));
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("WARN");
            double start = (System.nanoTime() - t0) / 1e9;
            List<Integer> two = List.of(0, 1);
            for (int i = 0; i < 5; i++) sc.parallelize(two, 2).map(x -> x + 1).collect();       // warm-up: executors up, classes loaded
            double[] stage = new double[20];
            for (int i = 0; i < stage.length; i++) {
                long s = System.nanoTime();
                sc.parallelize(two, 2).map(x -> x + 1).collect();
                stage[i] = (System.nanoTime() - s) / 1e6;
            }
            java.util.Arrays.sort(stage);
            System.out.printf(Locale.ROOT, "%s: context start %.1f s; a trivial stage of 2 tasks: median %.0f ms (min %.0f, max %.0f, 20 runs)%n",
                    master, start, stage[stage.length / 2], stage[0], stage[stage.length - 1]);
            for (String name : List.of("tiny", "small")) {
                ModelConfig m = name.equals("tiny") ? ModelConfig.tiny() : ModelConfig.small();
                float[] weights = new float[(int) m.parameterCount()];
                for (int i = 0; i < weights.length; i++) weights[i] = i * 1e-7f;
                List<Double> times = new ArrayList<>();
                for (int rep = 0; rep < 3; rep++) {
                    long s = System.nanoTime();
                    Broadcast<float[]> b = sc.broadcast(weights);
                    sc.parallelize(two, 2).map(x -> b.value().length).collect();              // each executor fetches it
                    times.add((System.nanoTime() - s) / 1e6);
                    b.destroy();
                }
                System.out.printf(Locale.ROOT, "%s: broadcast of %s's weights (%.1f MB) and a stage reading them: %.0f / %.0f / %.0f ms%n", master,
                        name, weights.length * 4 / 1e6, times.get(0), times.get(1), times.get(2));
            }
        }
    }
}
