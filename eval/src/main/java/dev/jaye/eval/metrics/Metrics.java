// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Every metric of one batch of judged responses, computed in one place so that the evaluator
 * and the trainers log the same numbers under the same keys.
 *
 * <p>Input: the responses grouped by problem (one group per query; a group of one when a
 * trainer samples once). {@link #toMap} flattens everything to snake_case keys:
 * <ul>
 *   <li>{@link ResponseStats}: {@code accuracy}, {@code mean_response_length} (tokens),
 *       {@code min_/max_response_length}, {@code mean_/min_/max_response_chars};</li>
 *   <li>{@link Reflection}: the five ratios under their method names, and
 *       {@code reflection_words/<word>} = occurrences of that word summed over the batch;</li>
 *   <li>per requested k: {@code pass@k} (the unbiased estimate, averaged over problems) and
 *       {@code any_correct@k} (a correct answer among a problem's first k samples).</li>
 * </ul>
 * Values are doubles; NaN marks an undefined ratio (see {@link Reflection}).
 */
public record Metrics(ResponseStats responses, Reflection.Ratios reflection, Map<String, Integer> reflectionWords,
                      SortedMap<Integer, Double> passAtK, SortedMap<Integer, Double> anyCorrectAtK) {

    /** One judged response: its text, its length in tokens, whether it was correct. */
    public record Sample(String text, int tokens, boolean correct) {}

    /** The metrics of {@code groups} (samples per problem); pass@k for each k, which must not exceed any group's size. */
    public static Metrics of(List<List<Sample>> groups, int... ks) {
        List<Sample> all = groups.stream().flatMap(List::stream).toList();
        List<String> texts = all.stream().map(Sample::text).toList();
        int[] tokens = all.stream().mapToInt(Sample::tokens).toArray();
        boolean[] correct = new boolean[all.size()];
        for (int i = 0; i < correct.length; i++) correct[i] = all.get(i).correct();

        Map<String, Integer> words = new LinkedHashMap<>();
        for (String w : Reflection.WORDS) words.put(w, 0);
        for (String t : texts) Reflection.counts(t).forEach((w, c) -> words.merge(w, c, Integer::sum));

        List<PassAtK.Counts> counts = new ArrayList<>();
        List<boolean[]> flags = new ArrayList<>();
        for (List<Sample> g : groups) {
            boolean[] f = new boolean[g.size()];
            int c = 0;
            for (int i = 0; i < f.length; i++) {
                f[i] = g.get(i).correct();
                if (f[i]) c++;
            }
            counts.add(new PassAtK.Counts(g.size(), c));
            flags.add(f);
        }
        SortedMap<Integer, Double> pass = new TreeMap<>(), any = new TreeMap<>();
        for (int k : ks) {
            pass.put(k, PassAtK.mean(counts, k));
            any.put(k, PassAtK.anyCorrect(flags, k));
        }
        return new Metrics(ResponseStats.of(texts, tokens, correct), Reflection.ratios(texts, correct),
                Collections.unmodifiableMap(words), pass, any);
    }

    /** Every value under its log key, in a stable order: stats, ratios, pass@k, any_correct@k, words. */
    public Map<String, Double> toMap() {
        Map<String, Double> m = new LinkedHashMap<>(responses.toMap());
        m.putAll(reflection.toMap());
        passAtK.forEach((k, v) -> m.put("pass@" + k, v));
        anyCorrectAtK.forEach((k, v) -> m.put("any_correct@" + k, v));
        for (String w : Reflection.WORDS) m.put("reflection_words/" + w, (double) reflectionWords.get(w));
        return m;
    }
}
