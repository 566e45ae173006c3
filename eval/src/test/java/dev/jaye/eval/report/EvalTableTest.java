// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.report;

import dev.jaye.eval.metrics.JsonLines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The table's rule on two hand-made seeds whose epochs differ, so every wrong rule gives another number. */
class EvalTableTest {
    @TempDir
    Path dir;

    private void evals(Path file, double[][] epochAccuracy) throws Exception {
        for (double[] ea : epochAccuracy) JsonLines.append(file, ExperimentFixture.eval(ea[0], "val", "pass@1_t0.6", ea[1]));
    }

    @Test
    void meanAndMaxOverEpochsAfterTheStartThenOverSeeds() throws Exception {
        JsonLines.append(dir.resolve("vanilla/eval.jsonl"), ExperimentFixture.eval(0, "val", "pass@1_t0.6", 0.45));
        // RL seed 0: epochs 1, 2 -> mean 0.7, max 0.8. Seed 1: epochs 1, 2, 3 -> mean 0.5, max 0.6; its start (0.9)
        // is the highest value of all and must not count. Rule: mean 0.6, max 0.7. Pooling all points instead
        // would give mean 0.58 and max 0.8; counting the start, mean 0.6167 and max 0.85.
        evals(dir.resolve("rl/seed-0/metrics.jsonl"), new double[][]{{0, 0.5}, {1, 0.6}, {2, 0.8}});
        evals(dir.resolve("rl/seed-1/metrics.jsonl"), new double[][]{{0, 0.9}, {1, 0.4}, {2, 0.6}, {3, 0.5}});
        // SFT: seed 0 -> mean 0.4, max 0.5; seed 1 -> mean 0.2, max 0.2; a resumed run's repeated epoch 2 counts once
        evals(dir.resolve("sft/seed-0/metrics.jsonl"), new double[][]{{1, 0.3}, {2, 0.5}});
        evals(dir.resolve("sft/seed-1/metrics.jsonl"), new double[][]{{1, 0.2}, {2, 0.7}, {2, 0.2}});
        JsonLines.append(dir.resolve("rl/seed-0/metrics.jsonl"), ExperimentFixture.eval(1.0, "test", "pass@1_t0.6", 0.33));

        List<EvalTable.Row> rows = EvalTable.rows(Experiment.load(dir));
        assertEquals(2, rows.size());
        EvalTable.Row val = rows.get(0);
        assertEquals(new Experiment.EvalKey("val", "pass@1_t0.6"), val.key());
        assertEquals(0.45, val.vanilla(), 1e-12);
        assertEquals(0.6, val.rl().mean(), 1e-12);
        assertEquals(0.7, val.rl().max(), 1e-12);
        assertEquals(2, val.rl().seeds());
        assertEquals(0.3, val.sft().mean(), 1e-12);
        assertEquals(0.35, val.sft().max(), 1e-12);

        EvalTable.Row test = rows.get(1);                       // only one RL seed, no SFT, no vanilla there
        assertEquals(0.33, test.rl().mean(), 1e-12);
        assertEquals(1, test.rl().seeds());
        assertTrue(Double.isNaN(test.sft().mean()) && Double.isNaN(test.vanilla()));

        String md = EvalTable.markdown(rows);
        // SEs over 2 seeds: sample std / sqrt(2). RL means 0.7, 0.5 -> 0.1; maxes 0.8, 0.6 -> 0.1; SFT means 0.4, 0.2
        // -> 0.1; maxes 0.5, 0.2 -> 0.15. RL - SFT 0.3, with no per-question counts in these lines: no paired SE.
        assertEquals(0.1, val.rl().meanSe(), 1e-12);
        assertEquals(0.15, val.sft().maxSe(), 1e-12);
        assertEquals(0.3, val.difference(), 1e-12);
        assertTrue(Double.isNaN(val.differenceSe()));
        // Percent and points; RL - vanilla 0.6 - 0.45 with no SE for vanilla here, so none for the difference.
        assertTrue(md.contains("| val | pass@1_t0.6 | 45.0 | 30.0 ± 10.0 | 60.0 ± 10.0 | 35.0 ± 15.0 | 70.0 ± 10.0 | +30.0 | +15.0 |"), md);
        assertTrue(md.contains("| test | pass@1_t0.6 | n/a | n/a | 33.0 | n/a | 33.0 | n/a | n/a |"), md);
        String csv = EvalTable.csv(rows);
        assertTrue(csv.startsWith("split,setting,vanilla,vanilla_se,sft_mean,sft_mean_se,rl_mean,rl_mean_se,sft_max,sft_max_se,"
                + "rl_max,rl_max_se,rl_minus_sft,rl_minus_sft_se,rl_minus_vanilla,rl_minus_vanilla_se,sft_seeds,rl_seeds\n"), csv);
        assertTrue(csv.contains("val,pass@1_t0.6,0.450000,,0.300000,0.100000,0.600000,0.100000,0.350000,0.150000,0.700000,0.100000,0.300000,,0.150000,,2,2\n"), csv);
        assertTrue(csv.contains("test,pass@1_t0.6,,,,,0.330000,,,,0.330000,,,,,,0,1\n"), csv);
    }

