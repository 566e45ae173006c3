// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools.bench;

import dev.jaye.tensor.Parallel;
import dev.jaye.tensor.Rng;
import dev.jaye.tensor.Tensor;
import dev.jaye.tensor.kernels.MatMul;
import dev.jaye.tensor.kernels.Simd;
import dev.jaye.tensor.opencl.Backend;
import dev.jaye.tensor.opencl.Device;
import dev.jaye.tensor.opencl.OpenClDevice;
import dev.jaye.tensor.opencl.OpenClMatMul;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * GFLOP/s of the GEMM on the shapes the peer benchmarks measure for OpenBLAS and PyTorch:
 * squares, the tiny model's shapes, their backward forms, and small shapes that must not get
 * slower with more threads.
 */
@Command(name = "matmul", mixinStandardHelpOptions = true,
        description = "GEMM GFLOP/s: squares 128-2048, the tiny model's shapes and their backward forms (nn, nt, tn); "
                + "with an OpenCL device, every shape on the CPU and the device side by side.")
final class MatmulBench implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    dev.jaye.tools.DeviceOption device;

    @Mixin
    BenchOptions opts;



    @Option(names = "--only", paramLabel = "TEXT", description = "Only cases whose label contains this text, e.g. 'square 1024'.")
    String only;

    @Option(names = "--compare", paramLabel = "PEERS.jsonl",
            description = "JSON lines of the peer measurements (peak, and OpenBLAS and PyTorch GEMM rows in this benchmark's JSON form) from this machine: adds columns with the "
                    + "ratio to OpenBLAS and PyTorch and the percentage of the measured FMA peak.")
    java.nio.file.Path compare;

    /** label, form, M, N, K: the peers' list, plus attention-sized shapes. */
    record Case(String label, String form, int m, int n, int k) {}

    static final List<Case> CASES = List.of(
            new Case("square 128", "nn", 128, 128, 128),
            new Case("square 256", "nn", 256, 256, 256),
            new Case("square 512", "nn", 512, 512, 512),
            new Case("square 1024", "nn", 1024, 1024, 1024),
            new Case("square 2048", "nn", 2048, 2048, 2048),
            new Case("[2048x256]@[256x768]", "nn", 2048, 768, 256),
            new Case("[2048x768]@[768x256]", "nn", 2048, 256, 768),
            new Case("[2048x256]@[256x256]", "nn", 2048, 256, 256),
            new Case("[2048x256]@[256x512]", "nn", 2048, 512, 256),
            new Case("x W^T: [2048x256]@[768x256]^T", "nt", 2048, 768, 256),
            new Case("dX = dY W^T: [2048x768]@[256x768]^T", "nt", 2048, 256, 768),
            new Case("dB = A^T dC: [2048x256]^T@[2048x768]", "tn", 256, 768, 2048),
            new Case("dW = dY^T X: [2048x768]^T@[2048x256]", "tn", 768, 256, 2048),
            new Case("attention scores: [128x64]@[128x64]^T", "nt", 128, 128, 64),
            new Case("attention output: [128x128]@[128x64]", "nn", 128, 64, 128),
            // nano in the quickstart's RL step: 64 rows of ~110 tokens per forward, 128 rows per decode step
            new Case("nano qkv: [7040x128]@[384x128]^T", "nt", 7040, 384, 128),
            new Case("nano mlp up: [7040x128]@[768x128]^T", "nt", 7040, 768, 128),
            new Case("nano mlp down: [7040x384]@[128x384]^T", "nt", 7040, 128, 384),
            new Case("nano dX: [7040x768]@[768x128]", "nn", 7040, 128, 768),
            new Case("nano dW: [7040x768]^T@[7040x128]", "tn", 768, 128, 7040),
            new Case("nano decode: [128x128]@[384x128]^T", "nt", 128, 384, 128));

    @Override
    public Integer call() {
        Peers peers = compare == null ? null : Peers.read(compare);
        // With a device: every shape on both, side by side, so the table shows where offloading
        // pays. The device column is what a product costs from the host: its operands go over,
        // the kernel runs, the result comes back.
        OpenClDevice dev = Backend.device().orElse(null);
        if (!opts.json) {
            System.out.println("matmul: " + Simd.describe() + "; median (best) GFLOP/s of repeated runs after warm-up"
                    + (dev == null ? "" : "; opencl:" + dev.index() + " " + dev.name() + " with the copies to and from it"));
            if (dev == null) System.out.printf(Locale.ROOT, "%-40s %4s %7s %17s%s%n", "shape", "form", "threads", "GFLOP/s",
                    peers == null ? "" : "  x openblas  x torch  % of peak");
            else System.out.printf(Locale.ROOT, "%-40s %4s %7s %17s %17s %8s %9s%n", "shape", "form", "threads", "cpu GFLOP/s",
                    "opencl GFLOP/s", "x cpu", "MB moved");
        }
        Rng rng = new Rng(42);
        int saved = Parallel.threads();
        Backend.useCpu();                                    // MatMul.matmul below is the CPU column
        try {
            for (Case c : CASES) {
                if (only != null && !c.label().contains(only)) continue;
                boolean ta = c.form().equals("tn"), tb = c.form().equals("nt");
                float[] a = Tensor.randn(rng, 1f, c.m() * c.k()).data();
                float[] b = Tensor.randn(rng, 1f, c.k() * c.n()).data();
                float[] out = new float[c.m() * c.n()];
                double flops = 2.0 * c.m() * c.n() * c.k();
                Timing.Result onDevice = null;
                long moved = 0;
                if (dev != null) {
                    onDevice = Timing.measure(() -> OpenClMatMul.matmul(a, 0, b, 0, out, 0, c.m(), c.n(), c.k(), ta, tb, false, dev),
                            opts.quick ? 0.3 : 1.0, opts.quick ? 3 : 7, opts.quick ? 0.05 : 0.2);
                    moved = OpenClMatMul.matmul(a, 0, b, 0, out, 0, c.m(), c.n(), c.k(), ta, tb, false, dev).bytes();
                    if (opts.json) System.out.printf(Locale.ROOT, "{\"bench\":\"matmul\",\"lib\":\"jaye\",\"device\":\"opencl:%d\","
                                    + "\"form\":\"%s\",\"m\":%d,\"n\":%d,\"k\":%d,\"gflops\":%.1f,\"gflops_best\":%.1f,\"bus_mb_per_call\":%.2f}%n",
                            dev.index(), c.form(), c.m(), c.n(), c.k(), flops / onDevice.median() / 1e9, flops / onDevice.best() / 1e9, moved / 1e6);
                }
                for (int t : opts.threads) {
                    Parallel.setThreads(t);
                    Timing.Result r = Timing.measure(() -> MatMul.matmul(a, 0, b, 0, out, 0, c.m(), c.n(), c.k(), ta, tb, false),
                            opts.quick ? 0.3 : 1.0, opts.quick ? 3 : 7, opts.quick ? 0.05 : 0.2);
                    double g = flops / r.median() / 1e9, best = flops / r.best() / 1e9;
                    if (opts.json) {
                        System.out.printf(Locale.ROOT, "{\"bench\":\"matmul\",\"lib\":\"jaye\",\"form\":\"%s\",\"m\":%d,\"n\":%d,\"k\":%d,"
                                + "\"threads\":%d,\"gflops\":%.1f,\"gflops_best\":%.1f}%n", c.form(), c.m(), c.n(), c.k(), t, g, best);
                    } else if (dev == null) {
                        System.out.printf(Locale.ROOT, "%-40s %4s %7d %8.1f (%6.1f)%s%n", c.label(), c.form(), t, g, best,
                                peers == null ? "" : peers.columns(c.form(), c.m(), c.n(), c.k(), t, g));
                    } else {
                        double gd = flops / onDevice.median() / 1e9;
                        System.out.printf(Locale.ROOT, "%-40s %4s %7d %8.1f (%6.1f) %8.1f (%6.1f) %8.2f %9.1f%n", c.label(), c.form(), t, g, best,
                                gd, flops / onDevice.best() / 1e9, gd / g, moved / 1e6);
                    }
                    System.out.flush();
                }
            }
        } finally {
            Parallel.setThreads(saved);
            if (dev != null) Backend.use(Device.opencl(dev.index()));
        }
        return 0;
    }
}
