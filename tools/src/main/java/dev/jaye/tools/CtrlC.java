// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C for the trainers: the shutdown hook asks the loop to stop after its current step and
 * holds the JVM until the loop has written its checkpoint, so an interrupt never leaves half a
 * step or a torn checkpoint behind.
 */
final class CtrlC {
    private CtrlC() {}

    static <T> T stopsGracefully(Runnable requestStop, Callable<T> loop) throws Exception {
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            requestStop.run();
            try {
                finished.await(300, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return loop.call();
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting (Ctrl-C): the hook is running and now released
            }
        }
    }
}
