// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.loop;

import dev.jaye.rl.RunFolder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The child process of {@link RlKillNineTest}: 6 RL generation steps, a checkpoint after each, started or resumed. */
public final class RlKillTarget {
    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]), init = Path.of(args[1]), out = Path.of(args[2]);
        RlTrainer t;
        if (Files.isRegularFile(out.resolve("checkpoints/latest"))) {
            t = RlTrainer.resume(out);
        } else {
            RunFolder.clearUnstarted(out);
            t = RlTrainer.start(config(data, init, out));
        }
        t.quiet();
        t.run();
    }

    static RlConfig config(Path data, Path init, Path out) {
        return RlFixture.config(data, init, out, RlFixture.reinforcePP(), List.of("accuracy", "penalty"), 6, 1e-3, 1);
    }
}
