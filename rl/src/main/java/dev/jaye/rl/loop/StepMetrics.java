// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.loop;

import dev.jaye.eval.metrics.Metrics;
import dev.jaye.rl.algo.Scope;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One generation step's line of {@code metrics.jsonl}: rewards, the evaluator's response metrics
 * (accuracy, lengths, reflection counts and ratios: the same code and keys as jaye eval), the
 * update's statistics, the time spent in each of the four steps, and a diagnosis when the policy
 * loss is near zero (the first thing a puzzled user looks at).
 */
final class StepMetrics {
    private StepMetrics() {}

    static Map<String, Object> record(int generationStep, double epoch, List<Trajectory> batch, float[][] adv, boolean[] kept,
                                      PolicyUpdate.Stats s, RlConfig.Algorithm alg, double[] seconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("generation_step", generationStep);
        m.put("epoch", epoch);
        m.put("reward", batch.stream().mapToDouble(Trajectory::score).average().orElse(Double.NaN));
        for (String name : batch.get(0).rewards().keySet())
            m.put("reward/" + name, batch.stream().mapToDouble(t -> t.rewards().get(name)).average().orElse(Double.NaN));

        // The evaluator's metrics, grouped by query: accuracy is the training accuracy of this step.
        // Alongside, per group: whether its rewards differ at all (a group without spread gives
        // no signal), and whether its answers are all right or all wrong.
        List<List<Trajectory>> byQuery = new ArrayList<>();
        for (Trajectory t : batch) {
            if (t.group() == byQuery.size()) byQuery.add(new ArrayList<>());
            byQuery.get(t.group()).add(t);
        }
        List<List<Metrics.Sample>> groups = new ArrayList<>();
        int zeroSpread = 0, allRight = 0, allWrong = 0;
        for (List<Trajectory> g : byQuery) {
            groups.add(g.stream().map(t -> new Metrics.Sample(t.text(), t.length(), t.correct())).toList());
            double first = g.get(0).score();
            if (g.stream().allMatch(t -> t.score() == first)) zeroSpread++;
            long right = g.stream().filter(Trajectory::correct).count();
            if (right == g.size()) allRight++;
            if (right == 0) allWrong++;
        }
        Map<String, Double> shared = Metrics.of(groups).toMap();
        m.put("accuracy", shared.remove("accuracy"));
        m.put("finished_ratio", batch.stream().filter(Trajectory::finished).count() / (double) batch.size());

        m.put("zero_spread_groups", zeroSpread / (double) groups.size());
        m.put("all_correct_groups", allRight / (double) groups.size());
        m.put("all_wrong_groups", allWrong / (double) groups.size());
        m.put("dropped_groups", alg.dropZeroSpread() ? zeroSpread / (double) groups.size() : 0.0);   // drop_zero_spread

        double absAdv = 0, gap = 0;
        long tokens = 0;
        for (int i = 0; i < batch.size(); i++) {
            Trajectory t = batch.get(i);
            for (int j = 0; j < t.length(); j++) {
                absAdv += Math.abs(adv[i][j]);
                if (kept[i]) gap = Math.max(gap, Math.abs(t.rolloutLogProbs()[j] - t.oldLogProbs()[j]));  // a dropped row's were never computed
            }
            tokens += t.length();
        }
        m.put("advantage_abs_mean", absAdv / tokens);
        m.put("logprob_gap_max", gap);   // generation vs step III's recomputation: ~1e-6 by construction

        m.put("policy_loss", s.policyLoss());
        m.put("kl_loss", s.klLoss());
        m.put("kl", s.kl());
        m.put("entropy", s.entropy());
        m.put("ratio", s.ratio());
        m.put("clip_frac", s.clipFracLow() + s.clipFracHigh());
        m.put("clip_frac_low", s.clipFracLow());
        m.put("clip_frac_high", s.clipFracHigh());
        m.put("grad_norm", s.gradNorm());
        m.put("lr", s.lr());
        m.put("optimiser_steps", s.optimiserSteps());
        String why = diagnosis(s, zeroSpread, groups.size(), alg);
        if (why != null) m.put("diagnosis", why);

        double total = seconds[0] + seconds[1] + seconds[2] + seconds[3];
        m.put("time/data", seconds[0]);
        m.put("time/generate", seconds[1]);
        m.put("time/trajectory", seconds[2]);
        m.put("time/update", seconds[3]);
        m.put("time/step", total);
        m.put("tokens_per_s", tokens / total);
        m.put("generate_tokens_per_s", tokens / seconds[1]);
        m.putAll(shared);   // response lengths, reflection ratios, reflection_words/<word>
        return m;
    }

    /** Why the policy loss is near zero, when it is; null otherwise. */
    static String diagnosis(PolicyUpdate.Stats s, int zeroSpread, int groups, RlConfig.Algorithm alg) {
        if (Math.abs(s.policyLoss()) > 1e-3) return null;
        List<String> why = new ArrayList<>();
        // Zero-spread groups explain a loss near zero only under a group baseline (Estimator#groupBaseline).
        if (alg.estimatorKind().groupBaseline()) {
            if (zeroSpread == groups) why.add("every group's responses got the same reward, so every group-relative advantage is 0");
            else if (zeroSpread > 0) why.add(zeroSpread + " of " + groups + " groups have no reward spread (no signal from them)");
        }
        if (alg.scope() != Scope.NONE && !alg.keepMean())
            why.add("advantages are normalised to mean 0, so at ratio 1 the loss is ~0 by construction: learning shows in grad_norm, not in the loss");
        double clip = s.clipFracLow() + s.clipFracHigh();
        if (clip > 0.2) why.add(String.format(java.util.Locale.ROOT, "%.0f%% of tokens are clipped (low %.0f%%, high %.0f%%): their gradient is 0",
                100 * clip, 100 * s.clipFracLow(), 100 * s.clipFracHigh()));
        return why.isEmpty() ? "no obvious cause: small advantages (see advantage_abs_mean)" : String.join("; ", why);
    }
}
