// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.loop;

import dev.jaye.eval.data.Sample;
import dev.jaye.tensor.Tensor;

/**
 * Step I's output for one query: the sample (with its reference answer, for the rewards), its
 * image as a normalised pixel tensor [3, S, S], and the prompt's token ids with the image slots
 * filled by {@code <image>} placeholders. The ids are kept so that step III can join them to the
 * responses.
 *
 * @param index the query's position in the training split (its id in logs and token dumps)
 */
public record Query(int index, Sample sample, Tensor pixels, int[] promptIds) {}
