// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.opencl;

import com.aparapi.device.OpenCLDevice;
import com.aparapi.internal.opencl.OpenCLLoader;
import com.aparapi.internal.opencl.OpenCLPlatform;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the OpenCL devices of this machine (through Aparapi) and turns a {@link Device} request
 * into a concrete choice.
 *
 * <p>Discovery never throws. OpenCL can be missing in three ways, each common on a laptop or a
 * CI runner: Aparapi's JNI library or libOpenCL.so.1 cannot be loaded; the loader is there but no
 * driver (ICD) is registered, so there is no platform; or a platform lists no device. Each gives
 * an empty list and one line saying which, because "OpenCL: none" alone sends the user hunting.
 *
 * <p>Discovery runs once per JVM and is cached: the driver's device list does not change while we
 * run, and the kernels must see the same numbering that {@code opencl:N} was resolved against.
 */
public final class Devices {
    static {
        quietAparapi();                     // before any Aparapi class logs its first line
    }

    /**
     * Aparapi logs through java.util.logging, with timestamps, on every start: a SEVERE "Check
     * your environment. Failed to load codegen native library" where no OpenCL loader exists
     * (most laptops), a WARNING about an "untested OpenCL platform version" on PoCL, notes about
     * class-file attributes it skips. None of it calls for action, and what does is jaye's to
     * say: {@link Backend#use} returns one line when a requested device is missing, and the launcher
     * names a kernel that could not run on the device. So Aparapi's logger is off, unless
     * {@code -Dcom.aparapi.logLevel=...} asks for it.
     */
    private static void quietAparapi() {
        String asked = System.getProperty("com.aparapi.logLevel");
        if (asked == null) System.setProperty("com.aparapi.logLevel", "OFF");
        java.util.logging.Logger.getLogger("com.aparapi").setLevel(asked == null ? java.util.logging.Level.OFF : java.util.logging.Level.parse(asked));
    }

    private Devices() {}

    /**
     * What discovery found: the devices (possibly none) and one line about it. When the list is
     * empty the line is the reason; otherwise it counts platforms and devices.
     */
    public record Discovery(List<OpenClDevice> devices, String reason) {
        public Discovery {
            devices = List.copyOf(devices);
        }
    }

    /** The cached discovery together with Aparapi's handles, index for index. */
    private record Found(Discovery discovery, List<OpenCLDevice> handles) {}

    private static volatile Found found;

    /** The OpenCL devices of this machine, found on the first call. Never throws. */
    public static Discovery discover() {
        return found().discovery();
    }

    private static Found found() {
        Found f = found;
        if (f == null) {
            synchronized (Devices.class) {
                if (found == null) found = enumerate();
                f = found;
            }
        }
        return f;
    }

    private static Found enumerate() {
        try {
            // The loader's static initialiser loads the JNI library and libOpenCL; it logs and
            // records a failure rather than throwing, so ask it before calling any native method.
            if (!OpenCLLoader.isOpenCLAvailable()) return none(noDeviceReason(false, 0));
            // Aparapi's native code prints a warning per platform it has not tested (PoCL, most
            // GPU drivers): a line of noise on every command, so the listing runs with stderr aside.
            List<OpenCLPlatform> platforms = NativeStderr.silenced(OpenCLPlatform::getUncachedOpenCLPlatforms);
            List<OpenClDevice> devices = new ArrayList<>();
            List<OpenCLDevice> handles = new ArrayList<>();
            for (OpenCLPlatform p : platforms)
                for (OpenCLDevice d : p.getOpenCLDevices()) {
                    // Aparapi marks every device as sharing host memory, and then builds its
                    // buffers on the Java arrays themselves (CL_MEM_USE_HOST_PTR), pinned only
                    // during a launch. jaye treats every device as having memory of its own, as a
                    // discrete GPU does: each buffer is a copy (CL_MEM_COPY_HOST_PTR) that only
                    // puts and gets move data in and out of. So copies are explicit and counted,
                    // and on PoCL the tests see what a GPU would: a missed upload reads stale data.
                    d.setSharedMemory(false);
                    devices.add(new OpenClDevice(devices.size(), p.getName(), d.getName(), type(d.getType()),
                            d.getMaxComputeUnits(), d.getGlobalMemSize(), d.getMaxWorkGroupSize()));
                    handles.add(d);
                }
            if (devices.isEmpty()) return none(noDeviceReason(true, platforms.size()));
            String line = "found " + devices.size() + " OpenCL device" + (devices.size() == 1 ? "" : "s")
                    + " on " + platforms.size() + " platform" + (platforms.size() == 1 ? "" : "s");
            return new Found(new Discovery(devices, line), handles);
        } catch (RuntimeException | LinkageError e) {
            // LinkageError covers UnsatisfiedLinkError and a failed static initialiser: a broken
            // native setup must cost the user OpenCL, not the whole command.
            return none("no OpenCL: Aparapi failed while listing devices (" + e + ")");
        }
    }

