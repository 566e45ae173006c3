// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.opencl;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Discovery and the resolution rule. The rule is tested on made-up discoveries (none, a PoCL CPU
 * device, CPU plus GPU), so a machine without OpenCL checks it as well as one with a GPU.
 */
class OpenClDevicesTest {
    static final OpenClDevice POCL = new OpenClDevice(0, "Portable Computing Language", "pthread-cpu", OpenClDevice.Type.CPU, 2, 1L << 33, 4096);
    static final OpenClDevice GPU = new OpenClDevice(1, "NVIDIA CUDA", "NVIDIA H100", OpenClDevice.Type.GPU, 132, 80L << 30, 1024);
    static final Devices.Discovery NONE = new Devices.Discovery(List.of(), Devices.noDeviceReason(true, 0));
    static final Devices.Discovery CPU_ONLY = new Devices.Discovery(List.of(POCL), "found 1 OpenCL device on 1 platform");
    static final Devices.Discovery WITH_GPU = new Devices.Discovery(List.of(POCL, GPU), "found 2 OpenCL devices on 2 platforms");

    @Test
    void discoveryOfThisMachineNeverThrowsAndExplainsAnEmptyList() {
        Devices.Discovery d = Devices.discover();
        if (d.devices().isEmpty()) assertTrue(d.reason().startsWith("no OpenCL"), d.reason());
        for (int i = 0; i < d.devices().size(); i++) {
            OpenClDevice dev = d.devices().get(i);
            assertEquals(i, dev.index());
            assertFalse(dev.name().isBlank());
            assertTrue(dev.computeUnits() > 0 && dev.globalMemBytes() > 0, dev.summary());
        }
        assertTrue(Devices.describe().getLast().startsWith("--device auto -> "), String.join("\n", Devices.describe()));
        assertEquals(Optional.empty(), Devices.resolve(Device.CPU));
    }

    @Test
    void autoTakesAGpuNeverACpuDevice() {
        assertEquals(Optional.empty(), Devices.resolve(Device.AUTO, NONE));
        assertEquals(Optional.empty(), Devices.resolve(Device.AUTO, CPU_ONLY), "PoCL's CPU device is slower than the CPU kernels");
        assertEquals(Optional.of(GPU), Devices.resolve(Device.AUTO, WITH_GPU));
        OpenClDevice acc = new OpenClDevice(0, "p", "fpga", OpenClDevice.Type.ACCELERATOR, 1, 1L << 30, 256);
        assertEquals(Optional.of(acc), Devices.resolve(Device.AUTO, new Devices.Discovery(List.of(acc), "")));
    }

    @Test
    void openclTakesTheDeviceAskedFor() {
        assertEquals(Optional.of(POCL), Devices.resolve(Device.opencl(0), CPU_ONLY), "even a CPU device, when named");
        assertEquals(Optional.of(GPU), Devices.resolve(Device.opencl(1), WITH_GPU));
        assertEquals(Optional.empty(), Devices.resolve(Device.CPU, WITH_GPU));
    }

    @Test
    void openclWithoutSuchADeviceSaysWhy() {
        IllegalStateException none = assertThrows(IllegalStateException.class, () -> Devices.resolve(Device.opencl(0), NONE));
        assertTrue(none.getMessage().contains("no OpenCL platform"), none.getMessage());
        IllegalStateException range = assertThrows(IllegalStateException.class, () -> Devices.resolve(Device.opencl(2), WITH_GPU));
        assertTrue(range.getMessage().contains("opencl:0 to opencl:1"), range.getMessage());
    }

    @Test
    void reasonLinesTellTheThreeWaysOpenClIsMissing() {
        assertTrue(Devices.noDeviceReason(false, 0).contains("libOpenCL.so.1"));
        assertTrue(Devices.noDeviceReason(true, 0).startsWith("no OpenCL platform"));
        assertTrue(Devices.noDeviceReason(true, 2).startsWith("no OpenCL device: 2 platforms"));
    }

    @Test
    void describeListsDevicesAndTheAutoChoice() {
        List<String> none = Devices.describe(NONE);
        assertEquals(List.of("OpenCL: " + NONE.reason(), "--device auto -> cpu (no OpenCL device)"), none);
        List<String> cpu = Devices.describe(CPU_ONLY);
        assertTrue(cpu.get(1).contains("opencl:0") && cpu.get(1).contains("pthread-cpu"), cpu.get(1));
        assertTrue(cpu.getLast().startsWith("--device auto -> cpu (no GPU or accelerator"), cpu.getLast());
        assertEquals("--device auto -> opencl:1 (the first GPU)", Devices.describe(WITH_GPU).getLast());
    }
}
