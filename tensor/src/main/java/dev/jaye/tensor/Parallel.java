// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one fixed thread pool every kernel shares.
 *
 * <p>Work is a range [0, n) of independent items (rows, heads, panels). The range is cut into at
 * most {@link #threads()} contiguous chunks; the calling thread runs the first chunk itself and
 * the pool the others. Each item is computed whole by one thread, in the same order whatever the
 * chunking, so results are bit-identical for any thread count: that is what makes a run
 * reproducible on another machine.
 *
 * <p>Waking a parked thread costs tens of microseconds, so pool threads spin for a moment after
 * each task (a run of kernels then hands off in microseconds), small work runs on the caller
 * alone (the {@code work} estimate below), and a region started while the pool is busy (from
 * inside another region, or from a second application thread) runs serially on its caller
 * instead of waiting, which could deadlock. Serially or not, each item is computed the same way.
 *
 * <p>Thread count: {@code -Djaye.threads=N}, default all available processors.
 */
public final class Parallel {
    private Parallel() {}

    /** Work (multiply-adds) a thread must get before a region is split: ~4M, i.e. ~40 µs of GEMM. */
    public static final long MIN_WORK_PER_THREAD = Long.getLong("jaye.parallel.minWork", 1L << 22);

    /**
     * Work per thread inside a {@link #fineGrained} scope: a decoding step is a chain of small
     * products (16 rows x a few hundred), each far below {@link #MIN_WORK_PER_THREAD}, run back to
     * back, so the workers are still spinning from the last one and a hand-off costs ~1 µs rather
     * than the tens of µs of a wake-up. Measured on bench generate (2 threads): ~7,500 -> ~10,000
     * tokens/s; the same threshold everywhere made a frozen training step slower, so it is scoped.
     */
    public static final long FINE_WORK_PER_THREAD = Long.getLong("jaye.parallel.fineWork", 1L << 19);

    /**
     * What one element of a streaming op (read, a few operations, written: add, a norm, RoPE, a
     * copy) costs in the units of {@link #MIN_WORK_PER_THREAD}: a thread streams about 1G floats/s
     * through memory in the time the GEMM does 12-16G multiply-adds. Costing such ops at 1 per
     * element kept every element-wise op of the nano model (1-3M elements) on one thread.
     */
    public static final int ELEMENT_WORK = 16;

    private static final ThreadLocal<Long> MIN_WORK = ThreadLocal.withInitial(() -> MIN_WORK_PER_THREAD);

    /** A scope that needs no checked exception to close. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** Until closed, regions started by this thread split from {@link #FINE_WORK_PER_THREAD} on. */
    public static Scope fineGrained() {
        long saved = MIN_WORK.get();
        MIN_WORK.set(FINE_WORK_PER_THREAD);
        return () -> MIN_WORK.set(saved);
    }

    /** A body that computes items [from, to). */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    private static volatile int threads = Math.max(1, Integer.getInteger("jaye.threads",
            Runtime.getRuntime().availableProcessors()));
    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> false);
    private static Worker[] workers = new Worker[0];
    private static final ReentrantLock BUSY = new ReentrantLock();

    /** Threads a parallel region may use. */
    public static int threads() {
        return threads;
    }

    /** Sets the thread count for every later region (tests use it to compare 1 and 2 threads). */
    public static void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("thread count must be >= 1, got " + n);
        threads = n;
    }

    /**
     * Runs {@code body} over [0, n). {@code workPerItem} is a rough cost of one item (in
     * multiply-adds); regions whose total is small run on the calling thread.
     */
    public static void forRange(int n, long workPerItem, Range body) {
        if (n <= 0) return;
        int t = chunks(n, workPerItem);
        if (t == 1) {
            body.run(0, n);
            return;
        }
        if (!BUSY.tryLock()) {                       // another application thread holds the pool
            body.run(0, n);
            return;
        }
        Region region = new Region(t - 1, Thread.currentThread());
        try {
            Worker[] w = workers(t - 1);
            for (int c = 1; c < t; c++) w[c - 1].submit(region, body, bound(n, t, c), bound(n, t, c + 1));
            INSIDE.set(true);
            try {
                body.run(0, bound(n, t, 1));
            } finally {
                INSIDE.set(false);
                region.await();
            }
        } finally {
            BUSY.unlock();
        }
        Throwable f = region.failure;
        if (f instanceof RuntimeException re) throw re;
        if (f instanceof Error er) throw er;
        if (f != null) throw new IllegalStateException(f);
    }

    /** How long a thread spins before it parks: a park and wake-up costs tens of microseconds. */
    private static final long SPIN_NANOS = 50_000;

    /** One parallel region in flight: how many pool chunks are still running, and the first failure. */
    private static final class Region {
        final AtomicInteger pending;
        final Thread caller;
        volatile Throwable failure;

        Region(int chunks, Thread caller) {
            this.pending = new AtomicInteger(chunks);
            this.caller = caller;
        }

        void done(Throwable e) {
            if (e != null && failure == null) failure = e;
            if (pending.decrementAndGet() == 0) LockSupport.unpark(caller);
        }

        /** Spins briefly (the other chunks usually finish about when ours does), then parks. */
        void await() {
            long start = System.nanoTime();
            while (pending.get() > 0) {
                if (System.nanoTime() - start < SPIN_NANOS) Thread.onSpinWait();
                else LockSupport.park(this);
            }
        }
    }

    /**
     * A pool thread with a one-task mailbox. After a task it spins for a moment before parking,
     * so the next region of a run of kernels starts in microseconds instead of after a wake-up.
     */
    private static final class Worker extends Thread {
        private volatile Runnable task;

        Worker() {
            super("jaye-compute");
            setDaemon(true);
        }

        void submit(Region region, Range body, int from, int to) {
            task = () -> {
                Throwable failure = null;
                INSIDE.set(true);
                try {
                    body.run(from, to);
                } catch (Throwable e) {
                    failure = e;
                } finally {
                    INSIDE.set(false);
                    region.done(failure);
                }
            };
            LockSupport.unpark(this);
        }

        @Override
        public void run() {
            while (true) {
                Runnable t = task;
                long start = System.nanoTime();
                while (t == null) {
                    if (System.nanoTime() - start < SPIN_NANOS) Thread.onSpinWait();
                    else LockSupport.park(this);
                    t = task;
                }
                task = null;
                t.run();
            }
        }
    }

    private static synchronized Worker[] workers(int n) {
        if (workers.length < n) {
            Worker[] w = java.util.Arrays.copyOf(workers, n);
            for (int i = workers.length; i < n; i++) {
                w[i] = new Worker();
                w[i].start();
            }
            workers = w;
        }
        return workers;
    }

    /** How many chunks a region of n items of the given cost is cut into (1 = run serially). */
    static int chunks(int n, long workPerItem) {
        if (threads == 1 || INSIDE.get()) return 1;
        long total = (long) n * Math.max(1, workPerItem);
        long byWork = Math.max(1, total / MIN_WORK.get());
        return (int) Math.min(Math.min(threads, n), byWork);
    }

    /** Start of chunk c of t over n items: equal shares, the remainder spread over the first ones. */
    private static int bound(int n, int t, int c) {
        return (int) ((long) n * c / t);
    }
}
