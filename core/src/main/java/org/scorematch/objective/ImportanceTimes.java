package org.scorematch.objective;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.scorematch.model.Sde;

/**
 * Times for the likelihood weighting λ(t) = g(t)² of continuous-time denoising (Song, Durkan,
 * Murray &amp; Ermon 2021, "Maximum likelihood training of score-based diffusion models"), drawn
 * by importance sampling from {@code p(t) ∝ g(t)²/σ(t)²} on [ε, 1], so that each sample's weight
 * {@code λ(t)/p(t) = Z·σ(t)²} is bounded ({@code Z = ∫_ε¹ g²/σ² dt}) where uniform t would give
 * g²/σ² ~ 1/t near 0. The density has no closed-form inverse for every SDE (sub-VP), so its CDF
 * is tabulated in u = log t, where the integrand g²t/σ² is smooth, on {@link #CELLS} cells by the
 * trapezoid rule, and inverted by linear interpolation.
 */
final class ImportanceTimes implements java.io.Serializable {
    static final int CELLS = 4096;

    private final double[] logTimes;
    private final double[] cumulative;

    ImportanceTimes(Sde sde, double epsilon) {
        logTimes = new double[CELLS + 1];
        cumulative = new double[CELLS + 1];
        double from = Math.log(epsilon);
        double previous = 0;
        for (int i = 0; i <= CELLS; i++) {
            double u = from * (1 - (double) i / CELLS);
            logTimes[i] = u;
            double t = Math.exp(u);
            double g = sde.diffusion(t);
            double s = sde.sigma(t);
            double f = g * g * t / (s * s);
            if (i > 0) {
                cumulative[i] = cumulative[i - 1] + 0.5 * (f + previous) * (u - logTimes[i - 1]);
            }
            previous = f;
        }
    }

    /** {@code Z = ∫_ε¹ g(t)²/σ(t)² dt}. */
    double normalizer() {
        return cumulative[CELLS];
    }

    /** One time drawn from p(t). */
    double draw(RandomGenerator rng) {
        double target = rng.nextDouble() * cumulative[CELLS];
        int i = Arrays.binarySearch(cumulative, target);
        if (i >= 0) {
            return Math.exp(logTimes[i]);
        }
        int hi = Math.min(-i - 1, CELLS);
        int lo = hi - 1;
        double w = (target - cumulative[lo]) / (cumulative[hi] - cumulative[lo]);
        return Math.exp(logTimes[lo] + w * (logTimes[hi] - logTimes[lo]));
    }
}
