// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval;

import dev.jaye.eval.metrics.Metrics;
import dev.jaye.eval.metrics.SampleStats;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One setting's evaluation of one split: the metrics, and what each sample got.
 *
 * @param setting  how the answers were sampled
 * @param nSamples questions evaluated
 * @param metrics  {@link Metrics} over all n·nSamples responses, grouped per question
 * @param samples  per question: its id, the response texts, which were judged correct
 * @param seconds  wall time of the generation and judging
 */
public record EvalResult(GenerationSetting setting, int nSamples, Metrics metrics, List<SampleResult> samples, double seconds) {

    /**
     * One question's responses, in draw order; family may be null (a dataset that does not say);
     * lengths are the responses' token counts, {@code <eos>} included (null when not known).
     */
    public record SampleResult(String id, String family, String answer, List<String> texts, List<Boolean> correct, List<Integer> lengths) {
        public SampleResult(String id, String family, String answer, List<String> texts, List<Boolean> correct) {
            this(id, family, answer, texts, correct, null);
        }
    }

    /** Share of correct responses per task family, families in first-seen order (null family: "unknown"). */
    public Map<String, Double> accuracyByFamily() {
        Map<String, int[]> counts = new LinkedHashMap<>();
        for (SampleResult s : samples) {
            int[] c = counts.computeIfAbsent(s.family() == null ? "unknown" : s.family(), f -> new int[2]);
            for (boolean ok : s.correct()) {
                c[0] += ok ? 1 : 0;
                c[1]++;
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        counts.forEach((f, c) -> out.put(f, c[1] == 0 ? Double.NaN : (double) c[0] / c[1]));
        return out;
    }

    /**
     * The standard error of {@code accuracy} as an estimate over questions: the sample standard
     * deviation of each question's share of correct responses, over sqrt(questions). The draws
     * of one question are not independent (an easy question is right every time), so treating
     * all n·questions responses as independent coin flips would understate it; this counts each
     * question once. NaN with fewer than two questions.
     */
    public double accuracyStandardError() {
        int q = samples.size();
        double[] p = new double[q];
        for (int i = 0; i < q; i++) {
            List<Boolean> c = samples.get(i).correct();
            p[i] = c.stream().filter(b -> b).count() / (double) c.size();
        }
        return SampleStats.standardError(p);                        // NaN below two questions
    }

    /**
     * How many of each question's n responses were right, in the split's order. Two models
     * evaluated on the same split can then be compared question by question: the standard error
     * of their difference counts each question once and cancels what makes a question easy or
     * hard for both (the paired SE of the report's RL - SFT column).
     */
    public List<Integer> rightPerQuestion() {
        return samples.stream().map(s -> (int) s.correct().stream().filter(b -> b).count()).toList();
    }

    /**
     * The JSON line of this result: where it came from, how it was sampled, then every metric
     * under its {@link Metrics#toMap} key, and {@link #rightPerQuestion}. NaN metrics become null in {@code JsonLines.format}.
     */
    public Map<String, Object> toRecord(String checkpoint, String split, long seed) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("checkpoint", checkpoint);
        m.put("split", split);
        m.put("setting", setting.name());
        m.put("n", setting.n());
        m.put("k", setting.k());
        m.put("temperature", setting.temperature());
        m.put("top_p", setting.topP());
        m.put("max_tokens", setting.maxTokens());
        m.put("seed", seed);
        m.put("n_samples", nSamples);
        m.put("seconds", Math.round(seconds * 10) / 10.0);
        m.putAll(metrics.toMap());
        m.put("accuracy_se", accuracyStandardError());
        accuracyByFamily().forEach((f, a) -> m.put("accuracy/" + f, a));
        m.put("right_per_question", rightPerQuestion());
        return m;
    }

    /** The per-sample dump: one map per question (for a JSONL file next to the metrics). */
    public List<Map<String, Object>> sampleRecords() {
        return samples.stream().map(s -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("setting", setting.name());
            m.put("id", s.id());
            m.put("family", s.family());
            m.put("answer", s.answer());
            m.put("responses", s.texts());
            m.put("correct", s.correct());
            return m;
        }).toList();
    }

    /** Accuracy per task family (rows) and setting (columns): where a model is good and where it guesses. */
    public static String familyTable(List<EvalResult> results) {
        java.util.LinkedHashSet<String> families = new java.util.LinkedHashSet<>();
        for (EvalResult r : results) families.addAll(r.accuracyByFamily().keySet());
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-18s", "accuracy by family"));
        for (EvalResult r : results) b.append(String.format(Locale.ROOT, " %14s", r.setting().name()));
        b.append('\n');
        for (String f : families) {
            b.append(String.format(Locale.ROOT, "%-18s", f));
            for (EvalResult r : results) b.append(String.format(Locale.ROOT, " %14s", num(r.accuracyByFamily().get(f), 3)));
            b.append('\n');
        }
        return b.toString();
    }

    /**
     * A terminal table, one row per setting, and a legend under it:
     * <pre>
     * setting            samples       accuracy  pass@k  any_correct@k  mean_len  reflection_ratio
     * pass@8_t1.0             32  0.125 ± 0.060   0.500          0.500      16.0             0.000
     * </pre>
     * accuracy is the share of all responses judged correct (pass@1) with its standard error over
     * questions; pass@k is the unbiased estimate for the setting's k. A NaN (undefined) value
     * prints as "-".
     */
    public static String table(List<EvalResult> results) {
        StringBuilder b = new StringBuilder();
        String head = "%-18s %7s %14s %7s %14s %9s %17s%n";
        b.append(String.format(Locale.ROOT, head, "setting", "samples", "accuracy", "pass@k", "any_correct@k", "mean_len", "reflection_ratio"));
        for (EvalResult r : results) {
            Map<String, Double> m = r.metrics().toMap();
            int k = r.setting().k();
            b.append(String.format(Locale.ROOT, head, r.setting().name(), r.nSamples(),
                    num(m.get("accuracy"), 3) + " ± " + num(r.accuracyStandardError(), 3), num(m.get("pass@" + k), 3),
                    num(m.get("any_correct@" + k), 3), num(m.get("mean_response_length"), 1), num(m.get("reflection_ratio"), 3)));
        }
        b.append(LEGEND);
        return b.toString();
    }

    /** What the table's columns mean, printed under it. */
    static final String LEGEND = """
            accuracy: share of all responses right (pass@1), ± its standard error over questions. pass@k: chance
            that at least one of k samples is right, estimated from all n drawn per question. any_correct@k: a right
            answer among the first k drawn (equal to pass@k when n = k; noisier when n > k). mean_len: tokens.
            """;

    private static String num(Double v, int decimals) {
        return v == null || v.isNaN() ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
