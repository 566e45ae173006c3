// SPDX-License-Identifier: Apache-2.0
package dev.jaye.autograd.ops;

import dev.jaye.autograd.OpCase;

import java.util.List;

/** STUB: gradcheck cases for this family of ops. */
public final class FusedOpCases {
    private FusedOpCases() {}

    public static List<OpCase> all() {
        return List.of();
    }
}
