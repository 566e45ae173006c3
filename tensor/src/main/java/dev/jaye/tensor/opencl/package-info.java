// SPDX-License-Identifier: Apache-2.0
/**
 * OpenCL offload through Aparapi: the same kernels as {@code dev.jaye.tensor.kernels}, run on a
 * GPU (or any OpenCL device) when {@code --device} asks for one.
 *
 * <h2>Why Aparapi</h2>
 * Aparapi translates the bytecode of a Java {@code Kernel.run()} to OpenCL C at run time. The
 * kernels stay Java, readable next to their scalar references and built by the same Maven build,
 * with no C toolchain and no hand-written OpenCL strings; the same jar runs on NVIDIA, AMD and
 * Intel GPUs and, through PoCL, on a plain CPU, which is how tests and CI run them. The price is
 * a subset of Java (primitive arrays and scalars in fields, no {@code break}, no objects) and a
 * habit of falling back silently to Java threads, which this package refuses (see Launcher).
 *
 * <h2>Where things are</h2>
 * <ul>
 *   <li>{@link dev.jaye.tensor.opencl.Device}: the {@code --device auto|cpu|opencl[:N]} request;
 *       {@link dev.jaye.tensor.opencl.Devices}: discovery, resolution of a request, and the lines
 *       {@code jaye info} prints; {@link dev.jaye.tensor.opencl.OpenClDevice}: one device.</li>
 *   <li>One class per op family, each with its Aparapi kernel(s) nested and static entry methods
 *       that take the arguments of the scalar reference plus a device:
 *       {@link dev.jaye.tensor.opencl.OpenClMatMul}, {@link dev.jaye.tensor.opencl.OpenClElementwise},
 *       {@link dev.jaye.tensor.opencl.OpenClSoftmax}, {@link dev.jaye.tensor.opencl.OpenClNorms},
 *       {@link dev.jaye.tensor.opencl.OpenClAttention}. Each returns a
 *       {@link dev.jaye.tensor.opencl.Launch}.</li>
 *   <li>{@link dev.jaye.tensor.opencl.Transfers}: bytes copied host to device and back.</li>
 *   <li>{@link dev.jaye.tensor.opencl.DeviceWeights}: weights kept on the device for a scope in
 *       which they do not change (a training step between optimiser steps, a generation).</li>
 *   <li>{@code Launcher} (guards and copies for every launch), {@code Buffers} (which fields
 *       got a new array, hence a new device buffer), {@code Args} (size checks).</li>
 * </ul>
 *
 * <h2>What stays on the device, and what cannot (Aparapi's buffer model)</h2>
 * A device buffer belongs to one array field of one kernel instance. It survives between calls
 * while the field keeps the same array; a different array means a new buffer, created as a copy
 * of that array, outputs included. Two kernels cannot share a buffer, so an activation made by one
 * kernel reaches the next only through the host, and a result left on the device alone could be
 * lost: Aparapi recreates a buffer from the host array whenever the garbage collector has moved
 * the array. What can stay is what the host already holds and does not change: weights, kept by
 * giving each its own kernel instance ({@code DeviceWeights}). Everything else crosses the bus
 * at every call, and {@code Transfers} counts it.
 *
 * <h2>Writing a kernel here (what Aparapi 3.0.2 taught us)</h2>
 * <ul>
 *   <li>Fields hold everything: arrays start as one-element placeholders (Aparapi needs an array
 *       in each field it compiles against, never null); flags are ints; optional arrays get a flag
 *       and a placeholder.</li>
 *   <li>No {@code break}, no other objects' fields: translation fails (Launcher makes that an
 *       exception). Give each local its value where it is declared, or use a ternary: a local
 *       assigned in both branches of an {@code if} was declared in one branch only, and the
 *       OpenCL build failed.</li>
 *   <li>Guard the tail ({@code if (i < n)}) instead of returning early, and in a kernel with
 *       barriers let every work-item reach every barrier.</li>
 *   <li>Never give two fields the same array (an in-place call): each field is its own device
 *       buffer. Entry methods copy an input that is also the output.</li>
 *   <li>Array fields the kernel reads or writes are non-final; every other array field
 *       (placeholders, host-side scratch, {@code @Local} tiles) is final. {@code Buffers} relies
 *       on it to count the copies Aparapi makes.</li>
 *   <li>OpenCL's exp, log, tanh, sqrt and division may be a few ulp off, and it may fuse a
 *       multiply and an add: tests derive their tolerances from those limits.</li>
 * </ul>
 */
package dev.jaye.tensor.opencl;
