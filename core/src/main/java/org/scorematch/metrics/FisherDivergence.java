package org.scorematch.metrics;

import java.util.random.RandomGenerator;
import org.scorematch.engine.Engine;
import org.scorematch.linalg.Matrix;
import org.scorematch.model.Model;
import org.scorematch.model.NoiseLadder;
import org.scorematch.model.ScoreView;
import org.scorematch.model.TrainedModel;
import org.scorematch.target.Target;

/**
 * The Fisher divergence {@code ½ E_{p}‖s_θ − ∇log p‖²} of a model to a target with known score,
 * estimated on fresh samples from the target (docs/DESIGN.md §5 uses 5000).
 */
public final class FisherDivergence {
    private FisherDivergence() {
    }

    /**
     * Monte Carlo estimate on {@code n} draws from {@code target} taken from {@code rng}; a
     * noise-conditional model is scored at its smallest level.
     */
    public static double estimate(Model model, Target target, int n, RandomGenerator rng, Engine engine) {
        double[] x = target.sample(n, rng);
        double[] truth = target.score(x, n);
        NoiseLadder ladder = model.architecture().ladder();
        double[] s = ScoreView.evaluate(engine, model.architecture(), model.parameters(), x, n,
                ladder == null ? 1.0 : ladder.min());
        return between(s, truth, n);
    }

    /**
     * The same in the data's units for a trained model (its scores through the standardisation's
     * chain rule), on {@code n} draws from {@code target} taken from {@code rng}.
     */
    public static double estimate(TrainedModel model, Target target, int n, RandomGenerator rng, Engine engine) {
        double[] x = target.sample(n, rng);
        return between(model.score(Matrix.of(n, target.dimension(), x), engine).toArray(), target.score(x, n), n);
    }

    /** {@code ½ (1/n) Σᵢ ‖sᵢ − tᵢ‖²} for two n × D arrays of scores. */
    public static double between(double[] s, double[] t, int n) {
        if (s.length != t.length) {
            throw new IllegalArgumentException("score arrays differ in size: " + s.length + " and " + t.length);
        }
        double sum = 0;
        for (int i = 0; i < t.length; i++) {
            double diff = s[i] - t[i];
            sum += diff * diff;
        }
        return 0.5 * sum / n;
    }
}
