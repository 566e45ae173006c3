// SPDX-License-Identifier: Apache-2.0
package dev.jaye.autograd.optim;

import dev.jaye.autograd.Var;
import dev.jaye.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Base of the optimisers: named parameters, a learning-rate schedule, a step counter, and the
 * state that must be saved with a checkpoint so that a resumed run continues exactly.
 */
public abstract class Optimizer {
    /** The parameters by name, in a fixed order (the checkpoint's keys). */
    protected final Map<String, Var> params;
    protected final LrSchedule schedule;
    /** Optimiser steps taken so far. */
    protected int step;

    protected Optimizer(Map<String, Var> params, LrSchedule schedule) {
        this.params = new LinkedHashMap<>(params);
        this.schedule = schedule;
    }

    /** The learning rate the next step will use. */
    public double lr() {
        return schedule.lr(step);
    }

    public int stepCount() {
        return step;
    }

    /** One update from the accumulated gradients; frozen parameters and those without a gradient are skipped. */
    public final void step() {
        double lr = lr();
        for (Map.Entry<String, Var> e : params.entrySet()) {
            Var p = e.getValue();
            if (p.needsGrad() && p.grad() != null) update(e.getKey(), p.value.data(), p.grad().data(), lr);
        }
        step++;
    }

    /** Updates one parameter in place. */
    protected abstract void update(String name, float[] p, float[] g, double lr);

    /** Clears every parameter's gradient. */
    public void zeroGrad() {
        for (Var p : params.values()) p.zeroGrad();
    }

    /** The state to checkpoint: buffers by "kind/parameter" name, and "step". */
    public Map<String, Tensor> state() {
        Map<String, Tensor> s = new LinkedHashMap<>();
        s.put("step", Tensor.scalar(step));
        buffers(s);
        return s;
    }

    /** Restores {@link #state()}; every buffer must be present with the right size. */
    public void load(Map<String, Tensor> state) {
        Tensor st = state.get("step");
        if (st == null) throw new IllegalArgumentException("optimizer state has no 'step'");
        step = (int) st.item();
        Map<String, Tensor> mine = new LinkedHashMap<>();
        buffers(mine);
        for (Map.Entry<String, Tensor> e : mine.entrySet()) {
            Tensor t = state.get(e.getKey());
            if (t == null) throw new IllegalArgumentException("optimizer state has no '" + e.getKey() + "'");
            if (t.size() != e.getValue().size()) throw new IllegalArgumentException("optimizer state '" + e.getKey()
                    + "' has " + t.size() + " values, the parameter needs " + e.getValue().size());
            System.arraycopy(t.data(), 0, e.getValue().data(), 0, t.size());
        }
    }

    /** Puts this optimiser's buffers (live tensors, written through on load) into {@code out}. */
    protected abstract void buffers(Map<String, Tensor> out);

    /**
     * Scales all gradients so that their global L2 norm is at most {@code maxNorm}, and returns
     * the norm before clipping (logged every step: a spike is the first sign of trouble).
     */
    public double clipGradNorm(double maxNorm) {
        double sq = 0;
        for (Var p : params.values()) {
            if (p.grad() == null) continue;
            for (float g : p.grad().data()) sq += (double) g * g;
        }
        double norm = Math.sqrt(sq);
        if (norm > maxNorm) {
            float scale = (float) (maxNorm / (norm + 1e-6));
            for (Var p : params.values()) {
                if (p.grad() == null) continue;
                float[] g = p.grad().data();
                for (int i = 0; i < g.length; i++) g[i] *= scale;
            }
        }
        return norm;
    }
}
