// SPDX-License-Identifier: Apache-2.0
/**
 * Reports: run folders in, the evaluation scheme's evidence out (docs/method.md).
 *
 * <p>Reading: {@link dev.jaye.eval.report.MetricsFile} (strict JSON lines, errors name file and
 * line) into {@link dev.jaye.eval.report.Line}s, grouped per {@link dev.jaye.eval.report.Run}
 * and per {@link dev.jaye.eval.report.Experiment}. Numbers: {@link dev.jaye.eval.report.SeedStats}
 * (mean and sample std over seeds), {@link dev.jaye.eval.report.Pearson},
 * {@link dev.jaye.eval.report.EvalTable} (the mean / max table) and
 * {@link dev.jaye.eval.report.Findings} (the three findings, from the data). Output:
 * {@link dev.jaye.eval.report.Figures} chooses the figures, {@link dev.jaye.eval.report.Charts}
 * draws them (JFreeChart, headless), {@link dev.jaye.eval.report.Html} assembles one
 * self-contained page, and {@link dev.jaye.eval.report.Report#build} writes it all.
 */
package dev.jaye.eval.report;
