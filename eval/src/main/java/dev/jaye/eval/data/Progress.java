// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.data;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A text progress bar on stderr: {@code val pass@1_t0.6 [=========>          ] 512/1024 3.2s ETA 3s}. Hand-written
 * (20 lines) rather than a library: it redraws one line with '\r', at most ten times a second so
 * a log file stays short, and ends with a newline.
 */
public final class Progress {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final String label;
    private final int total;
    private final long start = System.nanoTime();
    private long lastDraw;
    private int done;

    public Progress(PrintStream out, String label, int total) {
        this.out = out;
        this.label = label;
        this.total = total;
    }

    /** A bar that draws nothing (for tests and quiet runs). */
    public static Progress silent(String label, int total) {
        return new Progress(null, label, total);
    }

    /** One more done; safe to call from several threads. */
    public synchronized void step() {
        done++;
        long now = System.nanoTime();
        if (done == total || now - lastDraw > 100_000_000L) {
            lastDraw = now;
            draw();
        }
    }

    /** {@code width} characters, '=' for the done part and blanks after it: the trainers' bars. */
    public static String bar(long done, long total, int width) {
        int filled = (int) (width * done / Math.max(1, total));
        return "=".repeat(filled) + " ".repeat(width - filled);
    }

    /**
     * Seconds per step for a trainer's ETA, timed from the fourth step of this process on: the
     * first steps run while the JIT is still compiling the kernels, up to ten times slower, and
     * an average over them made the warm-up's first ETA read 35 minutes for a 4-minute job.
     */
    public static final class StepClock {
        private static final int SETTLE = 3;
        private final java.util.function.LongSupplier nanos;
        private final long start;
        private final int first;
        private long settled;
        private int settledStep = -1;

        /** @param first the step count the run starts (or resumes) from */
        public StepClock(int first) {
            this(first, System::nanoTime);
        }

        StepClock(int first, java.util.function.LongSupplier nanos) {             // tests: a clock they set
            this.nanos = nanos;
            this.start = nanos.getAsLong();
            this.first = first;
        }

        /** Seconds per step so far, {@code step} steps done. */
        public double perStep(int step) {
            long now = nanos.getAsLong();
            if (settledStep < 0 && step - first >= SETTLE) {
                settled = now;
                settledStep = step;
            }
            if (settledStep >= 0 && step > settledStep) return (now - settled) / 1e9 / (step - settledStep);
            return (now - start) / 1e9 / Math.max(1, step - first);
        }
    }

    /** Time left for a progress line: "4m05s", or "37s" under a minute. */
    public static String eta(double seconds) {
        return seconds >= 60 ? String.format(Locale.ROOT, "%dm%02ds", (int) seconds / 60, (int) seconds % 60)
                : String.format(Locale.ROOT, "%.0fs", seconds);
    }

    private void draw() {
        if (out == null) return;
        int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * done / total);
        String bar = "=".repeat(filled) + (filled < WIDTH ? ">" + " ".repeat(WIDTH - filled - 1) : "");
        double elapsed = (System.nanoTime() - start) / 1e9;
        String left = done == total ? "" : done == 0 ? " ETA ?" : " ETA " + eta(elapsed / done * (total - done));
        out.printf(Locale.ROOT, "\r%-8s [%s] %d/%d %.1fs%s   ", label, bar, done, total, elapsed, left);
        if (done == total) out.println();
        out.flush();
    }
}
