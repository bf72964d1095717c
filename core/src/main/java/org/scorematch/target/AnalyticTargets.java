package org.scorematch.target;

import java.util.random.RandomGenerator;

/**
 * N-dimensional built-in targets with exact scores beyond Gaussian mixtures: a correlated
 * Gaussian, Neal's funnel and the banana.
 */
public final class AnalyticTargets {
    private AnalyticTargets() {
    }

    /** N(0, Σ) with {@code Σᵢⱼ = ρ^|i−j|} (an AR(1) covariance): a one-component {@link FullCovarianceMixture}. */
    public static Target correlatedGaussian(int dim, double rho) {
        double[] cov = new double[dim * dim];
        for (int i = 0; i < dim; i++) {
            for (int j = 0; j < dim; j++) {
                cov[i * dim + j] = Math.pow(rho, Math.abs(i - j));
            }
        }
        return FullCovarianceMixture.of("correlated", new double[] {1}, new double[][] {new double[dim]},
                new double[][] {cov});
    }

    /**
     * Neal's funnel in {@code dim} dimensions: {@code v ~ N(0, 3²)}, {@code xᵢ | v ~ N(0, eᵛ)}
     * for the other coordinates; {@code ∂v log p = −v/9 − (D−1)/2 + ½e⁻ᵛΣxᵢ²},
     * {@code ∂xᵢ log p = −xᵢe⁻ᵛ}.
     */
    public static Target funnel(int dim) {
        return new NamedTarget("funnel", dim) {
            @Override
            public double[] sample(int n, RandomGenerator rng) {
                double[] x = new double[n * dim];
                for (int s = 0; s < n; s++) {
                    double v = 3 * rng.nextGaussian();
                    x[s * dim] = v;
                    double sd = Math.exp(v / 2);
                    for (int c = 1; c < dim; c++) {
                        x[s * dim + c] = sd * rng.nextGaussian();
                    }
                }
                return x;
            }

            @Override
            public double[] score(double[] x, int n) {
                double[] s = new double[n * dim];
                for (int k = 0; k < n; k++) {
                    double v = x[k * dim];
                    double inv = Math.exp(-v);
                    double sq = 0;
                    for (int c = 1; c < dim; c++) {
                        double xi = x[k * dim + c];
                        sq += xi * xi;
                        s[k * dim + c] = -xi * inv;
                    }
                    s[k * dim] = -v / 9 - (dim - 1) / 2.0 + 0.5 * inv * sq;
                }
                return s;
            }
        };
    }

    /** The banana: {@code x₁ ~ N(0, 1)}, {@code x₂ | x₁ ~ N(x₁², ½²)}. */
    public static Target banana() {
        return new NamedTarget("banana", 2) {
            @Override
            public double[] sample(int n, RandomGenerator rng) {
                double[] x = new double[2 * n];
                for (int s = 0; s < n; s++) {
                    double a = rng.nextGaussian();
                    x[2 * s] = a;
                    x[2 * s + 1] = a * a + 0.5 * rng.nextGaussian();
                }
                return x;
            }

            @Override
            public double[] score(double[] x, int n) {
                double[] s = new double[2 * n];
                for (int k = 0; k < n; k++) {
                    double a = x[2 * k];
                    double r = (x[2 * k + 1] - a * a) / 0.25;
                    s[2 * k] = -a + 2 * a * r;
                    s[2 * k + 1] = -r;
                }
                return s;
            }
        };
    }
}
