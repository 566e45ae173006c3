// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jaye.models.io.AtomicFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A run folder belongs to one run, and to one process at a time. Both trainers go through here:
 *
 * <ul>
 *   <li>a new run refuses a folder that already holds a run ({@link #claimNew}), instead of mixing
 *       its metrics, checkpoints and model with the old ones;</li>
 *   <li>a running trainer holds {@code RUN/.lock} (an operating-system file lock, released when the
 *       process ends however it ends), so a second jaye process on the same folder is refused
 *       before it writes anything;</li>
 *   <li>a resumed run first cuts {@code metrics.jsonl} back to its checkpoint ({@link #cutMetrics}):
 *       a line torn by a crash or a full disk, and the lines of steps after the checkpoint (which
 *       the resumed run writes again), go.</li>
 * </ul>
 */
public final class RunFolder {
    private RunFolder() {}

    /** The files whose presence means a folder holds a run. */
    private static final List<String> RUN_FILES = List.of("config.yaml", "metrics.jsonl", "checkpoints", "model");

    /** The locks this process holds, by folder: a trainer started twice in one process (tests, an experiment) re-enters. */
    private static final Map<Path, FileLock> HELD = new HashMap<>();

    /** For a new run: refuses a folder that holds a run, then locks it. */
    public static void claimNew(Path out) throws IOException {
        List<String> found = new ArrayList<>();
        for (String f : RUN_FILES) if (Files.exists(out.resolve(f))) found.add(f);
        if (!found.isEmpty())
            throw new IOException("out " + out + " already holds a run (" + String.join(", ", found) + "): continue it with --resume "
                    + out + ", replace it with --overwrite, or choose another out");
        lock(out);
    }

    /**
     * {@code --overwrite}: the run in {@code out} is replaced by a new one. The folder is locked
     * first (refused while another process runs there), then everything in it is deleted.
     */
    public static void overwrite(Path out) throws IOException {
        if (!Files.isDirectory(out)) return;
        lock(out);
        clearAllBut(out, ".lock");
    }

    private static void clearAllBut(Path dir, String keep) throws IOException {
        List<Path> entries;
        try (var list = Files.list(dir)) {
            entries = list.filter(p -> !p.getFileName().toString().equals(keep)).toList();
        }
        for (Path p : entries) dev.jaye.models.io.Checkpoint.deleteTree(p);
    }

    /**
     * The recovery step of a resume at {@code step}: {@link #cutMetrics} of the metrics and of the
     * other per-step logs (samples.jsonl, tokens.jsonl), and the temporary files
     * an atomic write leaves when the process is killed mid-write ({@code .NAME.*.tmp}, see
     * AtomicFiles) are deleted from the folder and its checkpoints.
     */
    public static void recover(Path runDir, String stepKey, long step) throws IOException {
        for (String f : List.of("metrics.jsonl", "samples.jsonl", "tokens.jsonl")) cutMetrics(runDir.resolve(f), stepKey, step);
        try (var walk = Files.walk(runDir, 3)) {
            for (Path f : walk.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().matches("\\..+\\.tmp")).toList())
                Files.deleteIfExists(f);
        }
    }

    /**
     * For a checkpoint written at an epoch's end before that epoch's evaluation (SFT checkpoints
     * inside the epoch's loop, then evaluates): a resume there evaluates the epoch again, so
     * the evaluation records already logged at {@code step} (whole or cut short by the stop)
     * are removed from metrics.jsonl and samples.jsonl first, and appear once.
     */
    public static void cutEvaluations(Path runDir, String stepKey, long step) throws IOException {
        for (String f : List.of("metrics.jsonl", "samples.jsonl"))
            cut(runDir.resolve(f), n -> n.has(stepKey) && n.get(stepKey).asLong() == step && n.has("split"));
    }

    /**
     * For the experiment and the quickstart, which own their run folders: a run there that stopped
     * before its first checkpoint left nothing a resume could use, so its files are cleared (the
     * folder locked first, so a run still going there is not touched) and the run starts again.
     * A folder with a checkpoint or a final model is left alone.
     */
    public static void clearUnstarted(Path dir) throws IOException {
        if (!Files.isDirectory(dir) || Files.exists(dir.resolve("checkpoints/latest")) || Files.exists(dir.resolve("model"))) return;
        lock(dir);
        clearAllBut(dir, ".lock");
    }

    /** Locks the folder for this process; refused while another process holds it. */
    public static synchronized void lock(Path dir) throws IOException {
        Path key = dir.toAbsolutePath().normalize();
        if (HELD.containsKey(key)) return;
        Files.createDirectories(dir);
        Path file = dir.resolve(".lock");
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            String holder = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
            ch.close();
            throw new IOException("run folder " + dir + " is in use by another jaye process" + (holder.isEmpty() ? "" : " (pid " + holder + ")")
                    + ": wait for it to finish or stop it, or choose another folder");
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + " on " + host() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        HELD.put(key, lock);
    }

    private static String host() {
        String h = System.getenv("HOSTNAME");
        if (h != null && !h.isBlank()) return h;
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "an unknown host";
        }
    }

    /** Gives the folder up (the trainer has finished or stopped). */
    public static synchronized void release(Path dir) throws IOException {
        FileLock lock = HELD.remove(dir.toAbsolutePath().normalize());
        if (lock != null) lock.channel().close();
    }

    /**
     * Keeps the lines of {@code metrics} that a run resumed at {@code step} has already written for
     * good: every complete JSON line whose {@code stepKey} is absent or at most {@code step}. What
     * goes is a torn last line (a crash or a full disk in the middle of a write) and the lines
     * after the checkpoint, which the resumed run writes again. The file is replaced atomically.
     */
    public static void cutMetrics(Path metrics, String stepKey, long step) throws IOException {
        cut(metrics, n -> n.has(stepKey) && n.get(stepKey).asLong() > step);
    }

    /** Rewrites a JSON-lines file without its torn last line and without the records {@code drop} picks. */
    private static void cut(Path metrics, java.util.function.Predicate<JsonNode> drop) throws IOException {
        if (!Files.exists(metrics)) return;
        String text = Files.readString(metrics, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n') + 1;                    // past the last complete line
        ObjectMapper json = new ObjectMapper();
        StringBuilder kept = new StringBuilder();
        boolean changed = end != text.length();
        for (String line : text.substring(0, end).split("\n", -1)) {
            if (line.isEmpty()) continue;
            JsonNode node;
            try {
                node = json.readTree(line);
            } catch (IOException e) {
                node = null;
            }
            if (node != null && node.isObject() && drop.test(node)) {
                changed = true;
                continue;
            }
            kept.append(line).append('\n');
        }
        if (changed) AtomicFiles.writeString(metrics, kept.toString());
    }

    /**
     * Before a checkpoint is written to {@code dir}: every weight and optimiser number must be
     * finite, or the run stops here, naming {@code step}, the first bad tensor and {@code last},
     * the last good checkpoint (null: none yet).
     */
    public static void requireFinite(Map<String, dev.jaye.tensor.Tensor> weights, Map<String, dev.jaye.tensor.Tensor> optimiser,
                                     String step, Path dir, Path last) {
        try {
            dev.jaye.models.io.Checkpoint.requireFinite(weights, "the weights");
            dev.jaye.models.io.Checkpoint.requireFinite(optimiser, "the optimiser's state");
        } catch (ArithmeticException e) {
            throw new ArithmeticException(step + ": not writing " + dir + ": " + e.getMessage()
                    + (last == null ? "" : "; the last good checkpoint is " + last));
        }
    }

    /** A checkpoint's {@code trainer.json}: a JSON object, or an error naming the file. */
    public static JsonNode readState(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException("checkpoint " + file.getParent() + " has no trainer.json (the trainer's position)");
        JsonNode node;
        try {
            node = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + " is not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (node == null || !node.isObject()) throw new IOException(file + " should hold a JSON object");
        return node;
    }

    /** An integer of {@code trainer.json} in [min, max], or an error naming the file, the key and the range. */
    public static int stateInt(JsonNode state, Path file, String key, long min, long max) throws IOException {
        JsonNode v = state.get(key);
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber() || v.asLong() < min || v.asLong() > max)
            throw new IOException(file + ": \"" + key + "\" must be an integer in [" + min + ", " + max + "], got "
                    + (v == null ? "nothing (the key is missing)" : v.toString()));
        return v.asInt();
    }
}
