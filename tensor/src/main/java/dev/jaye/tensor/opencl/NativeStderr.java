// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.opencl;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.function.Supplier;

/**
 * Runs a native call with the process's stderr (file descriptor 2) pointed at /dev/null.
 *
 * <p>Why: Aparapi's native library prints "WARNING: Aparapi is running on an untested OpenCL
 * platform version: ..." with printf each time it lists the platforms, on PoCL and on the GPU
 * drivers it does not know, so every command would open with it. Java's logging cannot reach a
 * native printf; the only switch is the descriptor itself. It is moved aside with POSIX dup and
 * dup2 through the Foreign Function API (no JNI code of ours), for the duration of the listing
 * only, and put back in a finally block. Where that is not possible (not a POSIX libc), the call
 * runs as it is and the line shows.
 */
final class NativeStderr {
    private NativeStderr() {}

    private static final int STDERR = 2, O_WRONLY = 1;
    private static final MethodHandle DUP, DUP2, OPEN, CLOSE;

    static {
        MethodHandle dup = null, dup2 = null, open = null, close = null;
        try {
            Linker c = Linker.nativeLinker();
            SymbolLookup libc = c.defaultLookup();
            dup = c.downcallHandle(libc.find("dup").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            dup2 = c.downcallHandle(libc.find("dup2").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            open = c.downcallHandle(libc.find("open").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
            close = c.downcallHandle(libc.find("close").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        } catch (RuntimeException | LinkageError e) {
            dup = null;                                    // no POSIX libc here: run calls as they are
        }
        DUP = dup;
        DUP2 = dup2;
        OPEN = open;
        CLOSE = close;
    }

    /** {@code body}'s result, with anything native code writes to stderr meanwhile discarded. */
    static <T> T silenced(Supplier<T> body) {
        if (DUP == null) return body.get();
        int saved = -1, devNull = -1;
        try (Arena arena = Arena.ofConfined()) {
            System.err.flush();
            saved = (int) DUP.invokeExact(STDERR);
            devNull = (int) OPEN.invokeExact(arena.allocateFrom("/dev/null"), O_WRONLY);
            if (saved < 0 || devNull < 0 || (int) DUP2.invokeExact(devNull, STDERR) < 0) return body.get();
            return body.get();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {                            // invokeExact's checked Throwable: a failed downcall
            return body.get();
        } finally {
            try {
                if (saved >= 0) {
                    int restored = (int) DUP2.invokeExact(saved, STDERR);
                    int closed = (int) CLOSE.invokeExact(saved);
                }
                if (devNull >= 0) {
                    int closed = (int) CLOSE.invokeExact(devNull);
                }
            } catch (Throwable e) {
                throw new IllegalStateException("could not restore stderr after listing OpenCL platforms", e);
            }
        }
    }
}
