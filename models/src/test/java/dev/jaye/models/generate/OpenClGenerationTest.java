// SPDX-License-Identifier: Apache-2.0
package dev.jaye.models.generate;

import dev.jaye.models.Vlm;
import dev.jaye.models.generate.Generator.Response;
import dev.jaye.models.generate.Generator.Settings;
import dev.jaye.models.processor.Processor;
import dev.jaye.tensor.Tensor;
import dev.jaye.tensor.opencl.Backend;
import dev.jaye.tensor.opencl.Device;
import dev.jaye.tensor.opencl.DeviceWeights;
import dev.jaye.tensor.opencl.Devices;
import dev.jaye.tensor.opencl.Transfers;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Greedy generation with every product, attention, softmax and norm on OpenCL, prefill and
 * decoding steps alike, against the CPU: the same tokens and log-probs within float tolerance.
 * Generation is where kept weights count most (each decoding step reuses every weight), so the
 * bytes sent with weights kept and with weights sent at every product are compared too. Skipped,
 * with the reason, where no OpenCL platform exists.
 */
class OpenClGenerationTest {

    record Run(List<Response> out, long toDevice) {}

    static Run generate(Vlm m, Processor p, List<Tensor> images) {
        Transfers.reset();
        List<Response> out = new Generator(m, p).generate(images, Fixtures.QUESTIONS, Settings.greedy(6));
        return new Run(out, Transfers.toDeviceBytes());
    }

    @Test
    void greedyGenerationOnOpenClMatchesTheCpu() {
        var found = Devices.discover();
        if (!Boolean.getBoolean("jaye.test.requireOpenCl"))
            Assumptions.assumeTrue(!found.devices().isEmpty(), "no OpenCL platform: " + found.reason());
        Vlm m = Fixtures.model(21);
        Processor p = Fixtures.processor();
        List<Tensor> images = Fixtures.images(4, 22);
        Run cpu = generate(m, p, images), kept, sent;
        long saved = Backend.minWork();
        try {
            Backend.use(Device.opencl(0));
            Backend.setMinWork(0);
            generate(m, p, images);           // first calls grow kernels' scratch buffers: not part of the comparison
            kept = generate(m, p, images);
            DeviceWeights.setKeeping(false);
            sent = generate(m, p, images);
        } finally {
            DeviceWeights.setKeeping(true);
            Backend.useCpu();
            Backend.setMinWork(saved);
        }
        assertEquals(0, cpu.toDevice(), "the CPU run sends nothing");
        for (Run gpu : List.of(kept, sent))
            for (int r = 0; r < cpu.out().size(); r++) {
                Response a = cpu.out().get(r), b = gpu.out().get(r);
                assertArrayEquals(a.ids(), b.ids(), "row " + r + ": the same greedy tokens");
                for (int t = 0; t < a.logProbs().length; t++)
                    assertEquals(a.logProbs()[t], b.logProbs()[t], 1e-4 * (1 + Math.abs(a.logProbs()[t])), "row " + r + " token " + t);
            }
        // Six forward passes (the prefill, then five decoding steps for tokens 2-6) each use every
        // weight matrix of the language model: kept, each crosses once instead of six times. (The
        // vision encoder runs once either way; each slot's release at the end adds 8 bytes.)
        long lm = 0;
        for (var e : m.parameters().entrySet())
            if (e.getKey().startsWith("lm.") && e.getValue().value.rank() == 2) lm += 4L * e.getValue().value.size();
        long spared = sent.toDevice() - kept.toDevice();
        assertTrue(spared <= 5 * lm && spared >= 5 * lm - 1024,
                "kept: " + kept.toDevice() + " bytes to the device, sent: " + sent.toDevice() + ", LM weight matrices: " + lm);
    }
}
