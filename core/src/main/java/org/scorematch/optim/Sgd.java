package org.scorematch.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/** Stochastic gradient descent with (heavy-ball) momentum μ: {@code u ← μu + g}, {@code θ ← θ − ηu}. */
public final class Sgd implements Optimizer {
    private final double learningRate;
    private final double momentum;
    private double[] velocity;

    private Sgd(double learningRate, double momentum) {
        if (!(learningRate > 0) || !(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("SGD needs lr > 0 and 0 ≤ momentum < 1");
        }
        this.learningRate = learningRate;
        this.momentum = momentum;
    }

    /** SGD with base rate η &gt; 0 and momentum μ in [0, 1). */
    public static Sgd of(double learningRate, double momentum) {
        return new Sgd(learningRate, momentum);
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public String id() {
        return "sgd";
    }

    @Override
    public void begin(int length) {
        if (velocity == null) {
            velocity = new double[length];
        }
    }

    @Override
    public void update(double[] theta, double[] grad, double lr, int from, int to) {
        double[] velocity = this.velocity;
        for (int i = from; i < to; i++) {
            velocity[i] = momentum * velocity[i] + grad[i];
            theta[i] -= lr * velocity[i];
        }
    }

    @Override
    public Map<String, double[]> state() {
        Map<String, double[]> s = new LinkedHashMap<>();
        if (velocity != null) {
            s.put("velocity", velocity.clone());
        }
        return s;
    }

    @Override
    public void restore(Map<String, double[]> state) {
        velocity = state.containsKey("velocity") ? state.get("velocity").clone() : null;
    }
}