    private static Found none(String reason) {
        return new Found(new Discovery(List.of(), reason), List.of());
    }

    /**
     * The reason line for an empty device list. {@code libraryLoaded} false means Aparapi's JNI
     * library or libOpenCL itself could not be loaded; otherwise {@code platforms} platforms were
     * found (0 when no ICD is registered).
     */
    static String noDeviceReason(boolean libraryLoaded, int platforms) {
        if (!libraryLoaded)
            return "no OpenCL: libOpenCL.so.1 or Aparapi's native library could not be loaded"
                    + " (install an OpenCL loader and driver, e.g. apt-get install ocl-icd-libopencl1 pocl-opencl-icd)";
        if (platforms == 0)
            return "no OpenCL platform: libOpenCL loaded but no driver (ICD) is registered"
                    + " (see /etc/OpenCL/vendors; pocl-opencl-icd adds a CPU one)";
        return "no OpenCL device: " + platforms + " platform" + (platforms == 1 ? "" : "s") + " but none lists a device";
    }

    private static OpenClDevice.Type type(com.aparapi.device.Device.TYPE t) {
        if (t == null) return OpenClDevice.Type.OTHER;
        return switch (t) {
            case GPU -> OpenClDevice.Type.GPU;
            case CPU -> OpenClDevice.Type.CPU;
            case ACC -> OpenClDevice.Type.ACCELERATOR;
            default -> OpenClDevice.Type.OTHER;
        };
    }

    /** Aparapi's handle for a device this class found. */
    static OpenCLDevice handle(OpenClDevice d) {
        Found f = found();
        if (d.index() < 0 || d.index() >= f.handles().size() || !f.discovery().devices().get(d.index()).equals(d))
            throw new IllegalArgumentException("not a device of this machine's discovery: opencl:" + d.index() + " " + d.summary());
        return f.handles().get(d.index());
    }

    // ---------------------------------------------------------------- resolving a request

    /**
     * The OpenCL device a request means here, or empty for the CPU kernels. {@code cpu} is always
     * empty; {@code auto} is the first GPU, else the first accelerator, else empty (a CPU OpenCL
     * device such as PoCL's is slower than the Vector API kernels, see docs/opencl.md, so
     * auto never picks it); {@code opencl[:N]} is device N and an {@link IllegalStateException}
     * (with discovery's reason) when it does not exist, since the user asked for it by name.
     */
    public static Optional<OpenClDevice> resolve(Device request) {
        return resolve(request, discover());
    }

    /** {@link #resolve(Device)} against a given discovery: the rule itself, testable without OpenCL. */
    static Optional<OpenClDevice> resolve(Device request, Discovery found) {
        List<OpenClDevice> all = found.devices();
        return switch (request.kind()) {
            case CPU -> Optional.empty();
            case AUTO -> autoPick(all);
            case OPENCL -> {
                if (all.isEmpty())
                    throw new IllegalStateException("--device " + request + " asked for OpenCL, but " + found.reason());
                if (request.index() >= all.size())
                    throw new IllegalStateException("--device " + request + ": there is no OpenCL device " + request.index()
                            + "; this machine has " + all.size() + " (opencl:0 to opencl:" + (all.size() - 1) + ")");
                yield Optional.of(all.get(request.index()));
            }
        };
    }

    private static Optional<OpenClDevice> autoPick(List<OpenClDevice> all) {
        for (OpenClDevice.Type wanted : new OpenClDevice.Type[] {OpenClDevice.Type.GPU, OpenClDevice.Type.ACCELERATOR})
            for (OpenClDevice d : all)
                if (d.type() == wanted) return Optional.of(d);
        return Optional.empty();
    }

    /** The lines {@code jaye info} prints: every device, then what {@code auto} picks and why. */
    public static List<String> describe() {
        return describe(discover());
    }

    static List<String> describe(Discovery found) {
        List<String> lines = new ArrayList<>();
        lines.add("OpenCL: " + found.reason());
        for (OpenClDevice d : found.devices()) lines.add("  opencl:" + d.index() + " " + d.summary());
        Optional<OpenClDevice> auto = autoPick(found.devices());
        if (auto.isPresent())
            lines.add("--device auto -> opencl:" + auto.get().index() + " (the first " + auto.get().type() + ")");
        else if (found.devices().isEmpty())
            lines.add("--device auto -> cpu (no OpenCL device)");
        else
            lines.add("--device auto -> cpu (no GPU or accelerator; a CPU OpenCL device is slower than the"
                    + " Vector API kernels, so use opencl:N to run on it anyway)");
        return lines;
    }
}
