// SPDX-License-Identifier: Apache-2.0
package dev.jaye.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jaye.autograd.ops.BasicOpCases;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Every basic op's backward against finite differences ({@link GradCheck}), on random shapes
 * and values drawn by its {@link OpCase}. One property per op family: each try picks an op of
 * the family and a seed. The whole class runs in a few seconds: the inputs are small (at most
 * {@link BasicOpCases#MAX_SIZE} elements), which is all a backward's indexing needs to be tested.
 */
class BasicOpsGradTest {

    private static final Map<String, OpCase> BY_NAME =
            BasicOpCases.all().stream().collect(Collectors.toMap(OpCase::name, Function.identity()));

    private static void check(String name, long seed) {
        GradCheck.Result r = BY_NAME.get(name).check(seed);
        assertTrue(r.ok(), () -> r + " (seed " + seed + ")");
    }

    private static Arbitrary<String> names(List<OpCase> family) {
        return Arbitraries.of(family.stream().map(OpCase::name).toList());
    }

    @Provide Arbitrary<String> arith() { return names(BasicOpCases.arith()); }
    @Provide Arbitrary<String> pointwise() { return names(BasicOpCases.pointwise()); }
    @Provide Arbitrary<String> reductions() { return names(BasicOpCases.reductions()); }
    @Provide Arbitrary<String> shapeOps() { return names(BasicOpCases.shapeOps()); }
    @Provide Arbitrary<String> composite() { return names(BasicOpCases.composite()); }

    @Property(tries = 300, seed = "42")
    void arithmetic(@ForAll("arith") String op, @ForAll long seed) {
        check(op, seed);
    }

    @Property(tries = 300, seed = "42")
    void pointwiseFunctions(@ForAll("pointwise") String op, @ForAll long seed) {
        check(op, seed);
    }

    @Property(tries = 300, seed = "42")
    void reductionsAlongAnAxis(@ForAll("reductions") String op, @ForAll long seed) {
        check(op, seed);
    }

    @Property(tries = 400, seed = "42")
    void shapeOperations(@ForAll("shapeOps") String op, @ForAll long seed) {
        check(op, seed);
    }

    @Property(tries = 100, seed = "42")
    void compositeExpressions(@ForAll("composite") String op, @ForAll long seed) {
        check(op, seed);
    }

    /** Random choice may skip a case in a property; here every case runs on a few fixed seeds. */
    @Test
    void everyCaseOnFixedSeeds() {
        for (OpCase c : BasicOpCases.all())
            for (long seed = 1; seed <= 3; seed++) check(c.name(), seed);
    }

    @Test
    void caseNamesAreUniqueAndFamiliesCoverAll() {
        List<OpCase> all = BasicOpCases.all();
        Set<String> names = new HashSet<>();
        for (OpCase c : all) assertTrue(names.add(c.name()), "duplicate case name " + c.name());
        assertEquals(all.size(), BasicOpCases.arith().size() + BasicOpCases.pointwise().size()
                + BasicOpCases.reductions().size() + BasicOpCases.shapeOps().size() + BasicOpCases.composite().size());
    }
}
