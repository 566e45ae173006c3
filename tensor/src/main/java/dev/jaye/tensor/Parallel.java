// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one fixed thread pool every kernel shares.
 *
 * <p>Work is a range [0, n) of independent items (rows, heads, panels). The range is cut into at
 * most {@link #threads()} contiguous chunks; the calling thread runs the first chunk itself and
 * the pool the others. Each item is computed whole by one thread, in the same order whatever the
 * chunking, so results are bit-identical for any thread count: that is what makes a run
 * reproducible on another machine.
 *
 * <p>A hand-off to the pool costs tens of microseconds, so small work runs on the caller alone
 * (the {@code work} estimate below), and a parallel region started from inside another runs
 * serially instead of waiting on a pool that is already busy (which could deadlock).
 *
 * <p>Thread count: {@code -Djaye.threads=N}, default all available processors.
 */
public final class Parallel {
    private Parallel() {}

    /** Work (multiply-adds) a thread must get before a region is split: ~4M, i.e. ~40 µs of GEMM. */
    public static final long MIN_WORK_PER_THREAD = Long.getLong("jaye.parallel.minWork", 1L << 22);

    /** A body that computes items [from, to). */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    private static volatile int threads = Math.max(1, Integer.getInteger("jaye.threads",
            Runtime.getRuntime().availableProcessors()));
    private static ExecutorService pool;
    private static int poolSize;
    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> false);

    /** Threads a parallel region may use. */
    public static int threads() {
        return threads;
    }

    /** Sets the thread count for every later region (tests use it to compare 1 and 2 threads). */
    public static void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("thread count must be >= 1, got " + n);
        threads = n;
    }

    private static synchronized ExecutorService pool(int workers) {
        if (pool == null || poolSize < workers) {
            if (pool != null) pool.shutdown();
            poolSize = workers;
            pool = Executors.newFixedThreadPool(workers, r -> {
                Thread t = new Thread(r, "jaye-compute");
                t.setDaemon(true);
                return t;
            });
        }
        return pool;
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
        ExecutorService p = pool(threads - 1);
        CountDownLatch done = new CountDownLatch(t - 1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int c = 1; c < t; c++) {
            int from = bound(n, t, c), to = bound(n, t, c + 1);
            p.execute(() -> {
                INSIDE.set(true);
                try {
                    body.run(from, to);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    INSIDE.set(false);
                    done.countDown();
                }
            });
        }
        INSIDE.set(true);
        try {
            body.run(0, bound(n, t, 1));
        } finally {
            INSIDE.set(false);
        }
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for compute threads", e);
        }
        Throwable f = failure.get();
        if (f instanceof RuntimeException re) throw re;
        if (f instanceof Error er) throw er;
        if (f != null) throw new IllegalStateException(f);
    }

    /** How many chunks a region of n items of the given cost is cut into (1 = run serially). */
    static int chunks(int n, long workPerItem) {
        if (threads == 1 || INSIDE.get()) return 1;
        long total = (long) n * Math.max(1, workPerItem);
        long byWork = Math.max(1, total / MIN_WORK_PER_THREAD);
        return (int) Math.min(Math.min(threads, n), byWork);
    }

    /** Start of chunk c of t over n items: equal shares, the remainder spread over the first ones. */
    private static int bound(int n, int t, int c) {
        return (int) ((long) n * c / t);
    }
}
