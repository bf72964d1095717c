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
 *   <li>{@link #probabilityFlow}: Heun's method on the probability-flow ODE
 *       {@code dx/dt = a(t)x − ½g(t)²s(x, t)}, whose marginals are the SDE's; deterministic
 *       given the prior draw.</li>
 * </ul>
 *
 * <p>Both can end with Tweedie's denoising at t = ε, {@code x₀ = (x + σ²s(x, σ))/m}, the
 * posterior mean of the clean sample, which removes the last step's noise.
 */
public final class DiffusionSampler {
    private DiffusionSampler() {
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
            double t = 1 - k * dt;
            double a = sde.driftRate(t);
            double g = sde.diffusion(t);
            double[] s = f.score(x, n, sde.sigma(t));
            double noise = g * Math.sqrt(dt);
            for (int e = 0; e < n * d; e++) {
                x[e] -= (a * x[e] - g * g * s[e]) * dt;
                x[e] += noise * rng.nextGaussian();
            }
        }
        return denoise ? tweedie(sde, f, x, n, epsilon) : x;
    }

    /** Probability-flow ODE by Heun's method from {@code x} (n × D, at t = 1, updated in place and returned). */
    public static double[] probabilityFlow(Sde sde, ScoreFunction f, double[] x, int n, int steps, double epsilon,
                                           boolean denoise) {
        int d = f.dimension();
        double dt = step(steps, epsilon);
        double[] predicted = new double[n * d];
        for (int k = 0; k < steps; k++) {
            double t = 1 - k * dt;
            double[] k1 = flow(sde, f, x, n, t);
            for (int e = 0; e < n * d; e++) {
                predicted[e] = x[e] - dt * k1[e];
            }
            double[] k2 = flow(sde, f, predicted, n, t - dt);
            for (int e = 0; e < n * d; e++) {
                x[e] -= 0.5 * dt * (k1[e] + k2[e]);
            }
        }
        return denoise ? tweedie(sde, f, x, n, epsilon) : x;
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

    private static double step(int steps, double epsilon) {
        if (steps < 1 || !(epsilon > 0) || !(epsilon < 1)) {
            throw new IllegalArgumentException("need at least one step and 0 < ε < 1, got " + steps + " and " + epsilon);
        }
        return (1 - epsilon) / steps;
    }
}
