// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import dev.jaye.models.Vlm;
import dev.jaye.models.config.ModelConfig;
import dev.jaye.models.io.Checkpoint;
import dev.jaye.models.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** The start of a from-scratch run: a randomly initialised model folder. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Write a randomly initialised model (weights, config.json, tokenizer.json) to a folder.")
final class InitCommand implements Callable<Integer> {
    @Option(names = "--preset", paramLabel = "PRESET", defaultValue = "nano", description = "nano (0.87M parameters), tiny (the reference, 4.6M) or small (~25M).")
    String preset;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Folder to write (created if missing).")
    Path out;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "0", description = "Seed of the initial weights.")
    long seed;

    @Option(names = "--corpus", paramLabel = "FILE", description = "Text file (one sample per line) to train a byte-level BPE tokenizer on; "
            + "without it the tokenizer has the 256 bytes and no merges.")
    Path corpus;

    @Override
    public Integer call() throws IOException {
        ModelConfig cfg = ModelConfig.preset(preset);
        Tokenizer tok = Tokenizer.bytesOnly();
        if (corpus != null) {
            if (!Files.isRegularFile(corpus)) throw new IOException("corpus " + corpus + " does not exist");
            List<String> lines = Files.readAllLines(corpus);
            tok = Tokenizer.train(lines, cfg.lm().vocab());
        }
        Vlm model = new Vlm(cfg, seed);
        Checkpoint.save(out, model, tok);
        System.out.printf(Locale.ROOT, "wrote %s: preset %s, %,d parameters, tokenizer with %d tokens (seed %d)%n",
                out, preset, model.parameterCount(), tok.vocabSize(), seed);
        return 0;
    }
}
