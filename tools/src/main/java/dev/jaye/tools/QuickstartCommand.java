// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/**
 * The main job: data, warm-up, RL and SFT, evaluation, report. Until the trainers exist it says
 * what is implemented so far and exits non-zero, so nobody mistakes it for a finished run.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "Generate data, warm up a nano VLM, run RL and SFT, evaluate, report (in progress).")
final class QuickstartCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("""
                jaye quickstart is not implemented yet. What works today:
                  ./jaye bench matmul [--json]   the tensor library's GEMM, in GFLOP/s
                  ./jaye info                    what the kernels run on (SIMD width, threads)
                  ./jaye test                    the test suite
                Coming, in order: autograd, the VLM, tasks and evaluator, SFT, RL, reports.""");
        return 2;
    }
}
