// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import dev.jaye.tensor.Parallel;
import dev.jaye.tensor.kernels.Simd;
import dev.jaye.autograd.Var;
import dev.jaye.models.io.Checkpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** What this machine gives jaye (JDK, SIMD width, threads) and, with --checkpoint, what a model holds. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Print the JDK, SIMD kernels, threads and OpenCL devices in use; with --checkpoint, the model's config and parameters by module.")
final class InfoCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    DeviceOption device;

    @Option(names = "--checkpoint", paramLabel = "DIR", description = "A model folder (from jaye init or a trainer).")
    Path checkpoint;

    @Override
    public Integer call() throws IOException {
        System.out.println("jaye 0.1.0");
        System.out.println("java     " + System.getProperty("java.vm.name") + " " + Runtime.version());
        System.out.println("cpu      " + System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " processors");
        System.out.println("kernels  " + Simd.describe());
        System.out.println("threads  " + Parallel.threads() + " (-Djaye.threads or JAYE_THREADS)");
        System.out.println("heap     " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB max");
        for (String line : dev.jaye.tensor.opencl.Devices.describe()) System.out.println(line);
        System.out.println("chosen   " + dev.jaye.tensor.opencl.Backend.device().map(d -> "opencl:" + d.index() + " (products of "
                + dev.jaye.tensor.opencl.Backend.minWork() + "+ multiply-adds)").orElse("cpu"));
        if (checkpoint != null) printModel(Checkpoint.load(checkpoint));
        return 0;
    }

    private void printModel(Checkpoint.Loaded c) {
        System.out.println();
        System.out.println("checkpoint " + checkpoint);
        System.out.println(c.model().config.toJson());
        System.out.println("tokenizer  " + c.tokenizer().vocabSize() + " tokens");
        // Parameters by module: the first two levels of the key path (vision.blocks, lm.layers, ...).
        Map<String, long[]> groups = new LinkedHashMap<>();
        for (Map.Entry<String, Var> e : c.model().parameters().entrySet()) {
            String[] parts = e.getKey().split("\\.");
            String group = parts.length > 2 ? parts[0] + "." + parts[1] : e.getKey();
            long[] g = groups.computeIfAbsent(group, k -> new long[2]);
            g[0] += e.getValue().value.size();
            g[1]++;
        }
        System.out.printf(Locale.ROOT, "%-24s %12s %8s%n", "module", "parameters", "tensors");
        long total = 0;
        for (Map.Entry<String, long[]> e : groups.entrySet()) {
            System.out.printf(Locale.ROOT, "%-24s %,12d %8d%n", e.getKey(), e.getValue()[0], e.getValue()[1]);
            total += e.getValue()[0];
        }
        System.out.printf(Locale.ROOT, "%-24s %,12d%n", "total", total);
    }
}
