// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.opencl;

/**
 * What one kernel call did: returned by every entry method so a caller can log or time it. A
 * {@code Launch} exists only if the kernel ran as OpenCL; a silent fall back to Java threads is an
 * exception instead (see {@link Launcher}).
 *
 * @param kernel       the kernel's name, e.g. "matmul"
 * @param device       the OpenCL device it ran on
 * @param bytes        bytes copied host to device plus device to host by this call
 * @param conversionMs Aparapi's bytecode-to-OpenCL translation plus program build (first use only)
 * @param executionMs  the kernel's run time as Aparapi measured it
 */
public record Launch(String kernel, String device, long bytes, double conversionMs, double executionMs) {

    /** An empty problem: done on the host, nothing launched, nothing copied. */
    static Launch nothing(String kernel, OpenClDevice device) {
        return new Launch(kernel, device.name(), 0, 0, 0);
    }
}
