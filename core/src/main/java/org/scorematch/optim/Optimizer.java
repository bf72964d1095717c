package org.scorematch.optim;

import java.util.Map;

/**
 * A first-order optimiser holding its own state (moments, velocities) for one parameter vector.
 * The learning rate is passed per step so schedules stay outside; the state can be exported and
 * restored, which checkpoints need for an exact resume.
 */
public sealed interface Optimizer permits Adam, Sgd {
    /** The base learning rate that schedules scale. */
    double learningRate();

    /** One update of {@code theta} in place from {@code grad} at learning rate {@code lr}. */
    void step(double[] theta, double[] grad, double lr);

    /** A copy of the state, by name. */
    Map<String, double[]> state();

    /** Restores a state produced by {@link #state()} on an optimiser of the same kind. */
    void restore(Map<String, double[]> state);

    /** Short name: adam or sgd. */
    String id();
}
