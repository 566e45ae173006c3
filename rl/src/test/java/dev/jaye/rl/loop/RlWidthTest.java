// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.loop;

import dev.jaye.models.io.Checkpoint;
import dev.jaye.tensor.kernels.Simd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Same seed, same numbers, on any CPU: the RL run of {@link RlKillNineTest}, 3 generation steps
 * of the nano model (sampling, rewards, advantages, updates), in a JVM whose kernels use another
 * vector width ends with the policy and the responses of the run here, bit for bit. The other
 * width is 128 bits (4 floats, as on ARM) where this CPU's is wider, 256 where it is 128. Every
 * kernel at 128 to 512 bits is compared in the tensor module's WidthTest; a width the CPU lacks
 * runs in Java, several times slower: too slow for a whole run in the suite.
 */
class RlWidthTest {
    @TempDir
    Path dir;

    @Test
    void anRlRunGivesTheSameBitsAtEveryVectorWidth() throws Exception {
        RlFixture fx = new RlFixture(dir);
        // The other width's run starts first, in its own JVM, and runs beside the one here.
        String bits = Simd.F.vectorBitSize() > 128 ? "128" : "256";
        Path other = dir.resolve("bits-" + bits), log = dir.resolve(bits + ".log");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules=jdk.incubator.vector", "-Xmx512m", "-Djava.awt.headless=true", "-Djaye.simd.bits=" + bits,
                "-cp", System.getProperty("java.class.path"), RlKillTarget.class.getName(),
                fx.data.toString(), fx.init.toString(), other.toString(), "3")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        RlTrainer here = RlTrainer.start(RlKillTarget.config(fx.data, fx.init, dir.resolve("here"), 3));
        here.quiet();
        here.run();

        assertEquals(0, child.waitFor(), Files.readString(log));
        assertEquals(Files.readString(dir.resolve("here/samples.jsonl")), Files.readString(other.resolve("samples.jsonl")),
                "the same responses at " + bits + " bits as at " + Simd.F.vectorBitSize());
        String key = "lm.layers.0.mlp.down.weight";
        assertArrayEquals(Checkpoint.load(dir.resolve("here/model")).model().parameters().get(key).value.data(),
                Checkpoint.load(other.resolve("model")).model().parameters().get(key).value.data(),
                "the same policy at " + bits + " bits as at " + Simd.F.vectorBitSize());
    }
}
