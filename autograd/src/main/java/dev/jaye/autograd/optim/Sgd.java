// SPDX-License-Identifier: Apache-2.0
package dev.jaye.autograd.optim;

import dev.jaye.autograd.Var;
import dev.jaye.tensor.Tensor;

import java.util.HashMap;
import java.util.Map;

/** SGD with momentum (PyTorch's form): buf = μ·buf + g; p = p − lr·buf. μ = 0 is plain SGD. */
public final class Sgd extends Optimizer {
    private final double momentum;
    private final Map<String, float[]> buf = new HashMap<>();

    public Sgd(Map<String, Var> params, LrSchedule schedule, double momentum) {
        super(params, schedule);
        this.momentum = momentum;
        for (Map.Entry<String, Var> e : this.params.entrySet()) buf.put(e.getKey(), new float[e.getValue().value.size()]);
    }

    @Override
    protected void update(String name, float[] p, float[] g, double lr) {
        float[] b = buf.get(name);
        float mu = (float) momentum, rate = (float) lr;
        for (int i = 0; i < p.length; i++) {
            b[i] = mu * b[i] + g[i];
            p[i] -= rate * b[i];
        }
    }

    @Override
    protected void buffers(Map<String, Tensor> out) {
        for (String name : params.keySet()) out.put("momentum/" + name, Tensor.wrap(buf.get(name), buf.get(name).length));
    }
}
