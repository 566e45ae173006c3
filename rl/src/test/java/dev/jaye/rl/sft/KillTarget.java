// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.sft;

import dev.jaye.rl.RunFolder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The child process of {@link KillNineTest}: an SFT run in args[1] on the dataset in args[0],
 * started or resumed the way the experiment does it, checkpointing after every step.
 */
public final class KillTarget {
    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]), out = Path.of(args[1]);
        SftTrainer t;
        if (Files.isRegularFile(out.resolve("checkpoints/latest"))) {
            t = SftTrainer.resume(out);
        } else {
            RunFolder.clearUnstarted(out);
            t = SftTrainer.start(config(data, out));
        }
        t.quiet();
        t.run();
    }

    static SftConfig config(Path data, Path out) {
        return SftFixture.config(data, out, 1, List.of("pass@1_t0.6"));
    }
}
