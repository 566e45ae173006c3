// SPDX-License-Identifier: Apache-2.0
/**
 * Answer judging: the rules behind the accuracy and language rewards.
 *
 * <p>{@link dev.jaye.eval.judge.AnswerExtractor} finds the final answer (the last
 * {@code \boxed{}}, with a documented fallback), {@link dev.jaye.eval.judge.NumericJudge}
 * compares it with the reference (numbers within a tolerance, else normalised strings), and
 * {@link dev.jaye.eval.judge.LanguageCheck} tells whether a response stayed in its language.
 * Each class lists the exact forms it accepts; the tests hold an example of each.
 */
package dev.jaye.eval.judge;
