// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import dev.jaye.tensor.Parallel;
import dev.jaye.tensor.kernels.Simd;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** What this machine gives jaye: JDK, SIMD width, kernel shape, threads. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Print the JDK, SIMD kernels and threads in use.")
final class InfoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("jaye 0.1.0");
        System.out.println("java     " + System.getProperty("java.vm.name") + " " + Runtime.version());
        System.out.println("cpu      " + System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " processors");
        System.out.println("kernels  " + Simd.describe());
        System.out.println("threads  " + Parallel.threads() + " (-Djaye.threads or JAYE_THREADS)");
        System.out.println("heap     " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB max");
        return 0;
    }
}
