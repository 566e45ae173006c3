// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jaye.eval.data.DatasetWriter;
import dev.jaye.eval.data.Split;
import dev.jaye.models.Vlm;
import dev.jaye.models.config.ModelConfig;
import dev.jaye.models.io.Checkpoint;
import dev.jaye.models.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A layout jaye does not detect loads through --fields on data show and eval, and data.fields in an experiment. */
class FieldsOptionTest {
    @TempDir
    Path dir;

    static final String FIELDS = "question=prompt,answer=label,image=img,id=uid";

    /** jaye's files rewritten with keys of one's own: prompt, label, img (a plain path), uid; no solution. */
    static Path ownLayout(Path from, Path to) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(f.getFileName());
                if (Files.isDirectory(f)) {
                    try (var walk = Files.walk(f)) {
                        for (Path p : walk.toList()) Files.copy(p, target.resolve(f.relativize(p).toString()));
                    }
                } else if (f.toString().endsWith(".jsonl")) {
                    List<String> out = new ArrayList<>();
                    for (String line : Files.readAllLines(f)) {
                        var n = json.readTree(line);
                        ObjectNode o = json.createObjectNode();
                        o.put("uid", n.get("id").asText()).put("prompt", n.get("problem").asText())
                                .put("label", n.get("answer").asText()).put("img", n.get("images").get(0).asText());
                        out.add(o.toString());
                    }
                    Files.write(target, out);
                }
            }
        }
        return to;
    }

    @Test
    void dataShowAndEvalReadALayoutOfOnesOwn() throws Exception {
        Path gen = dir.resolve("gen");
        DatasetWriter.write(gen, new DatasetWriter.Config(List.of("count_total"),
                Map.of(Split.TRAIN, 2, Split.VAL, 3, Split.TEST, 2, Split.TEST_OOD, 2), 1, 0.25, dev.jaye.eval.tasks.Looks.DEFAULT_HELD_OUT, null), null);
        Path own = ownLayout(gen, dir.resolve("own"));

        Cli.Run plain = Cli.run("data", "show", own.toString(), "--split", "val", "--out", dir.resolve("a.png").toString());
        assertEquals(1, plain.code(), "without --fields the layout is not one jaye detects");
        assertTrue(plain.err().contains("val.jsonl:1"), plain.err());

        Cli.Run shown = Cli.run("data", "show", own.toString(), "--split", "val", "--fields", FIELDS, "--out", dir.resolve("b.png").toString());
        assertEquals(0, shown.code(), shown.err());
        assertTrue(shown.out().contains("3 samples"), shown.out());

        Checkpoint.save(dir.resolve("model"), new Vlm(ModelConfig.nano(), 1), Tokenizer.bytesOnly());
        Cli.Run eval = Cli.run("eval", "--checkpoint", dir.resolve("model").toString(), "--data", own.toString(), "--split", "val",
                "--fields", FIELDS, "--settings", "pass@1_t0.6", "--max-tokens", "4", "--json");
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().contains("\"n_samples\":3"), eval.out());

        Cli.Run bad = Cli.run("data", "show", own.toString(), "--fields", "question=prompt,answr=label,image=img");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--fields") && bad.err().contains("unknown part 'answr'"), bad.err());
        Cli.Run missing = Cli.run("eval", "--checkpoint", dir.toString(), "--data", own.toString(), "--fields", "question=prompt,image=img");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("'answer' is required"), missing.err());
    }
}
