// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.report;

import dev.jaye.eval.metrics.JsonLines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a small experiment folder with numbers chosen so every table cell and finding can be
 * worked out by hand (the formulas are below, the worked values in the tests).
 *
 * <ul>
 *   <li>vanilla accuracy: val 0.40, test 0.38, test_ood 0.40 at pass@1_t0.6; each +0.20 at pass@8_t1.0</li>
 *   <li>RL seed s at epoch e (1, 2): vanilla + 0.05·e + 0.02·s on every split; at epoch 0 the vanilla value</li>
 *   <li>SFT seed s at epoch e (1, 2): vanilla + 0.04·e − 0.01·s; on test_ood vanilla + 0.03 − 0.06·(e − 1) − 0.01·s</li>
 *   <li>RL steps g = 1..10 (5 per epoch): reflection_ratio 0.01·g + 0.1·s, length 50 + 100·reflection_ratio,
 *       words: verify 2g, wait g + s, recheck 1</li>
 * </ul>
 */
final class ExperimentFixture {
    private ExperimentFixture() {}

    static final List<String> SPLITS = List.of("val", "test", "test_ood"), SETTINGS = List.of("pass@1_t0.6", "pass@8_t1.0");
    static final List<String> WORDS = List.of("re-check", "re-evaluate", "re-examine", "re-think", "recheck", "reevaluate",
            "reexamine", "reevaluation", "rethink", "check again", "think again", "try again", "verify", "wait", "yet");

    static double vanilla(String split, String setting) {
        double base = switch (split) {
            case "val" -> 0.40;
            case "test" -> 0.38;
            default -> 0.40;
        };
        return base + (setting.startsWith("pass@8") ? 0.20 : 0);
    }

    /** The whole experiment: 2 seeds per arm, vanilla, test_ood, times.json, a config with HTML in it. */
    static Path write(Path dir) throws IOException {
        Files.writeString(dir.resolve("experiment.yaml"), "name: fixture\nnote: a<b & \"c\"\nseeds: [0, 1]\n");
        for (String split : SPLITS)
            for (String setting : SETTINGS)
                JsonLines.append(dir.resolve("vanilla/eval.jsonl"), eval(0.0, split, setting, vanilla(split, setting)));
        for (int s = 0; s < 2; s++) {
            rl(dir.resolve("rl/seed-" + s), s);
            sft(dir.resolve("sft/seed-" + s), s);
        }
        Files.writeString(dir.resolve("times.json"), "{\"rl/seed-0\": 3725.0, \"rl/seed-1\": 10, \"sft/seed-0\": 100, \"vanilla\": 5}");
        return dir;
    }

    static void rl(Path run, int s) throws IOException {
        Files.createDirectories(run);
        Files.writeString(run.resolve("config.yaml"), "seed: " + s + "\nalgorithm:\n  estimator: reinforce_pp\n");
        Path m = run.resolve("metrics.jsonl");
        for (String split : SPLITS) for (String setting : SETTINGS) JsonLines.append(m, eval(0.0, split, setting, vanilla(split, setting)));
        for (int g = 1; g <= 10; g++) {
            double refl = 0.01 * g + 0.1 * s;
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("generation_step", g);
            step.put("epoch", g / 5.0);
            step.put("reward", 0.1 * g);
            step.put("accuracy", 0.1 * g);
            step.put("policy_loss", 0.0);
            step.put("kl", 0.001 * g);
            step.put("entropy", 0.5);
            step.put("time/step", 2.0);
            step.put("mean_response_length", 50 + 100 * refl);
            step.put("reflection_ratio", refl);
            step.put("correct_ratio_in_reflection_texts", g == 4 ? Double.NaN : 0.3 + 0.01 * g);   // written as null
            for (String w : WORDS)
                step.put("reflection_words/" + w, switch (w) {
                    case "verify" -> 2.0 * g;
                    case "wait" -> (double) g + s;
                    case "recheck" -> 1.0;
                    default -> 0.0;
                });
            JsonLines.append(m, step);
            if (g % 5 == 0) {
                JsonLines.append(m, Map.of("generation_step", g, "epoch", g / 5.0, "train_accuracy", 0.1 * g / 5 + 0.1 * s));
                for (String split : SPLITS)
                    for (String setting : SETTINGS)
                        JsonLines.append(m, eval(g / 5.0, split, setting, vanilla(split, setting) + 0.05 * (g / 5) + 0.02 * s));
            }
        }
    }

    static void sft(Path run, int s) throws IOException {
        Files.createDirectories(run);
        Files.writeString(run.resolve("config.yaml"), "seed: " + s + "\ntrain:\n  epochs: 2\n");
        Path m = run.resolve("metrics.jsonl");
        for (int step = 1; step <= 4; step++) {
            JsonLines.append(m, Map.of("step", step, "epoch", step / 2.0, "loss", 2.0 / step + 0.1 * s));
            if (step % 2 == 0) {
                int e = step / 2;
                for (String split : SPLITS)
                    for (String setting : SETTINGS) {
                        double v = vanilla(split, setting) + (split.equals("test_ood") ? 0.03 - 0.06 * (e - 1) : 0.04 * e) - 0.01 * s;
                        Map<String, Object> line = eval(e, split, setting, v);
                        line.put("step", step);
                        JsonLines.append(m, line);
                    }
            }
        }
    }

    /** An evaluation line; an int epoch is written as an int, as the SFT trainer does. */
    static Map<String, Object> eval(Object epoch, String split, String setting, double accuracy) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", epoch);
        m.put("split", split);
        m.put("setting", setting);
        m.put("seconds", 1.5);
        m.put("accuracy", accuracy);
        m.put("mean_response_length", 60.0);
        return m;
    }
}
