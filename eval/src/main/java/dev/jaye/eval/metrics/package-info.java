// SPDX-License-Identifier: Apache-2.0
/**
 * The metrics of the evaluation scheme, one implementation for the evaluator and the trainers.
 *
 * <p>{@link dev.jaye.eval.metrics.PassAtK} (the unbiased estimator),
 * {@link dev.jaye.eval.metrics.Reflection} (the 15 words and five ratios),
 * {@link dev.jaye.eval.metrics.ResponseStats} (length, accuracy), and
 * {@link dev.jaye.eval.metrics.Metrics}, which combines them under the keys every log uses.
 */
package dev.jaye.eval.metrics;
