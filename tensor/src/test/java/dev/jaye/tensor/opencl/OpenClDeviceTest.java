// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.opencl;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parsing {@code --device}: needs no OpenCL, so it runs everywhere. */
class OpenClDeviceTest {

    @Test
    void acceptedForms() {
        assertEquals(Device.AUTO, Device.parse("auto"));
        assertEquals(Device.CPU, Device.parse("cpu"));
        assertEquals(Device.opencl(0), Device.parse("opencl"));
        assertEquals(Device.opencl(0), Device.parse("opencl:0"));
        assertEquals(Device.opencl(2), Device.parse("opencl:2"));
        assertEquals(Device.opencl(1), Device.parse("  OpenCL:1 "), "case and blanks do not matter");
    }

    @Test
    void canonicalTextReadsBack() {
        for (Device d : new Device[] {Device.AUTO, Device.CPU, Device.opencl(0), Device.opencl(7)})
            assertEquals(d, Device.parse(d.toString()), d.toString());
        assertEquals("opencl:0", Device.parse("opencl").toString());
    }

    @Test
    void badValuesNameThemselvesAndTheAcceptedForms() {
        for (String bad : new String[] {"", "gpu", "cuda", "opencl:", "opencl:-1", "opencl:+1", "opencl:x", "opencl:1:2",
                "cpu:0", "auto:1", "opencl:99999999999"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Device.parse(bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), "names the value: " + e.getMessage());
            assertTrue(e.getMessage().contains("auto, cpu, opencl or opencl:N"), "lists the forms: " + e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Device.parse(null));
    }

    @Test
    void onlyOpenclTakesAnIndex() {
        assertThrows(IllegalArgumentException.class, () -> new Device(Device.Kind.CPU, 1));
        assertThrows(IllegalArgumentException.class, () -> Device.opencl(-1));
    }
}
