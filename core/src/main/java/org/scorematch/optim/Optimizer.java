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
    default void step(double[] theta, double[] grad, double lr) {
        begin(theta.length);
        update(theta, grad, lr, 0, theta.length);
    }

    /**
     * Begins one update of a vector of {@code length} parameters (advances the step count, makes
     * the state on the first step); {@link #update} then applies it range by range.
     */
    void begin(int length);

    /**
     * The update begun by {@link #begin} on elements {@code [from, to)} of {@code theta}, in place.
     * The ranges of one update are disjoint and may run on different threads; an element's
     * arithmetic does not depend on its range, so any cut gives the whole-vector step.
     */
    void update(double[] theta, double[] grad, double lr, int from, int to);

    /** A copy of the state, by name. */
    Map<String, double[]> state();

    /** Restores a state produced by {@link #state()} on an optimiser of the same kind. */
    void restore(Map<String, double[]> state);

    /** Short name: adam or sgd. */
    String id();
}
