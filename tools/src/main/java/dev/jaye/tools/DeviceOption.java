// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import dev.jaye.tensor.opencl.Backend;
import dev.jaye.tensor.opencl.Device;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --device auto|cpu|opencl[:N]} for every command that computes. Applied as it is parsed:
 * {@link Backend#use} picks the device (auto: OpenCL only on a GPU or accelerator) and, when
 * there is something to say (a device chosen, or OpenCL asked for and missing), one line goes to
 * stderr. Missing OpenCL is never an error: the CPU runs everything.
 */
public final class DeviceOption {
    @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "auto", converter = Parse.class,
            description = "auto, cpu, opencl or opencl:N: where large products, attention, softmax, norms and element-wise ops run "
                    + "(auto: OpenCL only on a GPU or accelerator; jaye info lists the devices).")
    public void set(Device value) {
        String line = Backend.use(value);
        if (line != null) System.err.println("jaye: " + line);
    }

    /**
     * {@code --master}: everything computes on the CPU, the driver's share too. The executors have
     * no device setting, and an OpenCL device's sums are not the CPU's.
     */
    static void cpuForMaster() {
        if (Backend.device().isEmpty()) return;
        Backend.useCpu();
        System.err.println("jaye: --master computes on the CPU, here as on the executors (an OpenCL device's sums are not the CPU's)");
    }

    /** A bad value is a usage error with Device.parse's message, not a stack trace. */
    static final class Parse implements CommandLine.ITypeConverter<Device> {
        @Override
        public Device convert(String value) {
            try {
                return Device.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
