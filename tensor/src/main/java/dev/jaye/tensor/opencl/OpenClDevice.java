// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.opencl;

/**
 * One OpenCL device as discovery found it: plain data, so that {@code jaye info}, tests and
 * commands can show and compare devices without touching Aparapi's classes.
 *
 * @param index            position in {@link Devices#discover()}'s list: the N of {@code opencl:N}
 * @param platform         the platform (driver) name, e.g. "Portable Computing Language"
 * @param name             the device name the driver reports
 * @param type             what kind of chip it is
 * @param computeUnits     CL_DEVICE_MAX_COMPUTE_UNITS (cores on a CPU, SMs/CUs on a GPU)
 * @param globalMemBytes   CL_DEVICE_GLOBAL_MEM_SIZE
 * @param maxWorkGroupSize largest work-group; the tiled matmul needs 256 (16 x 16)
 */
public record OpenClDevice(int index, String platform, String name, Type type, int computeUnits,
                           long globalMemBytes, int maxWorkGroupSize) {

    /** Chip kinds. Only GPU and ACCELERATOR make {@code --device auto} choose OpenCL. */
    public enum Type { GPU, CPU, ACCELERATOR, OTHER }

    /** One line for listings: {@code GPU "name" on "platform", 80 compute units, 16.0 GiB, work-groups up to 1024}. */
    public String summary() {
        return String.format(java.util.Locale.ROOT, "%s \"%s\" on \"%s\", %d compute units, %.1f GiB, work-groups up to %d",
                type, name, platform, computeUnits, globalMemBytes / (double) (1L << 30), maxWorkGroupSize);
    }
}