    private static java.util.Map<String, Object> counted(double epoch, int n, int... right) {
        return counted("val", epoch, n, right);
    }

    private static java.util.Map<String, Object> counted(String split, double epoch, int n, int... right) {
        java.util.Map<String, Object> m = ExperimentFixture.eval(epoch, split, "pass@1_t0.6",
                java.util.Arrays.stream(right).sum() / (double) (n * right.length));
        m.put("n", n);
        m.put("accuracy_se", 0.05);
        m.put("right_per_question", java.util.Arrays.stream(right).boxed().toList());
        return m;
    }

    @Test
    void oneSeedPerArmIsComparedQuestionByQuestion() throws Exception {
        // 4 questions, 2 responses each. RL: epoch 1 right 2,1,0,2 and epoch 2 right 2,2,0,1 -> per question 1, .75,
        // 0, .75 (mean .625); its start (epoch 0) does not count. SFT: epoch 1 right 1,1,0,2 -> .5, .5, 0, 1 (.5).
        // Differences .5, .25, 0, -.25: mean .125, sample std sqrt(.3125 / 3), SE that / 2 = 0.161374.
        // With one seed an arm's SE is over questions: RL's sqrt(.5625 / 3) / 2 = 0.216506; its max's is the line's.
        Path rl = dir.resolve("rl/seed-0/metrics.jsonl"), sft = dir.resolve("sft/seed-0/metrics.jsonl");
        JsonLines.append(rl, counted(0, 2, 0, 0, 0, 0));
        JsonLines.append(rl, counted(1, 2, 2, 1, 0, 2));
        JsonLines.append(rl, counted(2, 2, 2, 2, 0, 1));
        JsonLines.append(sft, counted(1, 2, 1, 1, 0, 2));
        JsonLines.append(dir.resolve("vanilla/eval.jsonl"), counted(0, 2, 1, 1, 1, 1));
        EvalTable.Row row = EvalTable.rows(Experiment.load(dir)).get(0);
        assertEquals(0.625, row.rl().mean(), 1e-12);
        assertEquals(0.125, row.difference(), 1e-12);
        assertEquals(Math.sqrt(0.3125 / 3) / 2, row.differenceSe(), 1e-12);
        assertEquals(Math.sqrt(0.5625 / 3) / 2, row.rl().meanSe(), 1e-12);
        assertEquals(0.05, row.rl().maxSe(), 1e-12);
        assertTrue(EvalTable.markdown(List.of(row)).contains("| +12.5 ± 16.1 |"), EvalTable.markdown(List.of(row)));
        // RL - vanilla, paired: vanilla .5 on every question, so differences .5, .25, -.5, .25: mean .125, SE sqrt(.5625 / 3) / 2.
        assertEquals(0.125, row.rlGain().value(), 1e-12);
        assertEquals(Math.sqrt(0.5625 / 3) / 2, row.rlGain().se(), 1e-12);
        assertTrue(row.rlGain().paired());
        assertEquals(0.0, row.sftGain().value(), 1e-12);
        String text = EvalTable.text(List.of(row));
        assertTrue(text.contains("62.5 ± 21.7") && text.contains("+12.5 ± 16.1 (0.8 SE)") && text.contains("+12.5 ± 21.7 (0.6 SE)"), text);

        // an SFT evaluation of other questions (a different limit) cannot be paired: the SE is n/a, the difference stays
        JsonLines.append(sft, counted(2, 2, 1, 1, 0));
        EvalTable.Row mixed = EvalTable.rows(Experiment.load(dir)).get(0);
        assertTrue(Double.isNaN(mixed.differenceSe()));
        assertTrue(Double.isFinite(mixed.difference()));
    }

