package org.scorematch.objective;

import java.util.random.RandomGenerator;
import org.scorematch.engine.Engine;
import org.scorematch.model.Architecture;

/** A training objective: a mean per-sample loss of a model on a batch, and its θ-gradient. */
public interface Objective extends java.io.Serializable {
    /**
     * Mean loss over the {@code n} rows of {@code x} (row-major, n × D). Writes the gradient of
     * the mean loss with respect to {@code theta} into {@code grad} unless it is null. Stochastic
     * objectives draw fresh directions or noise from {@code rng} on every call.
     */
    double lossAndGradient(Engine engine, Architecture architecture, double[] theta, double[] x, int n,
                           RandomGenerator rng, double[] grad);

    /** Short name, as on the command line. */
    String id();

    /**
     * The name with every setting that changes training (directions, noise level, weighting), as
     * a resume checks it against the checkpoint's; the name alone for objectives without settings.
     */
    default String settings() {
        return id();
    }

    /**
     * This objective for rows standardised as {@code z = (x − mean)/scale} (per column), as the
     * trainer hands them over. Objectives that compare the model with something given in the
     * data's units (explicit score matching against a known target score) translate it; the
     * others do not depend on units and return themselves.
     */
    default Objective forStandardizedRows(double[] mean, double[] scale) {
        return this;
    }
}
