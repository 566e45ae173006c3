// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jaye.rl.config.Configs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * When a config names a model folder that does not exist yet, the command that makes it: the
 * recipe beside the config whose {@code out} (plus /model) is that folder. So
 * "checkpoint runs/sft-nano/model is not a folder" goes on to say
 * "make it with ./jaye sft --config configs/sft-nano.yaml".
 */
final class RecipeHint {
    private RecipeHint() {}

    /** {@code e}'s message, plus the command that makes {@code missing} when the message is about it. */
    static java.io.IOException explain(java.io.IOException e, Path config, String missing) {
        if (missing == null || !e.getMessage().contains(missing)) return e;
        String hint = forModel(config, missing);
        return hint.isEmpty() ? e : new java.io.IOException(e.getMessage() + hint, e);
    }

    /** "; make it with ..." for {@code missing}, or "" when no recipe beside {@code config} writes it. */
    static String forModel(Path config, String missing) {
        if (config == null || missing == null || Files.isDirectory(Path.of(missing))) return "";
        Path dir = config.toAbsolutePath().getParent();
        Path want = Path.of(missing).toAbsolutePath().normalize();
        List<String> makers = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                JsonNode tree;
                try {
                    tree = Configs.read(f);
                } catch (IOException e) {
                    continue;                                       // not a recipe this hint can read
                }
                JsonNode out = tree.path("out");
                if (!out.isTextual() || !Path.of(out.asText()).resolve("model").toAbsolutePath().normalize().equals(want)) continue;
                String command = tree.has("rollout") ? "rl" : tree.has("arms") || tree.has("seeds") ? null : "sft";
                if (command != null) makers.add("./jaye " + command + " --config " + Path.of("").toAbsolutePath().relativize(f.toAbsolutePath()));
            }
        } catch (IOException e) {
            return "";
        }
        return makers.isEmpty() ? "" : "; make it with " + String.join(" or ", makers);
    }
}
