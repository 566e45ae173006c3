// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import dev.jaye.eval.report.EvalTable;
import dev.jaye.eval.report.Report;
import dev.jaye.rl.config.Configs;
import dev.jaye.tools.experiment.Distributed;
import dev.jaye.tools.experiment.Experiment;
import dev.jaye.tools.experiment.ExperimentConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** RL against SFT from one warm-up, over seeds, into one folder with its report. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = {"From one warm-up checkpoint: the vanilla model evaluated once, then the RL arm and the SFT arm for each seed",
                "(same queries, same epochs), then the report (DIR/report/index.html). Run it again to resume: finished parts are skipped."})
final class ExperimentCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    DeviceOption device;

    @Option(names = "--config", paramLabel = "FILE", required = true, description = "A YAML experiment config, e.g. configs/experiment-nano.yaml.")
    Path config;

    @Option(names = "--seeds", paramLabel = "N", description = "Seeds per arm (overrides the config's seeds).")
    Integer seeds;

    @Option(names = "--master", paramLabel = "URL", description = "Run the parts (vanilla, each arm and seed) as Apache Spark tasks: "
            + "local[N] in this process, spark://HOST:PORT a standalone cluster (every machine must see the same paths). "
            + "Same numbers as without it. Needs ./jaye cluster setup once (docs/cluster.md).")
    String master;

    @Option(names = "--set", paramLabel = "KEY=VALUE", showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER, description = "Override an experiment key, e.g. --set epochs=2 (repeatable).")
    List<String> overrides = new ArrayList<>();

    @picocli.CommandLine.Mixin
    ServeOption serve;

    @Override
    public Integer call() throws Exception {
        try {
            return work();
        } finally {
            serve.stop();                                        // --serve's page ends with the command
        }
    }

    private Integer work() throws Exception {
        List<String> all = new ArrayList<>(overrides);
        if (seeds != null) all.add("seeds=" + seeds);
        ExperimentConfig cfg = Configs.load(config, all, ExperimentConfig.class).validate();
        if (!java.nio.file.Files.isDirectory(Path.of(cfg.init())))            // before any part starts
            throw new java.io.IOException("config " + config + ": init " + cfg.init() + " is not a model folder"
                    + RecipeHint.forModel(config, cfg.init()));
        Distributed engine = master == null ? null : Distributed.find();       // before any work: is Spark here?
        if (engine != null) DeviceOption.cpuForMaster();
        Experiment e = new Experiment(master == null ? cfg : cfg.withAbsolutePaths(), System.err);
        serve.announce(e.folder(), System.err);
        boolean done = engine == null ? CtrlC.stopsGracefully(e::requestStop, e::run) : engine.run(e, master, System.err);
        if (!done) {
            System.out.println("stopped; run the same command again to resume " + e.folder());
            return 130;
        }
        Report.Built report = Report.build(e.folder());
        System.out.println("accuracy (%), the report's table (mean over the evaluated epochs, then the seeds; ± one standard error):");
        System.out.print(EvalTable.text(report.rows()));
        System.out.println("report: " + report.index());
        return 0;
    }
}
