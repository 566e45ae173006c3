// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.file.Path;

/**
 * {@code --serve} of the commands that train (sft, rl, experiment, quickstart): the live page
 * inside the training process. Without it, the command prints the one command that opens it.
 */
final class ServeOption {
    @Option(names = "--serve", description = "Also serve the live dashboard of this run from this process, on "
            + "http://127.0.0.1:" + ServeCommand.DEFAULT_PORT + "/ (another free port if that is taken); it stops when training ends.")
    boolean serve;

    /** The running server, if --serve started one; keep it until training ends. */
    DashboardServer server;

    /** Starts the page or says how to; {@code dir} is the folder the page should show. */
    void announce(Path dir, PrintStream log) throws IOException {
        if (!serve) {
            log.println("watch it: ./jaye serve " + dir + "   (a live page in the browser)");
            return;
        }
        try {
            server = DashboardServer.start(dir, "127.0.0.1", ServeCommand.DEFAULT_PORT);
        } catch (BindException e) {
            server = DashboardServer.start(dir, "127.0.0.1", 0);
        }
        log.println("watch it: " + server.url() + "   (live while this command runs; ./jaye serve " + dir + " afterwards)");
    }

    /** Stops the page when the training command ends (the JVM may go on: a test, an experiment's next part). */
    void stop() {
        if (server != null) server.close();
        server = null;
    }
}
