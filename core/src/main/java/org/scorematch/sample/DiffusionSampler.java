package org.scorematch.sample;

import java.util.random.RandomGenerator;
import org.scorematch.model.Sde;

/**
 * Samplers that reverse an {@link Sde} with a learned score {@code s(x, σ(t)) ≈ ∇ₓ log p_t(x)}
 * (Song et al., ICLR 2021): from the prior at t = 1 down to t = ε on a uniform grid of
 * {@code steps} steps of size {@code Δ = (1 − ε)/steps}, all chains at once.
 *
 * <ul>
 *   <li>{@link #reverseSde}: Euler–Maruyama on the reverse SDE
 *       {@code dx = [a(t)x − g(t)²s(x, t)]dt + g(t)dw̄}:
 *       {@code x ← x − (a x − g²s)Δ + g√Δ z};</li>
 *   <li>{@link #predictorCorrector}: the same predictor after Langevin corrector steps whose
 *       size follows a signal-to-noise ratio;</li>
 *   <li>{@link #probabilityFlow}: Heun's method on the probability-flow ODE
 *       {@code dx/dt = a(t)x − ½g(t)²s(x, t)}, whose marginals are the SDE's; deterministic
 *       given the prior draw; {@link #probabilityFlowAdaptive}: the same ODE by adaptive
 *       Dormand–Prince, which reports its number of evaluations.</li>
 * </ul>
 *
 * <p>Both can end with Tweedie's denoising at t = ε, {@code x₀ = (x + σ²s(x, σ))/m}, the
 * posterior mean of the clean sample, which removes the last step's noise.
 */
public final class DiffusionSampler {
    private DiffusionSampler() {
    }

    /** The samplers of a diffusion model, as settings name them, with the words reports use. */
    public enum Kind implements org.scorematch.Identified {
        /** Predictor–corrector: reverse-diffusion steps, each followed by SNR-sized Langevin corrections. */
        PC("predictor–corrector"),
        /** The reverse-time SDE by Euler–Maruyama. */
        SDE("reverse SDE (Euler–Maruyama)"),
        /** The probability-flow ODE, deterministic given the prior draw. */
        ODE("probability-flow ODE");

        private final String title;

        Kind(String title) {
            this.title = title;
        }

        /** What the sampler is called in reports, e.g. "reverse SDE (Euler–Maruyama)". */
        public String title() {
            return title;
        }

        /** Parses {@link #id()}; the error lists the ids. */
        public static Kind fromId(String id) {
            return org.scorematch.Identified.parse(Kind.class, id, "diffusion sampler");
        }
    }

    /** n draws (n × D) from the prior {@code N(0, σ₁²I)}. */
    public static double[] prior(Sde sde, int n, int d, RandomGenerator rng) {
        double[] x = new double[n * d];
        double s = sde.priorSigma();
        for (int i = 0; i < x.length; i++) {
            x[i] = s * rng.nextGaussian();
        }
        return x;
    }

    /** Reverse-SDE Euler–Maruyama from {@code x} (n × D, at t = 1, updated in place and returned). */
    public static double[] reverseSde(Sde sde, ScoreFunction f, double[] x, int n, int steps, double epsilon,
                                      boolean denoise, RandomGenerator rng) {
        int d = f.dimension();
        double dt = step(steps, epsilon);
        for (int k = 0; k < steps; k++) {
            predict(sde, f, x, n, d, 1 - k * dt, dt, rng);
        }
        return denoise ? tweedie(sde, f, x, n, epsilon) : x;
    }

    /** One reverse-SDE Euler–Maruyama step from t to t − Δ. */
    private static void predict(Sde sde, ScoreFunction f, double[] x, int n, int d, double t, double dt,
                                RandomGenerator rng) {
        double a = sde.driftRate(t);
        double g = sde.diffusion(t);
        double[] s = f.score(x, n, sde.sigma(t));
        double noise = g * Math.sqrt(dt);
        for (int e = 0; e < n * d; e++) {
            x[e] -= (a * x[e] - g * g * s[e]) * dt;
            x[e] += noise * rng.nextGaussian();
        }
    }

