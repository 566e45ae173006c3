// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD switch, read once at start-up.
 *
 * <p>{@code -Djaye.simd=false} runs every kernel on its scalar reference, so any run can be
 * repeated on the definition. The species is {@code SPECIES_PREFERRED} and is held in a
 * {@code static final} field: a species the JIT cannot constant-fold makes Vector API code ~30x
 * slower (docs/performance.md), and a hard-coded 512-bit species falls off a cliff on AVX2.
 */
public final class Simd {
    private Simd() {}

    /** The float species of this CPU (16 lanes with AVX-512, 8 with AVX2, 4 with NEON). */
    public static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    /** False when {@code -Djaye.simd=false}: kernels dispatch to their scalar reference. */
    public static final boolean ENABLED = Boolean.parseBoolean(System.getProperty("jaye.simd", "true"))
            && F.length() > 1;

    /** One line for logs and benchmarks: what the kernels run on. */
    public static String describe() {
        return ENABLED ? "Vector API, " + F.vectorBitSize() + "-bit (" + F.length() + " floats), gemm "
                + MatMul.MR + "x" + MatMul.NR : "scalar reference kernels (-Djaye.simd=false)";
    }
}
