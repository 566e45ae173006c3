// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code jaye eval} on an init'ed nano model and a tiny generated dataset, as a user runs it. */
class EvalCommandTest {
    @TempDir
    Path dir;

    @Test
    void evaluatesASplitPrintsTheTableAndAppendsJsonLines() throws Exception {
        Path model = dir.resolve("m"), ds = dir.resolve("ds"), results = dir.resolve("results.jsonl"), dump = dir.resolve("responses.jsonl");
        assertEquals(0, Cli.run("init", "--preset", "nano", "--out", model.toString(), "--seed", "1").code());
        assertEquals(0, Cli.run("data", "generate", "--out", ds.toString(), "--families", "count_total",
                "--train", "0", "--val", "3", "--test", "0", "--test-ood", "0", "--seed", "2").code());

        String[] args = {"eval", "--checkpoint", model.toString(), "--data", ds.toString(), "--split", "val",
                "--settings", "pass@8_t1.0,pass@1_t0.01", "--max-tokens", "6", "--limit", "2", "--batch-size", "2",
                "--seed", "5", "--out", results.toString(), "--dump", dump.toString()};
        Cli.Run r = Cli.run(args);
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("setting") && r.out().contains("any_correct@k") && r.out().contains("reflection_ratio"), r.out());
        assertTrue(r.out().contains("pass@8_t1.0") && r.out().contains("pass@1_t0.01") && !r.out().contains("pass@1_t0.6"), r.out());
        assertTrue(r.err().contains("2/2"), "a progress bar on stderr: " + r.err());

        ObjectMapper json = new ObjectMapper();
        List<String> lines = Files.readAllLines(results);
        assertEquals(2, lines.size());
        JsonNode first = json.readTree(lines.get(0));
        assertEquals("pass@8_t1.0", first.get("setting").asText());
        assertEquals("val", first.get("split").asText());
        assertEquals(5, first.get("seed").asLong());
        assertEquals(2, first.get("n_samples").asInt());
        for (String k : new String[]{"accuracy", "pass@8", "any_correct@8", "mean_response_length", "reflection_ratio",
                "correct_ratio_in_no_reflection_texts", "reflection_words/wait"})
            assertTrue(first.has(k), k);
        assertTrue(first.get("mean_response_length").asDouble() <= 6);
        JsonNode dumped = json.readTree(Files.readAllLines(dump).get(0));
        assertEquals(8, dumped.get("responses").size());
        assertEquals(2 + 2, Files.readAllLines(dump).size());

        Cli.Run again = Cli.run(args);                                 // same seed: the same numbers, appended
        assertEquals(0, again.code());
        List<String> all = Files.readAllLines(results);
        assertEquals(4, all.size());
        JsonNode third = json.readTree(all.get(2));
        ((com.fasterxml.jackson.databind.node.ObjectNode) first).remove("seconds");
        ((com.fasterxml.jackson.databind.node.ObjectNode) third).remove("seconds");
        assertEquals(first, third);
    }

    @Test
    void aBadDataFolderOrSettingExitsNonZeroWithTheReason() throws Exception {
        Path model = dir.resolve("m"), ds = dir.resolve("ds");
        assertEquals(0, Cli.run("init", "--preset", "nano", "--out", model.toString()).code());
        assertEquals(0, Cli.run("data", "generate", "--out", ds.toString(), "--families", "count_total",
                "--train", "0", "--val", "2", "--test", "0", "--test-ood", "0").code());
        Path val = ds.resolve("val.jsonl");
        Files.writeString(val, Files.readString(val) + "{not json\n");

        Cli.Run bad = Cli.run("eval", "--checkpoint", model.toString(), "--data", ds.toString(), "--split", "val");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("val.jsonl:3"), "names the file and line: " + bad.err());

        Cli.Run skipping = Cli.run("eval", "--checkpoint", model.toString(), "--data", ds.toString(), "--split", "val", "--skip-bad",
                "--settings", "pass@1_t0.01", "--max-tokens", "4", "--json");
        assertEquals(0, skipping.code(), skipping.err());
        assertTrue(skipping.err().contains("skipped 1"), skipping.err());
        JsonNode line = new ObjectMapper().readTree(skipping.out().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
        assertEquals(2, line.get("n_samples").asInt());

        Cli.Run missing = Cli.run("eval", "--checkpoint", model.toString(), "--data", ds.toString(), "--split", "test");
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("test.jsonl"), missing.err());

        Cli.Run unknown = Cli.run("eval", "--checkpoint", model.toString(), "--data", ds.toString(), "--split", "val", "--settings", "pass@3_t2.0");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("unknown setting"), unknown.err());
    }
}