    /**
     * Under a pass@k setting the table shows pass@k (one of k answers right), not the share of
     * right answers. 4 questions, n = k = 2 answers each: a question scores 1 when one of its two
     * answers is right. RL right 2, 1, 0, 1 (share .5, pass@2 .75), SFT 1, 0, 0, 2 (share .375,
     * pass@2 .5), vanilla 0, 1, 0, 0 (pass@2 .25, SE over questions sqrt(.75 / 3) / 2). RL - SFT
     * per question 0, 1, 0, 0: +.25, SE sqrt(.75 / 3) / 2; RL - vanilla 1, 0, 0, 1: +.5, SE sqrt(1 / 3) / 2.
     */
    @Test
    void aPassAtKSettingShowsPassAtKWithItsPairedStandardErrors() throws Exception {
        Path rl = dir.resolve("rl/seed-0/metrics.jsonl"), sft = dir.resolve("sft/seed-0/metrics.jsonl");
        JsonLines.append(rl, atK(1, 2, 1, 0, 1));
        JsonLines.append(sft, atK(1, 1, 0, 0, 2));
        JsonLines.append(dir.resolve("vanilla/eval.jsonl"), atK(0, 0, 1, 0, 0));
        EvalTable.Row row = EvalTable.rows(Experiment.load(dir)).get(0);
        assertEquals("pass@2_t1.0", row.key().setting());
        assertEquals(0.75, row.rl().mean(), 1e-12);
        assertEquals(0.5, row.sft().mean(), 1e-12);
        assertEquals(0.25, row.vanilla(), 1e-12);
        assertEquals(Math.sqrt(0.75 / 3) / 2, row.vanillaSe(), 1e-12);
        assertEquals(0.25, row.difference(), 1e-12);
        assertEquals(Math.sqrt(0.75 / 3) / 2, row.differenceSe(), 1e-12);
        assertEquals(0.5, row.rlGain().value(), 1e-12);
        assertEquals(Math.sqrt(1.0 / 3) / 2, row.rlGain().se(), 1e-12);
    }

    /** An evaluation line of the pass@2 setting at T 1.0 as the evaluator writes it: share of right answers and pass@2. */
    private static java.util.Map<String, Object> atK(double epoch, int... right) {
        java.util.Map<String, Object> m = ExperimentFixture.eval(epoch, "val", "pass@2_t1.0",
                java.util.Arrays.stream(right).sum() / (double) (2 * right.length));
        m.put("n", 2);
        m.put("k", 2);
        m.put("pass@2", java.util.Arrays.stream(right).filter(r -> r > 0).count() / (double) right.length);
        m.put("accuracy_se", 0.05);
        m.put("right_per_question", java.util.Arrays.stream(right).boxed().toList());
        return m;
    }

    private static java.util.Map<String, Object> families(double epoch, double a, double b) {
        java.util.Map<String, Object> m = ExperimentFixture.eval(epoch, "val", "pass@1_t0.6", (a + b) / 2);
        m.put("accuracy/a", a);
        m.put("accuracy/b", b);
        return m;
    }

    @Test
    void theFamilyTableUsesTheSameRulePerFamily() throws Exception {
        JsonLines.append(dir.resolve("vanilla/eval.jsonl"), families(0, 0.5, 0.1));
        JsonLines.append(dir.resolve("rl/seed-0/metrics.jsonl"), families(0, 0.5, 0.1));      // the start: not counted
        JsonLines.append(dir.resolve("rl/seed-0/metrics.jsonl"), families(1, 0.6, 0.2));
        JsonLines.append(dir.resolve("rl/seed-0/metrics.jsonl"), families(2, 0.8, 0.0));
        JsonLines.append(dir.resolve("sft/seed-0/metrics.jsonl"), families(1, 0.4, 0.3));
        // a pass@8 evaluation's families hold the share of right answers, not pass@8: no family rows for it
        java.util.Map<String, Object> at8 = families(1, 0.6, 0.2);
        at8.put("setting", "pass@8_t1.0");
        JsonLines.append(dir.resolve("rl/seed-0/metrics.jsonl"), at8);
        List<FamilyTable.Row> rows = FamilyTable.rows(Experiment.load(dir));
        assertEquals(2, rows.size());
        assertTrue(rows.stream().allMatch(r -> r.key().setting().equals("pass@1_t0.6")));
        assertEquals("a", rows.get(0).family());
        assertEquals(0.7, rows.get(0).rl(), 1e-12);                   // (0.6 + 0.8) / 2
        assertEquals(0.1, rows.get(1).rl(), 1e-12);
        assertEquals(0.3, rows.get(1).sft(), 1e-12);
        assertEquals(0.1, rows.get(1).vanilla(), 1e-12);
        String md = FamilyTable.markdown(rows);
        assertTrue(md.contains("| val | pass@1_t0.6 | b | 10.0 | 30.0 | 10.0 | -20.0 |"), md);
    }

