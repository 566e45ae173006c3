// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import dev.jaye.rl.config.Configs;
import dev.jaye.rl.sft.SftConfig;
import dev.jaye.rl.sft.SftTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** Supervised training: the warm-up from scratch and the SFT baseline (configs/sft-*.yaml). */
@Command(name = "sft", mixinStandardHelpOptions = true,
        description = "Supervised training on gold solutions (warm-up or SFT baseline). Ctrl-C stops after the current step with a checkpoint.")
final class SftCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    DeviceOption device;

    @picocli.CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
    RunStart start;

    @Option(names = "--set", paramLabel = "KEY=VALUE", showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER, description = "Override a config key, e.g. --set train.lr=1e-3 (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--overwrite", description = "With --config: replace the run already in the config's out folder "
            + "(its config, metrics, checkpoints and model are deleted first). Without it, a folder that holds a run is refused.")
    boolean overwrite;

    @picocli.CommandLine.Mixin
    ServeOption serve;

    @Override
    public Integer call() throws Exception {
        Path config = start.config, resume = start.resume;
        SftTrainer trainer;
        Path runDir = resume;
        if (resume != null) {
            if (overwrite) throw new IllegalArgumentException("--overwrite starts a new run (with --config); --resume continues one");
            trainer = SftTrainer.resume(resume);
        } else {
            SftConfig cfg = Configs.load(config, overrides, SftConfig.class).validate();
            if (overwrite) dev.jaye.rl.RunFolder.overwrite(Path.of(cfg.out()));
            runDir = Path.of(cfg.out());
            try {
                trainer = SftTrainer.start(cfg);
            } catch (java.io.IOException e) {
                throw RecipeHint.explain(e, config, cfg.model().init());
            }
        }
        serve.announce(runDir, System.err);
        try {
            SftTrainer.Result r = CtrlC.stopsGracefully(trainer::requestStop, trainer::run);
            System.out.println((r.interrupted() ? "stopped" : "finished") + " after " + r.steps() + " steps; checkpoint " + r.lastCheckpoint());
            return r.interrupted() ? 130 : 0;
        } catch (ArithmeticException e) {
            System.err.println("jaye sft: " + e.getMessage());
            return 1;
        } finally {
            serve.stop();                                        // --serve's page ends with the run
        }
    }
}
