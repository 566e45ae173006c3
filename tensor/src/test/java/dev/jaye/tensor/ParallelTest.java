// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ParallelTest {
    @Test
    void everyItemRunsExactlyOnceAndNestedRegionsRunSerially() {
        int saved = Parallel.threads();
        try {
            for (int t = 1; t <= 3; t++) {
                Parallel.setThreads(t);
                AtomicIntegerArray hits = new AtomicIntegerArray(1000);
                Parallel.forRange(1000, Parallel.MIN_WORK_PER_THREAD, (a, b) -> {
                    for (int i = a; i < b; i++) {
                        int at = i;
                        Parallel.forRange(1, Parallel.MIN_WORK_PER_THREAD * 8, (c, d) -> hits.incrementAndGet(at));
                    }
                });
                for (int i = 0; i < 1000; i++) assertEquals(1, hits.get(i), "item " + i + " with " + t + " threads");
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void twoApplicationThreadsCanRunRegionsAtOnce() throws Exception {
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(2);
            AtomicIntegerArray hits = new AtomicIntegerArray(5000);
            Runnable job = () -> {
                for (int rep = 0; rep < 50; rep++)
                    Parallel.forRange(5000, Parallel.MIN_WORK_PER_THREAD, (a, b) -> {
                        for (int i = a; i < b; i++) hits.incrementAndGet(i);
                    });
            };
            Thread other = new Thread(job, "second");
            other.start();
            job.run();
            other.join();
            for (int i = 0; i < 5000; i++) assertEquals(100, hits.get(i), "item " + i + " ran once per region");
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void failureInAWorkerReachesTheCaller() {
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(2);
            IllegalStateException e = assertThrows(IllegalStateException.class, () ->
                    Parallel.forRange(2, Parallel.MIN_WORK_PER_THREAD * 4, (a, b) -> {
                        if (a == 1) throw new IllegalStateException("boom in chunk 1");
                    }));
            assertEquals("boom in chunk 1", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void aFineGrainedScopeSplitsSmallerRegionsAndEndsWithItsBlock() {
        int saved = Parallel.threads();
        Parallel.setThreads(2);
        try {
            long small = Parallel.FINE_WORK_PER_THREAD * 2;          // below the usual threshold, above the fine one
            org.junit.jupiter.api.Assertions.assertEquals(1, Parallel.chunks(16, small / 16));
            try (var fine = Parallel.fineGrained()) {
                org.junit.jupiter.api.Assertions.assertEquals(2, Parallel.chunks(16, small / 16));
            }
            org.junit.jupiter.api.Assertions.assertEquals(1, Parallel.chunks(16, small / 16), "restored when the scope closes");
        } finally {
            Parallel.setThreads(saved);
        }
    }
}
