// SPDX-License-Identifier: Apache-2.0
package dev.jaye.models.nn;

import dev.jaye.autograd.Var;
import dev.jaye.tensor.Shape;
import dev.jaye.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A block of the model with named parameters and named sub-blocks, so that a parameter's dotted
 * path is exactly its checkpoint key ({@code lm.layers.0.attn.q.weight}, docs/model.md).
 * Loading a checkpoint is then a name-for-name copy, as in nanoGPT.
 */
public abstract class Module {
    private final Map<String, Var> params = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** Registers a trainable parameter under {@code name}. */
    protected final Var param(String name, Tensor init) {
        if (params.containsKey(name) || children.containsKey(name)) throw new IllegalArgumentException("duplicate name " + name);
        Var v = Var.param(init);
        params.put(name, v);
        return v;
    }

    /** Registers a sub-block under {@code name} (its parameters become name.*). */
    protected final <M extends Module> M child(String name, M m) {
        if (params.containsKey(name) || children.containsKey(name)) throw new IllegalArgumentException("duplicate name " + name);
        children.put(name, m);
        return m;
    }

    /**
     * A named level of the key path that holds parameters or blocks but computes nothing itself:
     * {@code vision.patch_embed} (weight, bias), {@code vision.blocks} (0, 1, 2, ...).
     */
    public static final class Group extends Module {
        public Var addParam(String name, Tensor init) {
            return param(name, init);
        }

        public <M extends Module> M add(String name, M m) {
            return child(name, m);
        }
    }

    /** Every parameter by its full dotted name, in registration order. */
    public final Map<String, Var> parameters() {
        Map<String, Var> out = new LinkedHashMap<>();
        collect("", out);
        return out;
    }

    private void collect(String prefix, Map<String, Var> out) {
        params.forEach((k, v) -> out.put(prefix + k, v));
        children.forEach((k, m) -> m.collect(prefix + k + ".", out));
    }

    public final long parameterCount() {
        long n = 0;
        for (Var v : parameters().values()) n += v.value.size();
        return n;
    }

    /**
     * Freezes (or unfreezes) every parameter whose name starts with {@code prefix}, e.g.
     * {@code "vision."}: frozen parameters get no gradient and cost no backward work. Returns how
     * many parameters matched; none is an error (a typo should not silently train everything).
     */
    public final int setTrainable(String prefix, boolean trainable) {
        int n = 0;
        for (Map.Entry<String, Var> e : parameters().entrySet())
            if (e.getKey().startsWith(prefix)) {
                e.getValue().requiresGrad(trainable);
                n++;
            }
        if (n == 0) throw new IllegalArgumentException("no parameter name starts with '" + prefix + "'");
        return n;
    }

    /** Training or evaluation mode, for this block and all below it. */
    public final void train(boolean on) {
        training = on;
        children.values().forEach(m -> m.train(on));
    }

    public final boolean training() {
        return training;
    }

    /** The weights by checkpoint key (live tensors, not copies). */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        parameters().forEach((k, v) -> out.put(k, v.value));
        return out;
    }

    /**
     * Copies weights in by name. Every parameter must be present with its shape, and no key may
     * be left over: a missing or unexpected key means the file is for another model.
     */
    public final void load(Map<String, Tensor> weights, String source) {
        Map<String, Var> mine = parameters();
        List<String> problems = new ArrayList<>();
        TreeSet<String> unexpected = new TreeSet<>(weights.keySet());
        unexpected.removeAll(mine.keySet());
        for (Map.Entry<String, Var> e : mine.entrySet()) {
            Tensor t = weights.get(e.getKey());
            if (t == null) problems.add("missing key '" + e.getKey() + "'");
            else if (!Arrays.equals(t.shape(), e.getValue().value.shape()))
                problems.add("key '" + e.getKey() + "' has shape " + Shape.str(t.shape()) + ", the model needs " + Shape.str(e.getValue().shape()));
        }
        for (String k : unexpected) problems.add("unexpected key '" + k + "'");
        for (Map.Entry<String, Var> e : mine.entrySet()) {          // a NaN weight would answer every question with NaN
            Tensor t = weights.get(e.getKey());
            if (t == null) continue;
            long bad = t.nonFiniteCount();
            if (bad > 0) problems.add("key '" + e.getKey() + "' holds " + bad + " non-finite values (NaN or infinity) of " + t.data().length);
        }
        if (!problems.isEmpty()) throw new IllegalArgumentException(source + ": " + String.join("; ", problems));
        for (Map.Entry<String, Var> e : mine.entrySet()) {
            float[] src = weights.get(e.getKey()).data(), dst = e.getValue().value.data();
            System.arraycopy(src, 0, dst, 0, dst.length);
        }
    }
}
