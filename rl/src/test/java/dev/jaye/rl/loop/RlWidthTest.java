// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.loop;

import dev.jaye.models.io.Checkpoint;
import dev.jaye.tensor.kernels.Simd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
        RlTrainer here = RlTrainer.start(RlKillTarget.config(fx.data, fx.init, dir.resolve("here"), 3));
        here.quiet();
        here.run();

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Map<String, Process> children = new java.util.LinkedHashMap<>();
        for (String bits : List.of(Simd.F.vectorBitSize() > 128 ? "128" : "256")) {
            Path out = dir.resolve("bits-" + bits);
            List<String> cmd = new ArrayList<>(List.of(java, "--add-modules=jdk.incubator.vector", "-Xmx512m",
                    "-Djava.awt.headless=true", "-Djaye.simd.bits=" + bits, "-cp", System.getProperty("java.class.path"),
                    RlKillTarget.class.getName(), fx.data.toString(), fx.init.toString(), out.toString(), "3"));
            children.put(bits, new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(bits + ".log").toFile()).start());
        }
        String key = "lm.layers.0.mlp.down.weight";
        float[] want = Checkpoint.load(dir.resolve("here/model")).model().parameters().get(key).value.data();
        for (var e : children.entrySet()) {
            Path out = dir.resolve("bits-" + e.getKey());
            assertEquals(0, e.getValue().waitFor(), Files.readString(dir.resolve(e.getKey() + ".log")));
            assertEquals(Files.readString(dir.resolve("here/samples.jsonl")), Files.readString(out.resolve("samples.jsonl")),
                    "the same responses at " + e.getKey() + " bits as at " + Simd.F.vectorBitSize());
            assertArrayEquals(want, Checkpoint.load(out.resolve("model")).model().parameters().get(key).value.data(),
                    "the same policy at " + e.getKey() + " bits as at " + Simd.F.vectorBitSize());
        }
    }
}
