// SPDX-License-Identifier: Apache-2.0
package dev.jaye.autograd;

import dev.jaye.autograd.ops.BasicOpCases;
import dev.jaye.autograd.ops.FusedOpCases;

import java.util.ArrayList;
import java.util.List;

/** Every differentiable op of the library, as gradcheck cases. */
public final class GradCheckSuite {
    private GradCheckSuite() {}

    public static List<OpCase> all() {
        List<OpCase> all = new ArrayList<>();
        all.addAll(BasicOpCases.all());
        all.addAll(FusedOpCases.all());
        return all;
    }
}
