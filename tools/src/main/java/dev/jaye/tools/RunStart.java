// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * How a trainer command starts (jaye sft, jaye rl): a new run from a config, or a stopped run
 * resumed. Used as an exclusive picocli group of multiplicity 1, so picocli refuses neither and
 * both, and the synopsis shows (--config=FILE | --resume=RUN_DIR).
 */
final class RunStart {
    @Option(names = "--config", paramLabel = "FILE", required = true,
            description = "A new run from a YAML config, e.g. configs/sft-nano.yaml or configs/rl-nano.yaml.")
    Path config;

    @Option(names = "--resume", paramLabel = "RUN_DIR", required = true,
            description = "Continue a stopped run from its latest checkpoint, with its own config.")
    Path resume;
}
