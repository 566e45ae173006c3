// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools.experiment;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ServiceLoader;

/**
 * Where an experiment's parts run when {@code jaye experiment --master URL} is given: an engine
 * of distributed work found at run time (the {@code cluster} module's Apache Spark), so that
 * this module, the quickstart and everything below neither load nor ship it.
 */
public interface Distributed {
    /**
     * Runs the experiment's {@link Experiment#parts() parts} on {@code master} and records their
     * times; false when stopped early. The experiment's folder, data and warm-up must be visible
     * at the same paths wherever a part runs.
     */
    boolean run(Experiment experiment, String master, PrintStream log) throws IOException;

    /** The engine on the class path, or an error that says how to get it. */
    static Distributed find() {
        return find(Distributed.class);
    }

    /** The cluster module's implementation of {@code service} (ServiceLoader), or an error that says how to get it. */
    static <T> T find(Class<T> service) {
        for (T d : ServiceLoader.load(service)) return d;
        throw new IllegalArgumentException("--master needs Apache Spark, which this build does not have: run ./jaye cluster setup "
                + "(builds the cluster module; Maven fetches Spark 4.2.0, about 230 MB, once), then run the command again");
    }
}
