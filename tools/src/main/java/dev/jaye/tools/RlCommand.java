// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import dev.jaye.rl.config.Configs;
import dev.jaye.rl.loop.RlConfig;
import dev.jaye.rl.loop.RlTrainer;
import dev.jaye.rl.loop.Spread;
import dev.jaye.tools.experiment.Distributed;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** Reinforcement learning from a warm-up checkpoint: the method's four steps (configs/rl-*.yaml). */
@Command(name = "rl", mixinStandardHelpOptions = true,
        description = {"Reinforcement learning from a checkpoint: data flow, response collection, trajectory generation, policy update.",
                "Ctrl-C stops after the current generation step with a checkpoint; --resume continues it bit for bit."})
final class RlCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    DeviceOption device;

    @picocli.CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
    RunStart start;

    @Option(names = "--set", paramLabel = "KEY=VALUE", showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER, description = "Override a config key, e.g. --set algorithm.estimator=grpo (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--init", paramLabel = "CHECKPOINT", description = "The model folder to start from (overrides model.init).")
    Path init;

    @Option(names = "--dump-tokens", description = "Write every response's tokens with advantage, ratio, clip flag, KL and entropy to RUN/tokens.jsonl.")
    boolean dumpTokens;

    @Option(names = "--overwrite", description = "With --config: replace the run already in the config's out folder "
            + "(its config, metrics, checkpoints and model are deleted first). Without it, a folder that holds a run is refused.")
    boolean overwrite;

    @Option(names = "--master", paramLabel = "URL", description = "Spread each generation step over Apache Spark executors "
            + "(steps II-III by row parts, step IV's backward batches; the optimiser step stays here): local[N] in this process, "
            + "spark://HOST:PORT a standalone cluster (every machine must see the same paths; x86-64 machines of any vector width agree). "
            + "Same numbers as without it; computes on the CPU. Needs ./jaye cluster setup once (docs/cluster.md).")
    String master;

    @picocli.CommandLine.Mixin
    ServeOption serve;

    @Override
    public Integer call() throws Exception {
        Path config = start.config, resume = start.resume;
        Spread.Provider spark = master == null ? null : Distributed.find(Spread.Provider.class);   // before any work: is Spark here?
        if (spark != null) DeviceOption.cpuForMaster();
        RlTrainer trainer;
        Path runDir = resume;
        if (resume != null) {
            if (init != null || !overrides.isEmpty() || dumpTokens || overwrite) {
                System.err.println("jaye rl: --resume continues with the run's own config; --init, --set, --dump-tokens and --overwrite do not apply");
                return 2;
            }
            trainer = RlTrainer.resume(resume);
        } else {
            List<String> all = new ArrayList<>(overrides);
            if (init != null) all.add("model.init=" + init);
            if (dumpTokens) all.add("train.dump_tokens=true");
            RlConfig cfg = Configs.load(config, all, RlConfig.class).validate();
            if (overwrite) dev.jaye.rl.RunFolder.overwrite(Path.of(cfg.out()));
            runDir = Path.of(cfg.out());
            try {
                trainer = RlTrainer.start(cfg);
            } catch (java.io.IOException e) {
                throw RecipeHint.explain(e, config, cfg.model().init());
            }
        }
        serve.announce(runDir, System.err);
        if (spark != null) trainer.spreadOver(spark, master);
        try {
            RlTrainer.Result r = spark == null ? CtrlC.stopsGracefully(trainer::requestStop, trainer::run)
                    : CtrlC.stopsGracefullyUnderSpark(trainer::requestStop, trainer::run);
            System.out.println((r.interrupted() ? "stopped" : "finished") + " after " + r.generationSteps() + " generation steps; checkpoint " + r.lastCheckpoint());
            return r.interrupted() ? 130 : 0;
        } catch (ArithmeticException e) {
            System.err.println("jaye rl: " + e.getMessage());
            return 1;
        } finally {
            serve.stop();                                        // --serve's page ends with the run
        }
    }
}
