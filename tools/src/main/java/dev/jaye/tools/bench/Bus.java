// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools.bench;

import dev.jaye.tensor.opencl.Backend;
import dev.jaye.tensor.opencl.DeviceWeights;
import dev.jaye.tensor.opencl.Transfers;

import java.util.Locale;

/**
 * What crosses between host and an OpenCL device, for the benchmarks' reports: on a discrete GPU
 * these copies, not the arithmetic, often decide whether offloading pays.
 */
final class Bus {
    private Bus() {}

    /** With a device chosen: one untimed extra run of {@code call}, described as a line; else null. */
    static String perCall(Runnable call, String what) {
        if (Backend.device().isEmpty()) return null;
        Transfers.reset();
        call.run();
        return sinceReset(1, what);
    }

    /**
     * What crossed since {@code Transfers.reset()}, per one of {@code calls} calls: "X MB per WHAT
     * crossed the bus (host -> device Y, of which Z copies of outputs; device -> host W); weights kept|sent".
     */
    static String sinceReset(int calls, String what) {
        double toDevice = Transfers.toDeviceBytes() / 1e6 / calls, toHost = Transfers.toHostBytes() / 1e6 / calls;
        return String.format(Locale.ROOT, "%.1f MB per %s crossed the bus (host -> device %.1f, of which %.1f copies of outputs;"
                        + " device -> host %.1f); weights %s", toDevice + toHost, what, toDevice, Transfers.unreadBytes() / 1e6 / calls, toHost,
                DeviceWeights.keeping() ? "kept on the device while they do not change" : "sent at every product");
    }
}
