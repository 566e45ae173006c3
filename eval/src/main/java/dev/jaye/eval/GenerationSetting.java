// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval;

import dev.jaye.models.generate.Generator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One way of sampling answers for evaluation: {@code n} responses per question at
 * {@code temperature} / {@code topP}, scored as pass@{@code k}.
 *
 * <p>The method's three settings (docs/method.md, "The evaluation scheme") are in
 * {@link #methodDefaults} and nowhere else:
 * <pre>
 *   pass@8_t1.0    8 samples, T 1.0,  top-p 1.0     the upper bound: can the model find it at all?
 *   pass@1_t0.6    1 sample,  T 0.6,  top-p 1.0     a typical sampled answer
 *   pass@1_t0.01   1 sample,  T 0.01, top-p 0.001   near greedy: the model's single best answer
 * </pre>
 * The name is derived from k and the temperature, so a results file says what was run, and the
 * name also salts the row seeds (see {@link Evaluator#rowSeed}).
 */
public record GenerationSetting(String name, int n, int k, double temperature, double topP, int maxTokens) {
    public GenerationSetting {
        if (n < 1) throw new IllegalArgumentException("n must be >= 1, got " + n);
        if (k < 1 || k > n) throw new IllegalArgumentException("k must be in [1, n=" + n + "], got " + k);
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a setting needs a name");
        Generator.Settings.sampling(temperature, topP, maxTokens, 0);   // the same range checks as the generator
    }

    /** The default name: {@code pass@k_t<temperature>}, e.g. {@code pass@8_t1.0}. */
    /**
     * The evaluation defaults every command shares (jaye eval, generate, and the trainers' and
     * experiments' shipped configs): responses of at most 96 tokens, {@code <eos>} included (the
     * tasks' gold solutions are under 80), and 32 questions per generation call.
     */
    public static final int DEFAULT_MAX_TOKENS = 96, DEFAULT_BATCH_SIZE = 32;

    public static String nameOf(int k, double temperature) {
        return "pass@" + k + "_t" + trim(temperature);
    }

    /** pass@k from k samples at the given temperature and top-p. */
    public static GenerationSetting of(int k, double temperature, double topP, int maxTokens) {
        return new GenerationSetting(nameOf(k, temperature), k, k, temperature, topP, maxTokens);
    }

    /** The method's three settings, in its order. */
    public static List<GenerationSetting> methodDefaults(int maxTokens) {
        return List.of(of(8, 1.0, 1.0, maxTokens), of(1, 0.6, 1.0, maxTokens), of(1, 0.01, 0.001, maxTokens));
    }

    /**
     * "all" (the method's three) or a comma-separated list of their names, each optionally with
     * {@code _nN}: the same setting with N samples per question, so pass@k is estimated from N
     * draws (e.g. {@code pass@1_t0.6_n4}: four answers per question at T 0.6, a quarter of the
     * variance of one; it needs N >= k).
     */
    public static List<GenerationSetting> parse(String spec, int maxTokens) {
        List<GenerationSetting> all = methodDefaults(maxTokens);
        if (spec == null || spec.isBlank() || spec.strip().equalsIgnoreCase("all")) return all;
        List<GenerationSetting> out = new ArrayList<>();
        for (String part : spec.split(",")) {
            String want = part.strip();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(.*)_n(\\d+)").matcher(want);
            String base = m.matches() ? m.group(1) : want;
            GenerationSetting s = all.stream().filter(g -> g.name().equalsIgnoreCase(base)).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("unknown setting '" + want + "' (settings: all, "
                            + String.join(", ", all.stream().map(GenerationSetting::name).toList()) + ", each optionally with _nN samples)"));
            if (m.matches()) {
                int n = Integer.parseInt(m.group(2));
                if (n < s.k()) throw new IllegalArgumentException("setting '" + want + "': " + n + " samples cannot give pass@" + s.k());
                s = new GenerationSetting(want, n, s.k(), s.temperature(), s.topP(), s.maxTokens());
            }
            if (!out.contains(s)) out.add(s);
        }
        return out;
    }

    /** The generator settings for one call; the row seeds are passed separately. */
    public Generator.Settings generatorSettings() {
        return Generator.Settings.sampling(temperature, topP, maxTokens, 0);
    }

    /** The k values to report: 1 always (the per-answer accuracy), and k. */
    public int[] ks() {
        return k == 1 ? new int[]{1} : new int[]{1, k};
    }

    public GenerationSetting withMaxTokens(int m) {
        return new GenerationSetting(name, n, k, temperature, topP, m);
    }

    /** 1.0 -> "1.0", 0.6 -> "0.6", 0.01 -> "0.01": the shortest form that reads back the same. */
    private static String trim(double v) {
        String s = Double.toString(v);
        return s.contains("E") ? String.format(Locale.ROOT, "%.6f", v).replaceAll("0+$", "") : s;
    }
}