    /**
     * Predictor–corrector sampling (Song et al. 2021, Algorithms 2 and 3): at each time, first
     * {@code correctorSteps} Langevin corrector steps at the current noise level whose step
     * follows a signal-to-noise ratio, {@code η = 2α(r·mean‖z‖/mean‖s‖)²} over the chains ({@code r = snr},
     * α = 1 for VE and {@code 1 − β(t)Δ} for VP and sub-VP), {@code x ← x + ηs + √(2η)z}; then one
     * reverse-SDE Euler–Maruyama predictor step. Updates {@code x} (n × D, at t = 1) in place.
     */
    public static double[] predictorCorrector(Sde sde, ScoreFunction f, double[] x, int n, int steps, double epsilon,
                                              double snr, int correctorSteps, boolean denoise, RandomGenerator rng) {
        int d = f.dimension();
        double dt = step(steps, epsilon);
        double[] z = new double[n * d];
        for (int k = 0; k < steps; k++) {
            double t = 1 - k * dt;
            double sigma = sde.sigma(t);
            double alpha = sde instanceof Sde.VarianceExploding ? 1 : 1 + 2 * sde.driftRate(t) * dt;
            for (int j = 0; j < correctorSteps; j++) {
                double[] s = f.score(x, n, sigma);
                for (int e = 0; e < z.length; e++) {
                    z[e] = rng.nextGaussian();
                }
                // One step for all chains from the batch's mean norms, as the reference code: a chain
                // whose own score is near zero would otherwise take an unbounded step.
                double zNorm = meanRowNorm(z, n, d);
                double sNorm = meanRowNorm(s, n, d);
                double eta = sNorm > 0 ? 2 * alpha * Math.pow(snr * zNorm / sNorm, 2) : 0;
                double noise = Math.sqrt(2 * eta);
                for (int e = 0; e < n * d; e++) {
                    x[e] += eta * s[e] + noise * z[e];
                }
            }
            predict(sde, f, x, n, d, t, dt, rng);
        }
        return denoise ? tweedie(sde, f, x, n, epsilon) : x;
    }

    /** The probability-flow ODE's samples and the number of score evaluations the integrator spent. */
    public record Flow(double[] samples, int evaluations) {
    }

    /**
     * The probability-flow ODE {@code dx/dt = a(t)x − ½g(t)²s(x, t)} from {@code x} (n × D, at
     * t = 1) down to ε, all chains as one system (an adaptive solver's steps shared by the chains,
     * as in the reference code); then Tweedie's denoising if asked.
     */
    public static Flow probabilityFlow(Sde sde, ScoreFunction f, double[] x, int n, double epsilon,
                                       OdeSolver.Integration how, boolean denoise) {
        step(1, epsilon);
        OdeSolver.Solution end = how.solve((t, y) -> flow(sde, f, y, n, t), x, 1.0, epsilon);
        double[] z = end.state();
        return new Flow(denoise ? tweedie(sde, f, z, n, epsilon) : z, end.evaluations());
    }

    /** The probability-flow velocity {@code a(t)x − ½g(t)²s(x, t)} at the rows of {@code x}. */
    static double[] flow(Sde sde, ScoreFunction f, double[] x, int n, double t) {
        double a = sde.driftRate(t);
        double g = sde.diffusion(t);
        double[] v = f.score(x, n, sde.sigma(t));
        for (int e = 0; e < v.length; e++) {
            v[e] = a * x[e] - 0.5 * g * g * v[e];
        }
        return v;
    }

    private static double[] tweedie(Sde sde, ScoreFunction f, double[] x, int n, double t) {
        double sigma = sde.sigma(t);
        double m = sde.mean(t);
        double[] s = f.score(x, n, sigma);
        for (int e = 0; e < x.length; e++) {
            x[e] = (x[e] + sigma * sigma * s[e]) / m;
        }
        return x;
    }

    /** The mean over the {@code n} rows of {@code a} (n × d) of their Euclidean norms. */
    private static double meanRowNorm(double[] a, int n, int d) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double sq = 0;
            for (int c = 0; c < d; c++) {
                sq += a[i * d + c] * a[i * d + c];
            }
            sum += Math.sqrt(sq);
        }
        return sum / n;
    }

    private static double step(int steps, double epsilon) {
        if (steps < 1 || !(epsilon > 0) || !(epsilon < 1)) {
            throw new IllegalArgumentException("need at least one step and 0 < ε < 1, got " + steps + " and " + epsilon);
        }
        return (1 - epsilon) / steps;
    }
}
