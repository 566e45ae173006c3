// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools.experiment;

import java.util.List;

/**
 * An experiment (configs/experiment-*.yaml): from one warm-up checkpoint, the RL arm and the SFT
 * arm for each seed on the same training queries for the same number of epochs, and the
 * starting ("vanilla") model evaluated once.
 *
 * @param seeds  runs per arm, seeds 0 .. seeds-1
 * @param init   the warm-up checkpoint both arms start from
 * @param epochs passes over the training queries, both arms
 * @param out    the experiment folder
 */
@dev.jaye.rl.config.Configs.AddedLater("{data: {fields: null}}")
public record ExperimentConfig(int seeds, String init, Data data, int epochs, Arm rl, Arm sft, Eval eval, String out) {

    /**
     * The dataset, and how many of its training queries both arms see (0: all).
     *
     * @param fields which JSON keys hold a line's parts (as an RL or SFT config's data.fields);
     *               null: the layouts jaye detects
     */
    public record Data(String dir, String trainSplit, int queries, dev.jaye.eval.data.FieldMap fields) {}

    /** An arm: its trainer's config file, and overrides applied to it before the experiment's own keys. */
    public record Arm(String config, List<String> set) {}

    /** What is evaluated, for vanilla and for both arms after every epoch. */
    public record Eval(List<String> splits, List<String> settings, int limit, int maxTokens, int batchSize) {}

    /**
     * The same experiment with every path absolute (the warm-up, the data, the arms' recipes, the
     * folder), so that a process started elsewhere (a Spark executor in a worker's folder) reads
     * the same files. A recipe is resolved as the experiment resolves it: as given, else under
     * the jaye folder.
     */
    public ExperimentConfig withAbsolutePaths() {
        java.util.function.UnaryOperator<String> abs = p -> p == null ? null : java.nio.file.Path.of(p).toAbsolutePath().normalize().toString();
        java.util.function.Function<Arm, Arm> arm = a -> a == null ? null
                : new Arm(Experiment.recipe(a.config()).toAbsolutePath().normalize().toString(), a.set());
        return new ExperimentConfig(seeds, abs.apply(init), data == null ? null : new Data(abs.apply(data.dir()), data.trainSplit(), data.queries(), data.fields()),
                epochs, arm.apply(rl), arm.apply(sft), eval, abs.apply(out));
    }

    public ExperimentConfig validate() {
        StringBuilder e = new StringBuilder();
        if (seeds < 1) e.append("; seeds must be >= 1");
        if (init == null) e.append("; init is needed (the warm-up checkpoint both arms start from)");
        if (data == null || data.dir() == null) e.append("; data.dir is needed");
        if (epochs < 1) e.append("; epochs must be >= 1");
        if (rl == null && sft == null) e.append("; at least one of rl and sft is needed");
        if (eval == null || eval.splits().isEmpty()) e.append("; eval.splits must name at least one split");
        if (out == null) e.append("; out is needed");
        if (!e.isEmpty()) throw new IllegalArgumentException("invalid experiment config: " + e.substring(2));
        return this;
    }
}
