// SPDX-License-Identifier: Apache-2.0
package dev.jaye.models.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jaye.models.Vlm;
import dev.jaye.models.tokenizer.Tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * A run's best model so far (the trainers' {@code train.keep_best}): a model folder {@code best/}
 * with {@code best.json} saying what it scored, where and when. Checkpoint retention never touches
 * it. A better score replaces the whole folder at once: the new one is written beside it, then
 * renamed into place, so a crash leaves either the old best or the new one, never a mix.
 */
public final class BestModel {
    private BestModel() {}

    public static final String SCORE_FILE = "best.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The score recorded in {@code best}/best.json, or -infinity when there is no best yet. */
    public static double score(Path best) throws IOException {
        recover(best);
        Path f = best.resolve(SCORE_FILE);
        if (!Files.isRegularFile(f)) return Double.NEGATIVE_INFINITY;
        JsonNode n = JSON.readTree(f.toFile());
        if (n == null || !n.path("score").isNumber()) throw new IOException(f + ": no numeric 'score'");
        return n.get("score").asDouble();
    }

    /**
     * Saves {@code model} as {@code best} when {@code score} is higher than the recorded one (a tie
     * keeps the earlier model). {@code about} goes into best.json beside the score (the split, the
     * setting, the step). Returns whether it saved.
     */
    public static boolean offer(Path best, double score, Map<String, Object> about, Vlm model, Tokenizer tok) throws IOException {
        if (!Double.isFinite(score) || score <= score(best)) return false;
        Path parent = best.toAbsolutePath().getParent(), fresh = parent.resolve("." + best.getFileName() + ".new"),
                old = parent.resolve("." + best.getFileName() + ".old");
        Checkpoint.deleteTree(fresh);
        Checkpoint.save(fresh, model, tok);
        ObjectNode info = JSON.createObjectNode().put("score", score);
        about.forEach((k, v) -> info.set(k, JSON.valueToTree(v)));
        AtomicFiles.writeString(fresh.resolve(SCORE_FILE), info.toString());
        Checkpoint.deleteTree(old);
        if (Files.exists(best)) Files.move(best, old, StandardCopyOption.ATOMIC_MOVE);
        Files.move(fresh, best, StandardCopyOption.ATOMIC_MOVE);   // from here the new best is the one on disk
        Checkpoint.deleteTree(old);
        return true;
    }

    /** A crash between offer's two renames left best/ missing and .best.old holding it: put it back. */
    private static void recover(Path best) throws IOException {
        Path old = best.toAbsolutePath().getParent().resolve("." + best.getFileName() + ".old");
        if (!Files.exists(best) && Files.isDirectory(old)) Files.move(old, best, StandardCopyOption.ATOMIC_MOVE);
    }
}
