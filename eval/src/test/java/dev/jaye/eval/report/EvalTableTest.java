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
        assertTrue(md.contains("| val | pass@1_t0.6 | 0.4500 | 0.3000 | 0.6000 | 0.3500 | 0.7000 |"), md);
        assertTrue(md.contains("| test | pass@1_t0.6 | n/a | n/a | 0.3300 | n/a | 0.3300 |"), md);
        String csv = EvalTable.csv(rows);
        assertTrue(csv.startsWith("split,setting,vanilla,sft_mean,rl_mean,sft_max,rl_max,sft_seeds,rl_seeds\n"), csv);
        assertTrue(csv.contains("val,pass@1_t0.6,0.450000,0.300000,0.600000,0.350000,0.700000,2,2\n"), csv);
        assertTrue(csv.contains("test,pass@1_t0.6,,,0.330000,,0.330000,0,1\n"), csv);
    }
}
