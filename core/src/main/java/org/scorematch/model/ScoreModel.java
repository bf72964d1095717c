package org.scorematch.model;

import java.util.random.RandomGenerator;
import org.scorematch.engine.Initialization;

/**
 * A score network {@code s_θ(x) ≈ ∇ₓ log p(x)}, {@code ℝᴰ → ℝᴰ}, possibly noise-conditional. It
 * has no energy: energies, log-densities and Metropolis corrections are for {@link EnergyModel}.
 */
public final class ScoreModel implements Model {
    private final Architecture architecture;
    private final double[] theta;

    private ScoreModel(Architecture architecture, double[] theta) {
        if (architecture.kind() != Architecture.Kind.SCORE) {
            throw new IllegalArgumentException("a ScoreModel needs a score architecture");
        }
        if (theta.length != architecture.network().parameterCount()) {
            throw new IllegalArgumentException("expected " + architecture.network().parameterCount() + " parameters, got "
                    + theta.length);
        }
        this.architecture = architecture;
        this.theta = theta;
    }

    /** A score model with Glorot-uniform initial parameters drawn from {@code rng}. */
    public static ScoreModel of(Architecture architecture, RandomGenerator rng) {
        return new ScoreModel(architecture, Initialization.GLOROT.draw(architecture.network(), rng));
    }

    /** A score model with the given parameters. */
    public static ScoreModel of(Architecture architecture, double[] parameters) {
        return new ScoreModel(architecture, parameters.clone());
    }

    @Override
    public Architecture architecture() {
        return architecture;
    }

    @Override
    public double[] parameters() {
        return theta.clone();
    }

    @Override
    public ScoreModel withParameters(double[] parameters) {
        return new ScoreModel(architecture, parameters.clone());
    }

    @Override
    public String toString() {
        return "score model: " + architecture;
    }
}
