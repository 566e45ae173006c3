// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import dev.jaye.autograd.GradCheck;
import dev.jaye.autograd.GradCheckSuite;
import dev.jaye.autograd.OpCase;
import dev.jaye.tensor.Rng;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Every gradient in the library, verified: runs gradcheck for each differentiable op on random
 * shapes and values and prints one row per op.
 */
@Command(name = "gradcheck", mixinStandardHelpOptions = true,
        description = "Check every op's backward against finite differences on random shapes; exits 1 if any fails.")
final class GradcheckCommand implements Callable<Integer> {
    @Option(names = "--op", paramLabel = "OP", description = "Only this op (names as in the table).")
    String op;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "1", description = "Seed of the random shapes and values.")
    long seed;

    @Option(names = "--tries", paramLabel = "N", defaultValue = "10", description = "Random draws per op.")
    int tries;

    @Override
    public Integer call() {
        List<OpCase> cases = new ArrayList<>();
        for (OpCase c : GradCheckSuite.all()) if (op == null || c.name().equals(op)) cases.add(c);
        if (cases.isEmpty()) {
            Set<String> names = new LinkedHashSet<>();
            for (OpCase c : GradCheckSuite.all()) names.add(c.name());
            System.err.println("jaye gradcheck: no op named '" + op + "'. Ops: " + String.join(", ", names));
            return 2;
        }
        System.out.printf(Locale.ROOT, "%-24s %-40s %14s  %s%n", "op", "shapes tried (first, last)", "worst rel err", "result");
        int failed = 0;
        for (OpCase c : cases) {
            Rng seeds = new Rng(seed ^ c.name().hashCode());
            GradCheck.Result worst = null;
            String first = null, last = null;
            for (int t = 0; t < tries; t++) {
                GradCheck.Result r = c.check(seeds.nextLong());
                if (first == null) first = r.shapes();
                last = r.shapes();
                if (worst == null || !r.ok() && worst.ok() || r.ok() == worst.ok() && r.worstError() > worst.worstError()) worst = r;
            }
            boolean ok = worst.ok();
            if (!ok) failed++;
            String shapes = tries == 1 ? first : first + " .. " + last;
            if (shapes.length() > 40) shapes = shapes.substring(0, 37) + "...";
            System.out.printf(Locale.ROOT, "%-24s %-40s %14.2e  %s%n", c.name(), shapes, worst.worstError(),
                    ok ? "ok" : "FAIL: " + worst);
        }
        System.out.printf(Locale.ROOT, "%d ops, %d random draws each (seed %d): %s%n", cases.size(), tries, seed,
                failed == 0 ? "all gradients agree with finite differences" : failed + " FAILED");
        return failed == 0 ? 0 : 1;
    }
}
