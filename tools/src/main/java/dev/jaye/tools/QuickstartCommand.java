// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/**
 * The main job: data, warm-up, RL and SFT, evaluation, report. Until the trainers exist it says
 * plainly what is implemented so far, so nobody mistakes it for a finished run.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "Generate data, warm up a nano VLM, run RL and SFT, evaluate, report (not built yet: prints what works today).")
final class QuickstartCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("""
                jaye quickstart is not built yet: the trainers it runs come next. What works today:
                  ./jaye gradcheck                      every op's backward against finite differences
                  ./jaye init --preset nano --out DIR   a randomly initialised VLM (safetensors + config + tokenizer)
                  ./jaye info [--checkpoint DIR]        SIMD kernels and threads; a model's parameters by module
                  ./jaye data generate --out DIR        a dataset of rendered visual math tasks (data show: a contact sheet)
                  ./jaye generate --checkpoint DIR --image F --prompt Q   one answer from a model
                  ./jaye eval --checkpoint DIR --data DIR   the method's three generation settings on a split
                  ./jaye sft --config configs/sft-nano.yaml   warm-up from scratch (about a minute on count_total; README)
                  ./jaye bench matmul|train|generate|logprobs   speed, to compare with ../shared/bench/peers
                  ./jaye test                           the test suite
                Coming, in order: RL (the method's four steps), reports and this quickstart, OpenCL offload.""");
        return 0;
    }
}
