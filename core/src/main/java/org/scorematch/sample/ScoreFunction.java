package org.scorematch.sample;

import org.scorematch.engine.Engine;
import org.scorematch.engine.EnergyDerivatives;
import org.scorematch.model.EnergyModel;
import org.scorematch.model.Model;
import org.scorematch.model.NoiseLadder;
import org.scorematch.model.ScoreView;
import org.scorematch.target.GaussianMixture;
import org.scorematch.target.Target;

/**
 * What a sampler needs of a distribution: its score {@code ∇ₓ log p(x, σ)} at noise level σ
 * (ignored when unconditional), and for Metropolis corrections its energy. Built from a
 * {@link Model} (in the model's own, standardised, units) or from an analytic target.
 */
public interface ScoreFunction {
    int dimension();

    /** Scores of the rows of {@code x} (n × D) at noise level {@code sigma}. */
    double[] score(double[] x, int n, double sigma);

    /**
     * The divergence {@code ∇ₓ·s} at the rows of {@code x} (n × D) at noise level {@code sigma},
     * for likelihoods by the probability-flow ODE; models compute it exactly.
     */
    default double[] divergence(double[] x, int n, double sigma) {
        throw new UnsupportedOperationException("this score function has no divergence");
    }

    /**
     * Hutchinson's estimate of the divergence with {@code k} probes per row ({@code probes}, row
     * {@code i·k + j}, D wide), for large D; models compute it with k jets.
     */
    default double[] divergenceEstimate(double[] x, int n, double sigma, double[] probes, int k) {
        throw new UnsupportedOperationException("this score function has no divergence estimate");
    }

    /** Whether {@link #energy} is available (energy models; refused for score networks). */
    default boolean hasEnergy() {
        return false;
    }

    /** {@code E(x)} with {@code p ∝ exp(−E)}, for Metropolis corrections. */
    default double[] energy(double[] x, int n, double sigma) {
        throw new org.scorematch.ScorematchException(
                "this model has no energy: MALA and log-likelihoods need an energy model; use Langevin sampling");
    }

    /** The noise ladder of a noise-conditional model, else null. */
    default NoiseLadder ladder() {
        return null;
    }

    /** A trained model's score (and energy, for energy models). */
    static ScoreFunction of(Model model, Engine engine) {
        double[] theta = model.parameters();
        var arch = model.architecture();
        return new ScoreFunction() {
            @Override
            public int dimension() {
                return arch.dimension();
            }

            @Override
            public double[] score(double[] x, int n, double sigma) {
                return ScoreView.evaluate(engine, arch, theta, x, n, sigma);
            }

            @Override
            public double[] divergence(double[] x, int n, double sigma) {
                return ScoreView.divergence(engine, arch, theta, x, n, sigma);
            }

            @Override
            public double[] divergenceEstimate(double[] x, int n, double sigma, double[] probes, int k) {
                return ScoreView.divergenceEstimate(engine, arch, theta, x, n, sigma, probes, k);
            }

            @Override
            public boolean hasEnergy() {
                return model instanceof EnergyModel;
            }

            @Override
            public double[] energy(double[] x, int n, double sigma) {
                if (!hasEnergy()) {
                    return ScoreFunction.super.energy(x, n, sigma);
                }
                double s = arch.isConditional() ? sigma : 1.0;
                double[] sigmas = new double[n];
                java.util.Arrays.fill(sigmas, s);
                double[] e = EnergyDerivatives.energies(engine, arch.network(), theta, arch.networkInput(x, n, sigmas), n);
                for (int i = 0; i < n; i++) {
                    e[i] /= s;
                }
                return e;
            }

            @Override
            public NoiseLadder ladder() {
                return arch.ladder();
            }
        };
    }

    /**
     * An analytic target's exact score (no noise conditioning), and its energy {@code E = −log p}
     * when the target knows its log-density (so MALA, HMC and tempering apply).
     */
    static ScoreFunction of(Target target) {
        return new ScoreFunction() {
            @Override
            public int dimension() {
                return target.dimension();
            }

            @Override
            public double[] score(double[] x, int n, double sigma) {
                return target.score(x, n);
            }

            @Override
            public boolean hasEnergy() {
                return target.hasLogDensity();
            }

            @Override
            public double[] energy(double[] x, int n, double sigma) {
                if (!hasEnergy()) {
                    return ScoreFunction.super.energy(x, n, sigma);
                }
                double[] e = target.logDensity(x, n);
                for (int i = 0; i < n; i++) {
                    e[i] = -e[i];
                }
                return e;
            }
        };
    }

    /**
     * The exact noise-conditional score of a mixture, {@code ∇log (p * N(0, σ²I))}, on a ladder:
     * an ideal multi-scale model for testing annealed Langevin.
     */
    static ScoreFunction annealed(GaussianMixture mixture, NoiseLadder ladder) {
        return new ScoreFunction() {
            @Override
            public int dimension() {
                return mixture.dimension();
            }

            @Override
            public double[] score(double[] x, int n, double sigma) {
                return mixture.convolved(sigma).score(x, n);
            }

            @Override
            public NoiseLadder ladder() {
                return ladder;
            }
        };
    }
}
