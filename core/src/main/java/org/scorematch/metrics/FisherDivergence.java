package org.scorematch.metrics;

import java.util.random.RandomGenerator;
import org.scorematch.engine.Engine;
import org.scorematch.engine.EnergyDerivatives;
import org.scorematch.model.EnergyModel;
import org.scorematch.target.GaussianMixture;

/**
 * The Fisher divergence {@code ½ E_{p}‖s_θ − ∇log p‖²} of a model to a target with known score,
 * estimated on fresh samples from the target (DESIGN.md §5 uses 5000).
 */
public final class FisherDivergence {
    private FisherDivergence() {
    }

    /** Monte Carlo estimate on {@code n} draws from {@code target} taken from {@code rng}. */
    public static double estimate(EnergyModel model, GaussianMixture target, int n, RandomGenerator rng,
                                  Engine engine) {
        double[] x = target.sample(n, rng);
        double[] truth = target.score(x, n);
        double[] gradE = EnergyDerivatives.inputGradients(engine, model.network(), model.parameters(), x, n);
        double sum = 0;
        for (int i = 0; i < truth.length; i++) {
            double diff = -gradE[i] - truth[i];
            sum += diff * diff;
        }
        return 0.5 * sum / n;
    }
}
