// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import dev.jaye.tools.bench.BenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code jaye} command line: one subcommand per job. */
@Command(name = "jaye", mixinStandardHelpOptions = true, version = "jaye 0.1.0",
        description = "Reinforcement learning for vision-language models, from scratch on the JVM.",
        footer = {"", "Also: ./jaye test runs every test (what CI runs); ./jaye test --help says how to run a part.",
                "./jaye cluster setup|start|stop: Apache Spark for jaye experiment --master and jaye rl --master (docs/cluster.md).",
                "Docs: docs/cli.md (every command's help on one page), docs/method.md (the method), docs/model.md (the model)."},
        subcommands = {QuickstartCommand.class, DataCommand.class, InitCommand.class, InfoCommand.class, GenerateCommand.class, SftCommand.class, RlCommand.class, ExperimentCommand.class, ReportCommand.class, ServeCommand.class, EvalCommand.class,
                GradcheckCommand.class, BenchCommand.class, CliReferenceCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        try {
            System.exit(commandLine().execute(args));
        } catch (Error e) {
            // picocli hands only Exceptions to the handler below; an Error that is the user's to
            // fix (out of memory, a bad -Djaye.* value read as a class starts) gets its line too.
            String said = describe(e);
            if (said == null) throw e;
            System.err.println("jaye: " + said);
            System.exit(1);
        }
    }

    /**
     * The command line with jaye's error handling: bad input (a file, a key, a value) is reported
     * in one line that names it, exit code 1; only a bug shows a stack trace.
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        HelpText.apply(cl);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            String said = describe(e);
            if (said == null) throw e;
            line.getErr().println(line.getCommandSpec().qualifiedName() + ": " + said);
            return 1;
        });
        return cl;
    }

    /**
     * What a user is told about {@code e}, in one line that names the file or the option; null
     * for a bug (which keeps its stack trace, so it can be reported).
     */
    static String describe(Throwable e) {
        if (e instanceof java.io.UncheckedIOException u) return describe(u.getCause());
        // A bad -Djaye.* value read when a class starts (-Djaye.simd.bits=100) is bad input too.
        if (e instanceof ExceptionInInitializerError x && x.getCause() instanceof IllegalArgumentException a) return describe(a);
        if (e instanceof java.nio.file.NoSuchFileException f) return "no such file: " + f.getFile();
        if (e instanceof java.nio.file.AccessDeniedException f) return "permission denied: " + f.getFile();
        if (e instanceof java.nio.file.FileAlreadyExistsException f) return "already exists: " + f.getFile();
        if (e instanceof java.nio.file.FileSystemException f)
            return f.getFile() + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile()) + ": " + (f.getReason() == null ? e.getClass().getSimpleName() : f.getReason());
        if (e instanceof java.io.IOException || e instanceof IllegalArgumentException)
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof OutOfMemoryError)
            return String.format(java.util.Locale.ROOT, "out of memory (the Java heap is %.1f GiB): give Java more (JAYE_HEAP=16g ./jaye ...), "
                    + "or use a smaller model, batch or eval.batch_size", Runtime.getRuntime().maxMemory() / 1073741824.0);
        return null;
    }
}
