// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runs a trainer in a child JVM and kill -9s it again and again: each time it has written a line
 * of metrics past where the last one died, it is killed within the next random 0-300 ms (inside
 * whatever it is writing then), and started again, until {@code kills} kills are done; the last
 * start runs to the end and must exit 0. The child resumes by itself (see the kill targets).
 */
public final class KillLoop {
    private KillLoop() {}

    public static int run(Path log, Path metrics, Class<?> main, List<String> args, int kills, long seed) throws Exception {
        Random r = new Random(seed);
        String java = ProcessHandle.current().info().command().orElse("java");
        int done = 0;
        while (true) {
            List<String> cmd = new ArrayList<>(List.of(java, "--add-modules=jdk.incubator.vector", "-Xmx512m", "-Djava.awt.headless=true",
                    "-cp", System.getProperty("java.class.path"), main.getName()));
            cmd.addAll(args);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            int seen = lines(metrics);
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (p.isAlive() && lines(metrics) <= seen && System.nanoTime() < deadline) Thread.sleep(5);
            Thread.sleep(r.nextInt(300));
            if (p.isAlive() && done < kills) {
                p.destroyForcibly();                            // SIGKILL: no shutdown hook, no finally
                p.waitFor();
                done++;
                continue;
            }
            assertEquals(0, p.waitFor(), Files.readString(log));
            return done;
        }
    }

    private static int lines(Path f) throws IOException {
        return Files.exists(f) ? (int) Files.readString(f).chars().filter(c -> c == '\n').count() : 0;
    }
}
