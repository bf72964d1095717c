package org.scorematch.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam with bias correction (Kingma &amp; Ba 2015):
 * {@code m ← β₁m + (1−β₁)g}, {@code v ← β₂v + (1−β₂)g²},
 * {@code θ ← θ − η·m̂/(√v̂ + ε)} with {@code m̂ = m/(1−β₁ᵗ)}, {@code v̂ = v/(1−β₂ᵗ)}.
 * Holds its moment estimates, so one instance serves one parameter vector.
 */
public final class Adam implements Optimizer {
    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private double[] m;
    private double[] v;
    private long t;
    /** Bias corrections 1 − β₁ᵗ and 1 − β₂ᵗ of the update in progress. */
    private double c1;
    private double c2;

    private Adam(double learningRate, double beta1, double beta2, double epsilon) {
        if (!(learningRate > 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0)) {
            throw new IllegalArgumentException("Adam needs lr > 0, 0 ≤ β < 1 and ε > 0");
        }
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    /** Adam with PyTorch's defaults β₁ = 0.9, β₂ = 0.999, ε = 1e−8. */
    public static Adam of(double learningRate) {
        return new Adam(learningRate, 0.9, 0.999, 1e-8);
    }

    /** Adam with base rate η, moment decays β₁, β₂ in [0, 1) and ε &gt; 0 added to √v̂. */
    public static Adam of(double learningRate, double beta1, double beta2, double epsilon) {
        return new Adam(learningRate, beta1, beta2, epsilon);
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public String id() {
        return "adam";
    }

    /** Steps taken so far. */
    public long steps() {
        return t;
    }

    /** One update at the base learning rate. */
    public void step(double[] theta, double[] grad) {
        step(theta, grad, learningRate);
    }

    @Override
    public void begin(int length) {
        if (m == null) {
            m = new double[length];
            v = new double[length];
        }
        t++;
        c1 = 1 - Math.pow(beta1, t);
        c2 = 1 - Math.pow(beta2, t);
    }

    @Override
    public void update(double[] theta, double[] grad, double lr, int from, int to) {
        double[] m = this.m;
        double[] v = this.v;
        // PyTorch's arrangement, θ −= (η/(1−β₁ᵗ))·m/(√v/√(1−β₂ᵗ) + ε), with the constant divisions
        // hoisted: one division and one square root per element instead of three divisions.
        double stepSize = lr / c1;
        double inverseRootC2 = 1 / Math.sqrt(c2);
        for (int i = from; i < to; i++) {
            double g = grad[i];
            m[i] = beta1 * m[i] + (1 - beta1) * g;
            v[i] = beta2 * v[i] + (1 - beta2) * g * g;
            theta[i] -= stepSize * (m[i] / (Math.sqrt(v[i]) * inverseRootC2 + epsilon));
        }
    }

    @Override
    public Map<String, double[]> state() {
        Map<String, double[]> s = new LinkedHashMap<>();
        if (m != null) {
            s.put("m", m.clone());
            s.put("v", v.clone());
        }
        s.put("t", new double[] {t});
        return s;
    }

    @Override
    public void restore(Map<String, double[]> state) {
        double[] steps = state.get("t");
        if (steps == null || steps.length != 1) {
            throw new IllegalArgumentException("not an Adam state");
        }
        t = (long) steps[0];
        m = state.containsKey("m") ? state.get("m").clone() : null;
        v = state.containsKey("v") ? state.get("v").clone() : null;
    }
}
