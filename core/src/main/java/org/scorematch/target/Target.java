package org.scorematch.target;

import java.util.random.RandomGenerator;

/** A distribution with a known score that can be sampled: a test target for training and metrics. */
public interface Target extends java.io.Serializable {
    String name();

    int dimension();

    /** {@code n} independent draws, row-major {@code n × D}. */
    double[] sample(int n, RandomGenerator rng);

    /** The exact score {@code ∇log p} at each row of {@code x} ({@code n × D}). */
    double[] score(double[] x, int n);

    /** Whether {@link #logDensity} is known in closed form. */
    default boolean hasLogDensity() {
        return false;
    }

    /** The normalised {@code log p} at each row of {@code x} ({@code n × D}), where known. */
    default double[] logDensity(double[] x, int n) {
        throw new UnsupportedOperationException(name() + " has no closed-form log-density");
    }
}
