// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools.bench;

import picocli.CommandLine.Option;

import java.util.List;

/** The options every benchmark takes (a picocli mixin). */
final class BenchOptions {
    @Option(names = "--json", description = "One JSON object per measurement, one per line.")
    boolean json;

    @Option(names = "--threads", paramLabel = "N", split = ",", defaultValue = "1,2", description = "Thread counts to run.")
    List<Integer> threads;

    @Option(names = "--quick", description = "Shorter runs (for a smoke check; noisier).")
    boolean quick;

    @Option(names = "--send-weights", description = "With an OpenCL device: send every weight at every product instead of "
            + "keeping weights on the device while they do not change (to see what keeping them saves).")
    void sendWeights(boolean send) {
        dev.jaye.tensor.opencl.DeviceWeights.setKeeping(!send);
    }
}
