// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.loop;

import dev.jaye.rl.RunFolder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The child process of {@link RlKillNineTest}: 6 RL generation steps (or args[3]), a checkpoint
 * after each, started or resumed.
 */
public final class RlKillTarget {
    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]), init = Path.of(args[1]), out = Path.of(args[2]);
        RlTrainer t;
        if (Files.isRegularFile(out.resolve("checkpoints/latest"))) {
            t = RlTrainer.resume(out);
        } else {
            RunFolder.clearUnstarted(out);
            t = RlTrainer.start(config(data, init, out, args.length > 3 ? Integer.parseInt(args[3]) : 6));
        }
        t.quiet();
        t.run();
    }

    static RlConfig config(Path data, Path init, Path out) {
        return config(data, init, out, 6);
    }

    static RlConfig config(Path data, Path init, Path out, int steps) {
        return RlFixture.config(data, init, out, RlFixture.reinforcePP(), List.of("accuracy", "penalty"), steps, 1e-3, 1);
    }
}
