// SPDX-License-Identifier: Apache-2.0
package dev.jaye.models.opencl;

import dev.jaye.autograd.Var;
import dev.jaye.autograd.ops.SoftmaxOps;
import dev.jaye.autograd.optim.LrSchedule;
import dev.jaye.autograd.optim.Sgd;
import dev.jaye.models.Vlm;
import dev.jaye.models.config.ModelConfig;
import dev.jaye.tensor.Rng;
import dev.jaye.tensor.Tensor;
import dev.jaye.tensor.opencl.Backend;
import dev.jaye.tensor.opencl.Device;
import dev.jaye.tensor.opencl.DeviceWeights;
import dev.jaye.tensor.opencl.Devices;
import dev.jaye.tensor.opencl.Transfers;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One whole nano training step (forward, cross-entropy, backward) with every product, softmax, norm and
 * attention on OpenCL, against the same step on the CPU: the loss and every parameter's gradient
 * agree within float tolerance, with the weights sent at every call and kept on the device for the
 * step (DeviceWeights). Skipped, with the reason, where no OpenCL platform exists.
 */
class OpenClTrainingStepTest {
    record Step(double loss, Map<String, Var> params) {}

    static Step step(long seed, boolean keepWeights) {
        if (!keepWeights) return step(seed);
        try (var constant = DeviceWeights.scope()) {
            return step(seed);
        }
    }

    static Step step(long seed) {
        Vlm m = new Vlm(ModelConfig.nano(), seed);
        Var loss = loss(m);
        loss.backward();
        return new Step(loss.item(), m.parameters());
    }

    /** Cross-entropy of the model on a fixed random batch of two rows. */
    static Var loss(Vlm m) {
        Rng rng = new Rng(9);
        int B = 2, T = m.config.imageTokens() + 12, V = m.config.lm().vocab(), S = m.config.vision().imageSize();
        int[] ids = new int[B * T], targets = new int[B * T];
        for (int b = 0; b < B; b++)
            for (int t = 0; t < T; t++) {
                ids[b * T + t] = t == 0 ? 1 : t <= m.config.imageTokens() ? 3 : 4 + rng.nextInt(200);
                targets[b * T + t] = 4 + rng.nextInt(200);
            }
        Tensor pixels = Tensor.randn(rng, 1f, B, 3, S, S), mask = Tensor.ones(B, T);
        Var logits = m.forward(pixels, ids, mask);
        return SoftmaxOps.crossEntropy(logits.reshape(-1, V), targets, null, -1);
    }

    /** Losses of three SGD steps, each forward and backward in a DeviceWeights scope, as a training loop has them. */
    static double[] threeSteps(long[] weightBytesSent) {
        Vlm m = new Vlm(ModelConfig.nano(), 5);
        Sgd opt = new Sgd(m.parameters(), LrSchedule.constant(0.5), 0);
        double[] losses = new double[3];
        for (int i = 0; i < 3; i++) {
            long before = Transfers.toDeviceBytes();
            try (var constant = DeviceWeights.scope()) {
                Var loss = loss(m);
                loss.backward();
                losses[i] = loss.item();
            }
            if (weightBytesSent != null) weightBytesSent[i] = Transfers.toDeviceBytes() - before;
            opt.step();
            opt.zeroGrad();
        }
        return losses;
    }

    @Test
    void weightsChangedByAnOptimiserStepReachTheDevice() {
        var found = Devices.discover();
        if (!Boolean.getBoolean("jaye.test.requireOpenCl"))
            Assumptions.assumeTrue(!found.devices().isEmpty(), "no OpenCL platform: " + found.reason());
        double[] cpu = threeSteps(null), gpu;
        long[] sent = new long[3];
        long saved = Backend.minWork();
        try {
            Backend.use(Device.opencl(0));
            Backend.setMinWork(0);
            gpu = threeSteps(sent);
        } finally {
            Backend.useCpu();
            Backend.setMinWork(saved);
        }
        assertTrue(cpu[2] < cpu[0], "the steps change the weights enough to change the loss: " + java.util.Arrays.toString(cpu));
        for (int i = 0; i < 3; i++)
            assertEquals(cpu[i], gpu[i], 1e-4 * Math.abs(cpu[i]), "step " + i + ": the device computed with the weights of this step");
        // Every scope sends the weights afresh: the same traffic each step, not less after the first.
        assertEquals(sent[0], sent[1]);
        assertEquals(sent[0], sent[2]);
    }

    @Test
    void aNanoTrainingStepOnOpenClMatchesTheCpu() {
        var found = Devices.discover();
        if (!Boolean.getBoolean("jaye.test.requireOpenCl"))     // CI with PoCL installed: a missing platform fails
            Assumptions.assumeTrue(!found.devices().isEmpty(), "no OpenCL platform: " + found.reason());
        Step cpu = step(4);
        Step gpu, kept;
        long saved = Backend.minWork();
        try {
            String line = Backend.use(Device.opencl(0));
            assertTrue(line != null && line.startsWith("device: opencl:0"), "choosing a present device says which: " + line);
            Backend.setMinWork(0);                              // every product, attention, softmax and norm to the device
            Transfers.reset();
            gpu = step(4, false);
            long everyCall = Transfers.toDeviceBytes();
            assertTrue(everyCall > 0, "the step really moved data to the device");
            Transfers.reset();
            kept = step(4, true);
            long weights = 0;
            for (Var p : kept.params().values()) if (p.value.rank() == 2) weights += 4L * p.value.size();
            // Each weight matrix is read twice (x·Wᵀ forward, dy·W backward): kept on the device it
            // crosses once, so the step sends one copy of the matrices less (90%: a few 2-D
            // parameters, position embeddings, are not the weight of a product).
            assertTrue(everyCall - Transfers.toDeviceBytes() >= 0.9 * weights, "kept weights: " + Transfers.toDeviceBytes()
                    + " bytes to the device, every call: " + everyCall + ", weight matrices: " + weights);
        } finally {
            Backend.useCpu();
            Backend.setMinWork(saved);
        }
        assertClose(cpu, gpu);
        assertClose(cpu, kept);
    }

    static void assertClose(Step cpu, Step gpu) {
        assertEquals(cpu.loss(), gpu.loss(), 1e-4 * Math.abs(cpu.loss()));
        for (String name : cpu.params().keySet()) {
            float[] a = cpu.params().get(name).grad().data(), b = gpu.params().get(name).grad().data();
            double diff = 0, norm = 0;
            for (int i = 0; i < a.length; i++) {
                diff = Math.max(diff, Math.abs(a[i] - b[i]));
                norm = Math.max(norm, Math.abs(a[i]));
            }
            assertTrue(diff <= 1e-3 * norm + 1e-7, name + ": gradients differ by " + diff + " (largest " + norm + ")");
        }
    }
}
