// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Length and accuracy of a batch of responses. Length is counted in tokens (what the policy
 * generated, what the token limit caps) and in characters (Unicode code points, so a Han
 * character or an emoji is one; comparable across tokenizers). An empty batch gives NaN
 * everywhere, as {@link Reflection} does for an empty denominator.
 */
public record ResponseStats(int count, double meanTokens, double minTokens, double maxTokens,
                            double meanChars, double minChars, double maxChars, double accuracy) {

    /** Stats of {@code texts.get(i)}, {@code tokens[i]} tokens long and judged {@code correct[i]}. */
    public static ResponseStats of(List<String> texts, int[] tokens, boolean[] correct) {
        int n = texts.size();
        if (tokens.length != n || correct.length != n)
            throw new IllegalArgumentException(n + " texts, " + tokens.length + " token counts, " + correct.length + " judgements");
        if (n == 0) return new ResponseStats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        long tokenSum = 0, charSum = 0;
        int minT = Integer.MAX_VALUE, maxT = Integer.MIN_VALUE, minC = Integer.MAX_VALUE, maxC = Integer.MIN_VALUE, right = 0;
        for (int i = 0; i < n; i++) {
            int t = tokens[i], c = texts.get(i).codePointCount(0, texts.get(i).length());
            tokenSum += t; charSum += c;
            minT = Math.min(minT, t); maxT = Math.max(maxT, t);
            minC = Math.min(minC, c); maxC = Math.max(maxC, c);
            if (correct[i]) right++;
        }
        return new ResponseStats(n, (double) tokenSum / n, minT, maxT, (double) charSum / n, minC, maxC, (double) right / n);
    }

    /** Snake_case keys; "response_length" is in tokens, as in the method's curves. */
    public Map<String, Double> toMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("accuracy", accuracy);
        m.put("mean_response_length", meanTokens);
        m.put("min_response_length", minTokens);
        m.put("max_response_length", maxTokens);
        m.put("mean_response_chars", meanChars);
        m.put("min_response_chars", minChars);
        m.put("max_response_chars", maxChars);
        return m;
    }
}