    @Test
    void findingThreeCountsWhatTheTableRowsSayBeyondTheirStandardErrors() throws Exception {
        // test_ood, 4 questions, 2 responses each. Vanilla .5 on each. SFT 0, 0, 0, .5: SFT - vanilla -.375 ± .125
        // (-3 SE, below). RL 1, 1, 1, .5: RL - vanilla +.375 ± .125 (3 SE, not below); RL - SFT 1, 1, 1, 0: +.75 ± .25 (3 SE).
        JsonLines.append(dir.resolve("vanilla/eval.jsonl"), counted("test_ood", 0, 2, 1, 1, 1, 1));
        JsonLines.append(dir.resolve("sft/seed-0/metrics.jsonl"), counted("test_ood", 1, 2, 0, 0, 0, 1));
        JsonLines.append(dir.resolve("rl/seed-0/metrics.jsonl"), counted("test_ood", 1, 2, 2, 2, 2, 1));
        Findings.Finding f = Findings.outOfDistribution(EvalTable.rows(Experiment.load(dir)));
        assertTrue(f.statement().contains("in 1 setting: SFT fell more than 1 SE below vanilla in 1, RL in 0; RL was ahead of SFT by 2 SE or more in 1"),
                f.statement());
        assertEquals(List.of("pass@1_t0.6: vanilla 50.0 ± 5.0, SFT 12.5 ± 12.5 (1 seed), RL 87.5 ± 12.5 (1 seed); SFT - vanilla -37.5 ± 12.5 pts "
                + "(-3.0 SE, paired), RL - vanilla +37.5 ± 12.5 pts (3.0 SE, paired), RL - SFT +75.0 ± 25.0 pts (3.0 SE, paired)."), f.details());
    }

    @Test
    void anEvaluationBetweenEpochEndsDoesNotCount() throws Exception {
        // RL evaluated every half epoch (eval.every_steps), SFT at epoch ends: both means are over epochs 1 and 2 only.
        evals(dir.resolve("rl/seed-0/metrics.jsonl"), new double[][]{{0.5, 0.1}, {1, 0.6}, {1.5, 0.9}, {2, 0.8}});
        evals(dir.resolve("sft/seed-0/metrics.jsonl"), new double[][]{{1, 0.5}, {2, 0.7}});
        EvalTable.Row row = EvalTable.rows(Experiment.load(dir)).getFirst();
        assertEquals(0.7, row.rl().mean(), 1e-12);
        assertEquals(0.8, row.rl().max(), 1e-12, "the best epoch end, not the 0.9 between");
        // the last evaluation counts wherever it is (max_generation_steps ending a run between epoch ends); a run
        // shorter than an epoch keeps all it has
        java.util.NavigableMap<Double, Line> ended = new java.util.TreeMap<>();
        for (double e : new double[]{1, 1.5, 2, 2.34}) ended.put(e, new Line("m", 1, java.util.Map.of("epoch", e), java.util.Map.of()));
        assertEquals(java.util.List.of(1.0, 2.0, 2.34), java.util.List.copyOf(EvalTable.epochEnds(ended).keySet()));
        assertEquals(java.util.List.of(0.5), java.util.List.copyOf(EvalTable.epochEnds(new java.util.TreeMap<>(java.util.Map.of(0.5, new Line("m", 1, java.util.Map.of("epoch", 0.5), java.util.Map.of())))).keySet()));
    }
}
