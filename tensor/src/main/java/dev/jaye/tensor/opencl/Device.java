// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.opencl;

/**
 * The backend a command is asked to run on: the value of {@code --device auto|cpu|opencl[:N]}.
 *
 * <p>This is only the request. What it means on this machine is decided by
 * {@link Devices#resolve(Device)}, which knows which OpenCL devices exist: {@code auto} takes a GPU
 * or an accelerator when there is one and the CPU kernels otherwise; {@code opencl} insists on
 * OpenCL (device 0); {@code opencl:N} on the N-th device as {@link Devices#describe()} numbers
 * them, from 0. Keeping the request apart from the resolution lets a command parse its arguments
 * (and reject a typo) before anything loads a native library.
 *
 * @param kind  which backend
 * @param index the OpenCL device index for {@link Kind#OPENCL}; 0 for the other kinds
 */
public record Device(Kind kind, int index) {

    /** The three backend requests. */
    public enum Kind { AUTO, CPU, OPENCL }

    /** Let the machine decide: OpenCL on a GPU or accelerator, else the CPU kernels. */
    public static final Device AUTO = new Device(Kind.AUTO, 0);
    /** The Vector API kernels of {@code dev.jaye.tensor.kernels}, never OpenCL. */
    public static final Device CPU = new Device(Kind.CPU, 0);

    private static final String FORMS = "auto, cpu, opencl or opencl:N (N = 0, 1, ... as listed by jaye info)";

    public Device {
        if (kind == null) throw new IllegalArgumentException("device kind is null");
        if (index < 0) throw new IllegalArgumentException("device index must be >= 0, got " + index);
        if (kind != Kind.OPENCL && index != 0)
            throw new IllegalArgumentException("only opencl takes a device index, got " + kind + ":" + index);
    }

    /** OpenCL device {@code index} (0 is what plain {@code opencl} means). */
    public static Device opencl(int index) {
        return new Device(Kind.OPENCL, index);
    }

    /**
     * Parses {@code auto}, {@code cpu}, {@code opencl} or {@code opencl:N}, ignoring case and
     * surrounding blanks. Anything else is an {@link IllegalArgumentException} that quotes the bad
     * value and lists the accepted forms, since it usually comes straight from a command line.
     */
    public static Device parse(String text) {
        if (text == null) throw new IllegalArgumentException("no device given; expected " + FORMS);
        String s = text.strip().toLowerCase(java.util.Locale.ROOT);
        switch (s) {
            case "auto": return AUTO;
            case "cpu": return CPU;
            case "opencl": return opencl(0);
            default: break;
        }
        if (s.startsWith("opencl:")) {
            String n = s.substring("opencl:".length());
            // Digits only: Integer.parseInt would also take "+1" and "-0", which no one means.
            if (!n.isEmpty() && n.length() <= 9 && n.chars().allMatch(Character::isDigit))
                return opencl(Integer.parseInt(n));
        }
        throw new IllegalArgumentException("bad device '" + text + "'; expected " + FORMS);
    }

    /** The canonical text, which {@link #parse} reads back: {@code auto}, {@code cpu}, {@code opencl:N}. */
    @Override
    public String toString() {
        return kind == Kind.OPENCL ? "opencl:" + index : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
