// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code jaye bench ...}: measurements, not tests. Each prints a table, or JSON lines with --json. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmarks (medians of repeated runs after warm-up), one table each, or JSON lines with --json.",
                "Speed is only comparable within one machine and one sitting: quote ratios to a peer (PyTorch, "
                        + "OpenBLAS) or to 'bench peak' measured right before, and name the CPU."},
        subcommands = {PeakBench.class, MatmulBench.class, TrainBench.class, GenerateBench.class, LogprobsBench.class,
                RlStepBench.class, SftStepBench.class})
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
