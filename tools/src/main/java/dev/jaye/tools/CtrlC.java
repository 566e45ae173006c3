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

    /**
     * The same for a run that holds an Apache Spark context ({@code --master}). Spark stops its
     * context in a shutdown hook of its own, which would cancel the step in flight; so here
     * Ctrl-C is caught as a signal, before the JVM begins to shut down: the first asks the loop to
     * stop after its current step, a second ends the process at once.
     */
    static <T> T stopsGracefullyUnderSpark(Runnable requestStop, Callable<T> loop) throws Exception {
        sun.misc.Signal interrupt = new sun.misc.Signal("INT");
        java.util.concurrent.atomic.AtomicBoolean asked = new java.util.concurrent.atomic.AtomicBoolean();
        sun.misc.SignalHandler before = sun.misc.Signal.handle(interrupt, s -> {
            if (asked.getAndSet(true)) Runtime.getRuntime().halt(130);
            System.err.println("\njaye: stopping after the current step, with a checkpoint (Ctrl-C again to quit at once)");
            requestStop.run();
        });
        try {
            return stopsGracefully(requestStop, loop);
        } finally {
            sun.misc.Signal.handle(interrupt, before);
        }
    }

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
