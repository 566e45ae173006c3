// SPDX-License-Identifier: Apache-2.0
package dev.jaye.models.tokenizer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Byte-level BPE tokenizer (as GPT-2, minus the byte-to-unicode remapping, which only exists to
 * make vocabulary files printable).
 *
 * <p>Ids, in order:
 * <pre>
 *   0 &lt;pad&gt;   1 &lt;bos&gt;   2 &lt;eos&gt;   3 &lt;image&gt;      special tokens
 *   4 + b             for each byte value b in 0..255
 *   260 + i           the token made by merge i: merges[i] = [left id, right id]
 * </pre>
 * Every string can be encoded, since every string is a sequence of bytes; merges only make the
 * sequence shorter. Encoding first cuts the text into chunks ({@link PreSplit}: words, single
 * digits, punctuation runs, whitespace) and applies merges inside each chunk.
 *
 * <p>Special tokens come out of {@link #encode(String, boolean)} only when the caller allows
 * them: the prompt template writes {@code <image>} on purpose, but user text that happens to
 * contain "&lt;eos&gt;" must not end a sequence, so {@link #encode(String)} spells it in bytes.
 *
 * <p>Immutable, so one instance can be shared by threads.
 */
public final class Tokenizer {
    /** The special tokens, id = position in this list. */
    public static final List<String> SPECIALS = List.of("<pad>", "<bos>", "<eos>", "<image>");
    public static final int PAD = 0, BOS = 1, EOS = 2, IMAGE = 3;
    /** Byte b has id BYTE_OFFSET + b. */
    public static final int BYTE_OFFSET = SPECIALS.size();
    /** Merge i makes id FIRST_MERGE + i. */
    public static final int FIRST_MERGE = BYTE_OFFSET + 256;

    private final int[][] merges;
    /** The bytes each id stands for (a special: its literal string). */
    private final byte[][] bytesOf;
    /** The rank (index in merges) of each mergeable pair, keyed by {@link BpeTrainer#pair}. */
    private final Map<Long, Integer> rankOf;

    private Tokenizer(int[][] merges) {
        this.merges = merges;
        int vocab = FIRST_MERGE + merges.length;
        bytesOf = new byte[vocab][];
        for (int s = 0; s < BYTE_OFFSET; s++) bytesOf[s] = SPECIALS.get(s).getBytes(StandardCharsets.UTF_8);
        for (int b = 0; b < 256; b++) bytesOf[BYTE_OFFSET + b] = new byte[]{(byte) b};
        rankOf = new HashMap<>(2 * merges.length);
        for (int i = 0; i < merges.length; i++) {
            byte[] l = bytesOf[merges[i][0]], r = bytesOf[merges[i][1]];
            byte[] both = Arrays.copyOf(l, l.length + r.length);
            System.arraycopy(r, 0, both, l.length, r.length);
            bytesOf[FIRST_MERGE + i] = both;
            rankOf.put(BpeTrainer.pair(merges[i][0], merges[i][1]), i);
        }
    }

    /** No merges: every byte is a token (vocabulary 260). For a fresh model with no corpus. */
    public static Tokenizer bytesOnly() {
        return new Tokenizer(new int[0][]);
    }

    /** Learns merges from {@code corpus} until the vocabulary has {@code vocabSize} ids (see {@link BpeTrainer}). */
    public static Tokenizer train(Iterable<String> corpus, int vocabSize) {
        return new Tokenizer(BpeTrainer.train(corpus, vocabSize));
    }

    /**
     * A tokenizer with the given merges. Each merge may only use ids defined before it: bytes
     * and earlier merges, never a special token (specials are never inside a chunk).
     */
    public static Tokenizer fromMerges(int[][] merges) {
        int[][] copy = new int[merges.length][];
        Map<Long, Integer> seen = new HashMap<>();
        for (int i = 0; i < merges.length; i++) {
            String[] problem = TokenizerFile.checkMerge(merges[i], i, seen);
            if (problem != null) throw new IllegalArgumentException("merges[" + i + "]" + problem[0] + ": " + problem[1]);
            copy[i] = merges[i].clone();
        }
        return new Tokenizer(copy);
    }

    public int vocabSize() { return bytesOf.length; }
    public int padId() { return PAD; }
    public int bosId() { return BOS; }
    public int eosId() { return EOS; }
    public int imageId() { return IMAGE; }

    /** The merges in order (a copy): merge i made id {@link #FIRST_MERGE} + i. */
    public int[][] merges() {
        int[][] copy = new int[merges.length][];
        for (int i = 0; i < merges.length; i++) copy[i] = merges[i].clone();
        return copy;
    }

    /** Encodes {@code text} as plain text: "&lt;image&gt;" in it becomes the bytes of "&lt;image&gt;". */
    public int[] encode(String text) {
        return encode(text, false);
    }

    /**
     * Encodes {@code text}; with {@code allowSpecial}, every literal occurrence of a special
     * token's string (leftmost first) becomes that special token's id.
     */
    public int[] encode(String text, boolean allowSpecial) {
        IntList out = new IntList(text.length() + 8);
        if (!allowSpecial) {
            encodeOrdinary(text, out);
            return out.toArray();
        }
        int from = 0;                                                 // start of the text not yet encoded
        for (int at = text.indexOf('<'); at >= 0; at = text.indexOf('<', at + 1)) {
            int special = specialAt(text, at);
            if (special < 0) continue;
            encodeOrdinary(text.substring(from, at), out);            // chunks never reach across a special
            out.add(special);
            from = at + SPECIALS.get(special).length();
            at = from - 1;
        }
        encodeOrdinary(text.substring(from), out);
        return out.toArray();
    }

    private static int specialAt(String text, int at) {
        for (int s = 0; s < SPECIALS.size(); s++) if (text.startsWith(SPECIALS.get(s), at)) return s;
        return -1;
    }

    private void encodeOrdinary(String text, IntList out) {
        for (String chunk : PreSplit.split(text)) for (int id : encodeChunk(chunk.getBytes(StandardCharsets.UTF_8))) out.add(id);
    }

    /**
     * BPE on one chunk. Applying merges in rank order, each at every place it occurs (left to
     * right, no overlap), gives the same tokens the trainer produced. Instead of rescanning the
     * chunk once per merge, a min-heap holds one entry (rank, position) per adjacent pair that
     * has a merge; the lowest rank, then leftmost position, comes out first. Tokens live in a
     * linked list over the byte positions: a merge keeps the left position and unlinks the
     * right one, then pushes the two new pairs it formed. Entries whose pair changed since they
     * were pushed are recognised as stale and skipped. A new pair holds the token of merge r, so
     * its own merge (if any) was learned later and has a rank above r: ranks come out in
     * increasing order, as the definition requires. TokenizerPropertiesTest checks this against
     * the textbook loop.
     */
    int[] encodeChunk(byte[] bytes) {
        int n = bytes.length;
        int[] tok = new int[n];
        for (int i = 0; i < n; i++) tok[i] = BYTE_OFFSET + (bytes[i] & 0xff);
        if (n < 2 || merges.length == 0) return tok;
        int[] next = new int[n], prev = new int[n];                  // next[i] == n: the end
        for (int i = 0; i < n; i++) { next[i] = i + 1; prev[i] = i - 1; }
        PriorityQueue<Long> heap = new PriorityQueue<>();             // rank << 32 | position
        for (int i = 0; i + 1 < n; i++) push(heap, tok, next, i);
        int count = n;
        while (!heap.isEmpty()) {
            long entry = heap.poll();
            int rank = (int) (entry >>> 32), i = (int) entry;
            int j = next[i];
            if (tok[i] < 0 || j == n || tok[i] != merges[rank][0] || tok[j] != merges[rank][1]) continue;  // stale
            tok[i] = FIRST_MERGE + rank;
            tok[j] = -1;                                              // j is gone
            next[i] = next[j];
            if (next[j] < n) prev[next[j]] = i;
            count--;
            if (prev[i] >= 0) push(heap, tok, next, prev[i]);
            push(heap, tok, next, i);
        }
        int[] out = new int[count];
        for (int i = 0, k = 0; i < n; i = next[i]) out[k++] = tok[i];
        return out;
    }

    private void push(PriorityQueue<Long> heap, int[] tok, int[] next, int i) {
        if (next[i] >= tok.length) return;
        Integer rank = rankOf.get(BpeTrainer.pair(tok[i], tok[next[i]]));
        if (rank != null) heap.add(((long) rank << 32) | i);
    }

    /**
     * The text of {@code ids}: their bytes, joined and read as UTF-8. Byte sequences that are not
     * valid UTF-8 (a model can emit any ids) become U+FFFD, as {@code new String(bytes, UTF_8)}
     * does; this never throws on ids in range. bos, eos and image decode to their literal
     * strings; <b>pad decodes to nothing</b>, so a padded batch row decodes to its text
     * ({@link #decodeToken} still shows "&lt;pad&gt;").
     */
    public String decode(int[] ids) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.length * 2);
        for (int k = 0; k < ids.length; k++) {
            if (ids[k] < 0 || ids[k] >= bytesOf.length) throw outOfRange(ids[k], " at position " + k);
            if (ids[k] != PAD) bytes.writeBytes(bytesOf[ids[k]]);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /**
     * One token's text, for printing: a special's literal string, else its bytes as UTF-8 (a
     * token that holds part of a multi-byte character shows as U+FFFD).
     */
    public String decodeToken(int id) {
        if (id < 0 || id >= bytesOf.length) throw outOfRange(id, "");
        return new String(bytesOf[id], StandardCharsets.UTF_8);
    }

    /** The bytes token {@code id} stands for (a special: its literal string). */
    public byte[] tokenBytes(int id) {
        if (id < 0 || id >= bytesOf.length) throw outOfRange(id, "");
        return bytesOf[id].clone();
    }

    private IllegalArgumentException outOfRange(int id, String where) {
        return new IllegalArgumentException("token id " + id + where + " is outside the vocabulary [0, " + bytesOf.length + ")");
    }

    /** Writes the tokenizer as JSON, atomically (see {@link TokenizerFile}). */
    public void save(Path file) throws IOException {
        TokenizerFile.write(merges, file);
    }

    /** Reads a tokenizer written by {@link #save}; a malformed file is refused with the field at fault. */
    public static Tokenizer load(Path file) throws IOException {
        return new Tokenizer(TokenizerFile.read(file));
    }

    /** A growable int array: encode's output without boxing. */
    private static final class IntList {
        int[] a;
        int size;

        IntList(int capacity) { a = new int[Math.max(capacity, 4)]; }

        void add(int v) {
            if (size == a.length) a = Arrays.copyOf(a, 2 * size);
            a[size++] = v;
        }

        int[] toArray() { return Arrays.copyOf(a, size); }
    }
}
