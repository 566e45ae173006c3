// SPDX-License-Identifier: Apache-2.0
package dev.jaye.models.nn;

import dev.jaye.autograd.Var;
import dev.jaye.tensor.Rng;

/** The two feed-forward blocks: GELU (the ViT's, with biases) and SwiGLU (the LM's, without). */
public final class Mlp {
    private Mlp() {}

    /** fc2(gelu(fc1(x))), GELU in the tanh form. */
    public static final class Gelu extends Module {
        public final Linear fc1, fc2;

        public Gelu(int dim, int hidden, Rng rng, float std) {
            fc1 = child("fc1", new Linear(dim, hidden, true, rng, std));
            fc2 = child("fc2", new Linear(hidden, dim, true, rng, std));
        }

        public Var forward(Var x) {
            return fc2.forward(fc1.forward(x).gelu());
        }
    }

    /** down(silu(gate(x)) · up(x)): the gate decides, per hidden unit, how much of up(x) passes. */
    public static final class SwiGlu extends Module {
        public final Linear gate, up, down;

        public SwiGlu(int dim, int hidden, Rng rng, float std) {
            gate = child("gate", new Linear(dim, hidden, false, rng, std));
            up = child("up", new Linear(dim, hidden, false, rng, std));
            down = child("down", new Linear(hidden, dim, false, rng, std));
        }

        public Var forward(Var x) {
            return down.forward(gate.forward(x).silu().mul(up.forward(x)));
        }
    }
}
