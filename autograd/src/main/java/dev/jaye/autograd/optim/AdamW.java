// SPDX-License-Identifier: Apache-2.0
package dev.jaye.autograd.optim;

import dev.jaye.autograd.Var;
import dev.jaye.tensor.Tensor;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * AdamW (Loshchilov &amp; Hutter): Adam with weight decay decoupled from the gradient.
 * <pre>
 *   m = β1·m + (1−β1)·g          v = β2·v + (1−β2)·g²
 *   m̂ = m / (1−β1^t)             v̂ = v / (1−β2^t)
 *   p = p·(1 − lr·λ) − lr · m̂ / (√v̂ + ε)
 * </pre>
 * The decay multiplies the weight directly instead of being added to g, so it is not rescaled by
 * Adam's per-weight step size. Which parameters decay is a choice (usually matrices only, not
 * norms and biases): {@code decays}.
 */
public final class AdamW extends Optimizer {
    private final double beta1, beta2, eps, weightDecay;
    private final Predicate<String> decays;
    private final Map<String, float[]> m = new HashMap<>(), v = new HashMap<>();

    public AdamW(Map<String, Var> params, LrSchedule schedule, double beta1, double beta2, double eps,
                 double weightDecay, Predicate<String> decays) {
        super(params, schedule);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decays = decays;
        for (Map.Entry<String, Var> e : this.params.entrySet()) {
            m.put(e.getKey(), new float[e.getValue().value.size()]);
            v.put(e.getKey(), new float[e.getValue().value.size()]);
        }
    }

    /** The usual defaults: β = (0.9, 0.999), ε = 1e-8, decay on parameters of rank 2 and more. */
    public static AdamW of(Map<String, Var> params, LrSchedule schedule, double weightDecay) {
        return new AdamW(params, schedule, 0.9, 0.999, 1e-8, weightDecay, name -> params.get(name).value.rank() >= 2);
    }

    @Override
    protected void update(String name, float[] p, float[] g, double lr) {
        float[] mm = m.get(name), vv = v.get(name);
        int t = step + 1;
        double c1 = 1 - Math.pow(beta1, t), c2 = 1 - Math.pow(beta2, t);
        float b1 = (float) beta1, b2 = (float) beta2;
        float decay = decays.test(name) ? (float) (1 - lr * weightDecay) : 1f;
        for (int i = 0; i < p.length; i++) {
            mm[i] = b1 * mm[i] + (1 - b1) * g[i];
            vv[i] = b2 * vv[i] + (1 - b2) * g[i] * g[i];
            double mHat = mm[i] / c1, vHat = vv[i] / c2;
            p[i] = (float) (p[i] * decay - lr * mHat / (Math.sqrt(vHat) + eps));
        }
    }

    @Override
    protected void buffers(Map<String, Tensor> out) {
        for (String name : params.keySet()) {
            out.put("m/" + name, Tensor.wrap(m.get(name), m.get(name).length));
            out.put("v/" + name, Tensor.wrap(v.get(name), v.get(name).length));
        }
    }
}
