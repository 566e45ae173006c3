// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Creation, shape ops and their errors. Shape ops move data exactly, so equality is exact. */
class TensorTest {

    /** A random shape of rank 1-4 with dimensions 1-7, and a random permutation of its axes. */
    @Provide
    Arbitrary<int[][]> shapeAndPerm() {
        return Arbitraries.integers().between(1, 4).flatMap(r -> Combinators.combine(
                Arbitraries.integers().between(1, 7).array(int[].class).ofSize(r),
                Arbitraries.shuffle(range(r))).as((s, p) -> new int[][]{s, p.stream().mapToInt(Integer::intValue).toArray()}));
    }

    private static List<Integer> range(int n) {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < n; i++) l.add(i);
        return l;
    }

    private static Tensor numbered(int... shape) {
        return Tensor.arange(Shape.size(shape)).reshape(shape);
    }

    @Property(tries = 200, seed = "42")
    void permuteThenInversePermuteRoundTrips(@ForAll("shapeAndPerm") int[][] sp) {
        int[] shape = sp[0], perm = sp[1], inv = new int[perm.length];
        for (int i = 0; i < perm.length; i++) inv[perm[i]] = i;
        Tensor x = numbered(shape), y = x.permute(perm);
        for (int i = 0; i < perm.length; i++) assertEquals(shape[perm[i]], y.dim(i));
        Tensor back = y.permute(inv);
        assertArrayEquals(shape, back.shape());
        assertArrayEquals(x.data(), back.data());
    }

    @Property(tries = 200, seed = "42")
    void permuteMovesEachElementToItsPermutedIndex(@ForAll("shapeAndPerm") int[][] sp) {
        int[] shape = sp[0], perm = sp[1];
        Tensor x = numbered(shape), y = x.permute(perm);
        int[] idx = new int[shape.length], out = new int[shape.length];
        for (int n = 0; n < x.size(); n++) {
            for (int i = 0; i < perm.length; i++) out[i] = idx[perm[i]];
            assertEquals(x.get(idx), y.get(out));
            for (int i = shape.length - 1; i >= 0 && ++idx[i] == shape[i]; i--) idx[i] = 0;
        }
    }

    @Property(tries = 200, seed = "42")
    void splitThenConcatRoundTrips(@ForAll("shapeAndPerm") int[][] sp, @ForAll @IntRange(min = 0, max = 3) int axisSeed,
                                   @ForAll long seed) {
        int[] shape = sp[0];
        int axis = axisSeed % shape.length, n = shape[axis];
        Rng r = new Rng(seed);
        List<Integer> sizes = new ArrayList<>();
        for (int left = n; left > 0; ) {
            int s = 1 + r.nextInt(left);
            sizes.add(s);
            left -= s;
        }
        Collections.shuffle(sizes, new java.util.Random(seed));
        Tensor x = numbered(shape);
        Tensor[] parts = x.split(axis, sizes.stream().mapToInt(Integer::intValue).toArray());
        Tensor back = Tensor.concat(axis, parts);
        assertArrayEquals(shape, back.shape());
        assertArrayEquals(x.data(), back.data());
    }

    @Property(tries = 100, seed = "42")
    void stackThenSliceGivesBackEachInput(@ForAll("shapeAndPerm") int[][] sp, @ForAll @IntRange(min = 0, max = 4) int axisSeed) {
        int[] shape = sp[0];
        int axis = axisSeed % (shape.length + 1);
        Tensor a = numbered(shape), b = a.mul(-1f), s = Tensor.stack(axis, a, b);
        assertEquals(2, s.dim(axis));
        assertArrayEquals(a.data(), s.slice(axis, 0, 1).data());
        assertArrayEquals(b.data(), s.slice(axis, 1, 2).data());
    }

    @Test
    void nonFiniteValuesAreCounted() {
        Tensor t = Tensor.of(new float[]{1, Float.NaN, 2, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, Float.MAX_VALUE}, 7);
        org.junit.jupiter.api.Assertions.assertEquals(3, t.nonFiniteCount());
        org.junit.jupiter.api.Assertions.assertEquals(0, Tensor.zeros(3).nonFiniteCount());
    }

    @Test
    void creation() {
        assertArrayEquals(new float[]{0, 1, 2, 3}, Tensor.arange(4).data());
        assertArrayEquals(new float[]{1, 1.5f, 2, 2.5f}, Tensor.arange(1, 3, 0.5f).data());
        assertArrayEquals(new float[]{7, 7, 7, 7, 7, 7}, Tensor.full(7, 2, 3).data());
        assertArrayEquals(new float[]{1, 1}, Tensor.ones(2).data());
        assertEquals(0, Tensor.zeros(3, 0).size());
        assertEquals(3.5f, Tensor.scalar(3.5f).item());
        float[] src = {1, 2};
        Tensor copied = Tensor.of(src, 2), wrapped = Tensor.wrap(src, 2);
        src[0] = 9;
        assertEquals(1f, copied.get(0));
        assertEquals(9f, wrapped.get(0));
    }

    @Test
    void randomTensorsAreReproducibleFromTheSeed() {
        assertArrayEquals(Tensor.randn(new Rng(7), 1f, 50).data(), Tensor.randn(new Rng(7), 1f, 50).data());
        assertArrayEquals(Tensor.rand(new Rng(7), -1, 1, 50).data(), Tensor.rand(new Rng(7), -1, 1, 50).data());
        Rng parent = new Rng(7);
        Rng child = parent.split();
        assertTrue(child.nextLong() != parent.nextLong(), "split streams differ");
        float[] u = Tensor.rand(new Rng(3), -2, 5, 1000).data();
        for (float v : u) assertTrue(v >= -2 && v < 5, "uniform in [-2, 5): " + v);
        double mean = 0, sq = 0;
        float[] g = Tensor.randn(new Rng(3), 1f, 20000).data();
        for (float v : g) { mean += v; sq += v * v; }
        mean /= g.length;
        assertEquals(0, mean, 0.05);
        assertEquals(1, sq / g.length, 0.05);
    }

    @Test
    void reshapeSharesStorageAndInfersOneDimension() {
        Tensor x = numbered(2, 3, 4), y = x.reshape(6, -1);
        assertArrayEquals(new int[]{6, 4}, y.shape());
        assertSame(x.data(), y.data());
        assertArrayEquals(new int[]{24}, x.view(-1).shape());
    }

    @Test
    void sliceConcatExpandIndexGatherWhere() {
        Tensor x = numbered(2, 3);                                            // [[0,1,2],[3,4,5]]
        assertArrayEquals(new float[]{1, 2, 4, 5}, x.slice(1, 1, 3).data());
        assertArrayEquals(new float[]{3, 4, 5}, x.slice(0, 1, 2).data());
        assertArrayEquals(new float[]{0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5}, Tensor.concat(1, x, x).data());
        assertArrayEquals(new float[]{0, 1, 2, 0, 1, 2}, Tensor.arange(3).expand(2, 3).data());
        assertArrayEquals(new float[]{0, 0, 1, 1}, Tensor.arange(2).reshape(2, 1).expand(2, 2).data());
        assertArrayEquals(new float[]{3, 4, 5, 0, 1, 2, 3, 4, 5}, x.indexSelect(0, 1, 0, 1).data());
        assertArrayEquals(new float[]{2, 0, 5, 3}, x.indexSelect(1, 2, 0).data());
        assertArrayEquals(new float[]{2, 0, 4, 4}, x.gather(1, 2, 0, 1, 1).data());   // rows pick [2,0] and [1,1]
        Tensor mask = Tensor.of(new float[]{1, 0, 1}, 3);
        assertArrayEquals(new float[]{-1, 1, -1, -1, 4, -1}, x.maskedFill(mask, -1).data());
        assertArrayEquals(new float[]{0, 10, 2, 3, 10, 5},
                Tensor.where(Tensor.of(new float[]{1, 0, 1}, 3), x, Tensor.scalar(10)).data());
        assertArrayEquals(new float[]{0, 3, 1, 4, 2, 5}, x.transpose(0, 1).data());
    }

    @Test
    void errorsNameTheShapesAndAxes() {
        Tensor x = Tensor.zeros(2, 3);
        assertMessage(() -> x.reshape(4, 2), "[2, 3]", "[4, 2]");
        assertMessage(() -> x.sum(2, false), "axis 2", "[2, 3]");
        assertMessage(() -> x.add(Tensor.zeros(4)), "[2, 3]", "[4]");
        assertMessage(() -> x.matmul(Tensor.zeros(2, 3)), "[2, 3]", "[2, 3]");
        assertMessage(() -> Tensor.concat(0, x, Tensor.zeros(2, 4)), "[2, 4]", "[2, 3]");
        assertMessage(() -> x.split(1, 1, 1), "[2, 3]");
        assertMessage(() -> x.permute(0, 0), "repeats axis 0");
        assertMessage(() -> x.slice(1, 2, 5), "[2, 3]");
        assertMessage(() -> x.expand(3, 3), "[2, 3]", "[3, 3]");
        assertMessage(() -> x.indexSelect(0, 2), "index 2", "[2, 3]");
        assertMessage(() -> Tensor.wrap(new float[5], 2, 3), "5", "[2, 3]");
        assertMessage(() -> x.layerNorm(Tensor.ones(2), null, 1e-5f), "[2]", "[2, 3]");
    }

    private static void assertMessage(Runnable r, String... parts) {
        RuntimeException e = assertThrows(RuntimeException.class, r::run);
        for (String p : parts) assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' should name " + p);
    }

    @Test
    void matmulOverBatchesAndTransposedForms() {
        Tensor a = Tensor.randn(new Rng(1), 1, 3, 4, 5), b = Tensor.randn(new Rng(2), 1, 3, 5, 6);
        Tensor c = a.matmul(b);
        assertArrayEquals(new int[]{3, 4, 6}, c.shape());
        Tensor viaTransposes = Tensor.matmul(a.transpose(1, 2), b.transpose(1, 2), true, true);
        Check.close("Aᵀᵀ·Bᵀᵀ = A·B", c.data(), viaTransposes.data(), 1e-5f, 1e-5f);
        Tensor w = Tensor.randn(new Rng(3), 1, 6, 5);                         // weights [out, in]
        Check.close("x·Wᵀ against x·(Wᵀ)", a.matmul(w.transpose(0, 1)).data(), Tensor.matmul(a, w, false, true).data(), 1e-5f, 1e-5f);
    }

    @Test
    void toStringShowsShapeAndSummary() {
        String s = Tensor.arange(10).reshape(2, 5).toString();
        assertTrue(s.startsWith("Tensor[2, 5]"), s);
        assertTrue(s.contains("mean=4.5") && s.contains("min=0") && s.contains("max=9"), s);
    }
}
