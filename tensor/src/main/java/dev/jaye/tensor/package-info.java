// SPDX-License-Identifier: Apache-2.0
/**
 * The tensor library: dense float32 arrays, their shape ops, and the kernels that compute on them.
 *
 * <h2>Why every tensor is dense and row-major</h2>
 * A {@link dev.jaye.tensor.Tensor} is a {@code float[]} plus a shape, always contiguous, starting
 * at index 0; there are no strides and no views other than {@code reshape}. Shape ops that move
 * data ({@code permute}, {@code slice}, {@code expand}) copy. We chose this over strided views
 * because:
 * <ul>
 *   <li>every kernel then reads one layout, so each one is a plain loop over a flat array with a
 *       Vector API twin, which is what a reader can check against its scalar reference;</li>
 *   <li>SIMD loads want unit stride, so a strided view would be copied before the heavy work
 *       anyway, and the heavy work (matmul, attention) is O(n^1.5) against the copy's O(n);</li>
 *   <li>matmul reads transposed operands in place through its {@code transA}/{@code transB}
 *       forms, which removes the one transpose that would be costly to copy;</li>
 *   <li>autograd never has to reason about aliasing: apart from {@code reshape}, an output never
 *       shares storage with an input.</li>
 * </ul>
 *
 * <h2>Where things are</h2>
 * {@code Tensor} (creation, shape ops, the public op methods), {@code Shape} (shape arithmetic,
 * broadcasting), {@code Rng} (seeded, splittable randomness), {@code Parallel} (the fixed thread
 * pool), and {@code kernels/}: one class per op family, each with a scalar reference
 * ({@code ...Scalar}) that is the definition and a Vector API version that must agree with it.
 */
package dev.jaye.tensor;
