// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code jaye serve [DIR]}: the live dashboard of every run under DIR, on a local web page. The
 * page reads the runs' metrics.jsonl and samples.jsonl as they grow, so it can be opened before,
 * during or after training. Exit codes: 0 stopped with Ctrl-C, 1 the address cannot be bound or
 * DIR is not a folder, 2 a bad option.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"A live dashboard of the runs under DIR in the browser: reward and its parts, KL, entropy, clip fractions, "
                + "grad norm, lengths, time per phase, evaluations with ± SE bars, runs overlaid, sample completions with "
                + "their pictures, each run's config and the difference of two.",
                "Everything is served from the jar (no network). Ctrl-C stops it."})
final class ServeCommand implements Callable<Integer> {
    static final int DEFAULT_PORT = 8118;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", defaultValue = "runs",
            description = "A run folder, an experiment folder or a folder of them.")
    Path dir;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "The address to listen on: 127.0.0.1 is this machine only; 0.0.0.0 shows the page to the network.")
    String host;

    @Option(names = "--port", paramLabel = "N", defaultValue = "" + DEFAULT_PORT, description = "The port; 0 picks a free one.")
    int port;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--port " + port + ": must be between 0 and 65535");
        if (!Files.isDirectory(dir)) {
            System.err.println("jaye serve: " + dir + ": no such folder");
            return 1;
        }
        DashboardServer s;
        try {
            s = DashboardServer.start(dir, host, port);
        } catch (java.net.BindException e) {
            System.err.println("jaye serve: cannot listen on " + host + ":" + port + " (" + e.getMessage() + "); try --port 0");
            return 1;
        }
        System.out.println("jaye serve: the runs under " + dir + " at " + s.url() + "  (Ctrl-C stops)");
        System.out.flush();
        Thread.currentThread().join();                     // until Ctrl-C ends the JVM
        return 0;
    }
}
