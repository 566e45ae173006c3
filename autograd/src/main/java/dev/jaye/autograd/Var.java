// SPDX-License-Identifier: Apache-2.0
package dev.jaye.autograd;

import dev.jaye.autograd.ops.Arith;
import dev.jaye.autograd.ops.MatMulOp;
import dev.jaye.autograd.ops.Pointwise;
import dev.jaye.autograd.ops.Reductions;
import dev.jaye.autograd.ops.ShapeOps;
import dev.jaye.autograd.ops.SoftmaxOps;
import dev.jaye.tensor.Shape;
import dev.jaye.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * A differentiable value: a tensor, its gradient, the op that made it and that op's inputs.
 *
 * <p>Recording: every op in {@code ops/} computes its output tensor, wraps it with
 * {@link #of(String, Tensor, Var...)}, and sets {@link #backward} to a closure that reads
 * {@code out.grad} and adds each input's share into {@code input.grad}. An op whose inputs need
 * no gradient (constants, frozen parameters, or anything under {@link #noGrad()}) records
 * nothing: no closure, no inputs, no backward work.
 *
 * <p>{@link #backward()} walks the recorded graph once in reverse topological order. When a node
 * has passed its gradient on, its closure, inputs and gradient are dropped, so the activations
 * that the closures held are freed and memory does not grow from step to step. Leaves (the
 * parameters) keep accumulating gradients across backward calls until {@link #zeroGrad()}.
 */
public final class Var {
    /** The value; never changed by autograd. */
    public final Tensor value;
    /** What made this value: "leaf" for inputs and parameters, else the op's name. */
    public final String op;
    private Var[] inputs;
    private Tensor grad;
    private List<Tensor> recording;                // see recordGradientsInto
    private boolean requiresGrad;
    /** Adds this node's gradient into its inputs' gradients; null for leaves and constants. */
    Runnable backward;

    private Var(Tensor value, String op, Var[] inputs, boolean requiresGrad) {
        this.value = value;
        this.op = op;
        this.inputs = inputs;
        this.requiresGrad = requiresGrad;
    }

    // ------------------------------------------------------------------ making values

    /** A leaf that collects a gradient (a parameter, or an input we differentiate against). */
    public static Var param(Tensor value) {
        return new Var(value, "leaf", new Var[0], true);
    }

    /** A leaf without gradient: data, masks, frozen weights. */
    public static Var constant(Tensor value) {
        return new Var(value, "leaf", new Var[0], false);
    }

    /**
     * The output of an op. It needs a gradient when any input does and recording is on; only
     * then does the op attach a backward closure ({@link #needsGrad()} tells it).
     */
    public static Var of(String op, Tensor value, Var... inputs) {
        boolean rg = RECORDING.get();
        if (rg) {
            rg = false;
            for (Var v : inputs) rg |= v.requiresGrad;
        }
        return new Var(value, op, rg ? inputs : new Var[0], rg);
    }

    /** Sets what this op's backward does; ignored when the output needs no gradient. */
    public Var withBackward(Runnable backward) {
        if (requiresGrad && inputs.length > 0) this.backward = backward;
        return this;
    }

    public boolean needsGrad() {
        return requiresGrad;
    }

    /**
     * Freezes (false) or unfreezes (true) a leaf. A frozen parameter gets no gradient, and ops
     * that only frozen values feed record nothing, so they cost no backward work.
     */
    public Var requiresGrad(boolean on) {
        if (backward != null || inputs.length > 0) throw new IllegalStateException("only a leaf can be frozen or unfrozen (op " + op + ")");
        requiresGrad = on;
        if (!on) grad = null;
        return this;
    }

    /** The same value, cut from the graph: gradients stop here. */
    public Var detach() {
        return constant(value);
    }

    public int[] shape() {
        return value.shape();
    }

    public float item() {
        return value.item();
    }

    // ------------------------------------------------------------------ ops, fluently
    // Each is one line into ops/, where the forward and its backward are written; these only
    // let model code read left to right: x.add(attn.forward(norm1.forward(x))).

    public Var add(Var o) { return Arith.add(this, o); }
    public Var sub(Var o) { return Arith.sub(this, o); }
    public Var mul(Var o) { return Arith.mul(this, o); }
    public Var div(Var o) { return Arith.div(this, o); }
    public Var add(float s) { return Arith.add(this, s); }
    public Var sub(float s) { return Arith.sub(this, s); }
    public Var mul(float s) { return Arith.mul(this, s); }
    public Var div(float s) { return Arith.div(this, s); }
    public Var neg() { return Arith.neg(this); }
    public Var pow(float p) { return Arith.pow(this, p); }
    public Var exp() { return Pointwise.exp(this); }
    public Var log() { return Pointwise.log(this); }
    public Var tanh() { return Pointwise.tanh(this); }
    public Var sigmoid() { return Pointwise.sigmoid(this); }
    public Var relu() { return Pointwise.relu(this); }
    public Var gelu() { return Pointwise.gelu(this); }
    public Var silu() { return Pointwise.silu(this); }
    public Var square() { return Pointwise.square(this); }
    public Var sum(int axis, boolean keepDims) { return Reductions.sum(this, axis, keepDims); }
    public Var mean(int axis, boolean keepDims) { return Reductions.mean(this, axis, keepDims); }
    public Var sum() { return Reductions.sumAll(this); }
    public Var mean() { return Reductions.meanAll(this); }
    public Var reshape(int... shape) { return ShapeOps.reshape(this, shape); }
    public Var permute(int... perm) { return ShapeOps.permute(this, perm); }
    public Var transpose(int a, int b) { return ShapeOps.transpose(this, a, b); }
    public Var matmul(Var o) { return MatMulOp.matmul(this, o); }
    public Var softmax() { return SoftmaxOps.softmax(this); }
    public Var logSoftmax() { return SoftmaxOps.logSoftmax(this); }

    // ------------------------------------------------------------------ gradients

    /** The accumulated gradient (same shape as the value), or null before any backward. */
    public Tensor grad() {
        return grad;
    }

    /**
     * Data parallelism that equals one machine: while {@code into} is set, what a backward pass
     * would add to this value's gradient is appended to it (in the order the pass adds it)
     * instead. A machine that ran backward batch b sends the list; the driver, batch by batch
     * in one-machine order, passes each entry to {@link #accumulate}, and the gradient is the one
     * the batches' backward passes on one machine would leave, bit for bit, even for a weight
     * the pass adds to twice (the LM head tied to the embedding). Null stops recording.
     */
    public void recordGradientsInto(List<Tensor> into) {
        recording = into;
    }

    /** grad += g. Ops call this; g must have this value's shape (ops reduce broadcasts first). */
    public void accumulate(Tensor g) {
        if (!requiresGrad) return;
        if (!Arrays.equals(g.shape(), value.shape())) throw new IllegalStateException(
                "gradient of shape " + Shape.str(g.shape()) + " for a value of shape " + Shape.str(value.shape()) + " (op " + op + ")");
        if (recording != null) {
            recording.add(g.copy());
        } else if (grad == null) {
            grad = g.copy();
        } else {
            float[] d = grad.data(), s = g.data();
            for (int i = 0; i < d.length; i++) d[i] += s[i];
        }
    }

    /**
     * Like {@link #accumulate}, for a gradient the calling op has just allocated and keeps no
     * reference to: the first contribution is taken as it is instead of copied (a copy of every
     * weight gradient per step is a full extra pass over the model).
     */
    public void accumulateFresh(Tensor g) {
        if (!requiresGrad) return;
        if (grad == null && recording == null && Arrays.equals(g.shape(), value.shape())) grad = g;
        else accumulate(g);
    }

    /** Forgets the accumulated gradient. */
    public void zeroGrad() {
        grad = null;
    }

    /** Backward from a scalar: d(this)/d(this) = 1. */
    public void backward() {
        if (value.size() != 1) throw new IllegalStateException(
                "backward() needs a scalar (shape " + Shape.str(value.shape()) + "); use backward(seed)");
        backward(Tensor.ones(value.shape()));
    }

    /** Backward with an explicit output gradient {@code seed} (same shape as the value). */
    public void backward(Tensor seed) {
        if (!requiresGrad) throw new IllegalStateException("backward() on a value that does not need a gradient (op " + op + ")");
        List<Var> order = topologicalOrder();
        accumulate(seed);
        for (int i = order.size() - 1; i >= 0; i--) {
            Var v = order.get(i);
            if (v.backward != null && v.grad != null) v.backward.run();
            if (v.backward != null) {          // an interior node: done with it, free what it held
                v.backward = null;
                v.inputs = new Var[0];
                v.grad = null;
            }
        }
    }

    /** Nodes that need a gradient, each after all of its inputs (iterative DFS: graphs are deep). */
    private List<Var> topologicalOrder() {
        List<Var> order = new ArrayList<>();
        Set<Var> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Var> stack = new ArrayDeque<>();
        ArrayDeque<Integer> next = new ArrayDeque<>();
        stack.push(this);
        next.push(0);
        seen.add(this);
        while (!stack.isEmpty()) {
            Var v = stack.peek();
            int i = next.pop();
            if (i < v.inputs.length) {
                next.push(i + 1);
                Var in = v.inputs[i];
                if (in.requiresGrad && seen.add(in)) {
                    stack.push(in);
                    next.push(0);
                }
            } else {
                stack.pop();
                order.add(v);
            }
        }
        return order;
    }

    // ------------------------------------------------------------------ no-grad scope

    private static final ThreadLocal<Boolean> RECORDING = ThreadLocal.withInitial(() -> true);

    /** {@code try (var g = Var.noGrad()) { ... }}: nothing inside is recorded (evaluation, rollouts). */
    public static NoGrad noGrad() {
        boolean before = RECORDING.get();
        RECORDING.set(false);
        return () -> RECORDING.set(before);
    }

    /** The scope returned by {@link #noGrad()}; closing it restores recording as it was. */
    public interface NoGrad extends AutoCloseable {
        @Override
        void close();
    }

    @Override
    public String toString() {
        return "Var(" + op + ", " + value + (requiresGrad ? ", requires grad" : "") + ")";
    }
}
