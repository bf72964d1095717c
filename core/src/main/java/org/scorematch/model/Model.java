package org.scorematch.model;

import org.scorematch.linalg.Matrix;

/**
 * A trained or initial model: an {@link Architecture} and one value of its parameters θ.
 * Immutable. Both kinds give the score {@code ∇ₓ log p}; only {@link EnergyModel} has an energy.
 */
public sealed interface Model permits EnergyModel, ScoreModel {
    Architecture architecture();

    /** The data dimension D. */
    default int dimension() {
        return architecture().dimension();
    }

    /** A copy of θ. */
    double[] parameters();

    /** The model of {@code architecture}'s kind (an energy or a score network) with parameters {@code theta}. */
    static Model of(Architecture architecture, double[] theta) {
        return architecture.kind() == Architecture.Kind.ENERGY ? EnergyModel.of(architecture, theta)
                : ScoreModel.of(architecture, theta);
    }

    /** The same architecture with other parameters. */
    Model withParameters(double[] parameters);

    /**
     * The score {@code ∇ₓ log p} at each row of {@code x}; a noise-conditional model is evaluated
     * at its smallest noise level.
     */
    default Matrix score(Matrix x) {
        NoiseLadder ladder = architecture().ladder();
        return score(x, ladder == null ? 1.0 : ladder.min());
    }

    /** The score at noise level {@code sigma} (ignored by unconditional models), on one thread. */
    default Matrix score(Matrix x, double sigma) {
        try (org.scorematch.engine.Engine engine = org.scorematch.engine.Engine.create(1)) {
            return score(x, sigma, engine);
        }
    }

    /** The score at noise level {@code sigma} (ignored by unconditional models), on {@code engine}. */
    default Matrix score(Matrix x, double sigma, org.scorematch.engine.Engine engine) {
        if (x.cols() != dimension()) {
            throw new IllegalArgumentException("data have " + x.cols() + " columns, the model expects " + dimension());
        }
        double[] s = ScoreView.evaluate(engine, architecture(), parameters(), x.toArray(), x.rows(), sigma);
        return Matrix.of(x.rows(), x.cols(), s);
    }
}
