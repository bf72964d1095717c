package org.scorematch.target;

import java.util.random.RandomGenerator;
import org.scorematch.linalg.Cholesky;

/**
 * N-dimensional built-in targets with exact scores beyond Gaussian mixtures: a correlated
 * Gaussian, Neal's funnel and the banana.
 */
public final class AnalyticTargets {
    private AnalyticTargets() {
    }

    /** N(0, Σ) with {@code Σᵢⱼ = ρ^|i−j|} (an AR(1) covariance). */
    public static Target correlatedGaussian(int dim, double rho) {
        double[] cov = new double[dim * dim];
        for (int i = 0; i < dim; i++) {
            for (int j = 0; j < dim; j++) {
                cov[i * dim + j] = Math.pow(rho, Math.abs(i - j));
            }
        }
        double[] l = Cholesky.lower(cov, dim);
        double[] precision = Cholesky.inverse(l, dim);
        return new Target() {
            @Override
            public String name() {
                return "correlated";
            }

            @Override
            public int dimension() {
                return dim;
            }

            @Override
            public double[] sample(int n, RandomGenerator rng) {
                double[] x = new double[n * dim];
                double[] z = new double[dim];
                for (int s = 0; s < n; s++) {
                    for (int c = 0; c < dim; c++) {
                        z[c] = rng.nextGaussian();
                    }
                    for (int r = 0; r < dim; r++) {
                        double v = 0;
                        for (int c = 0; c <= r; c++) {
                            v += l[r * dim + c] * z[c];
                        }
                        x[s * dim + r] = v;
                    }
                }
                return x;
            }

            @Override
            public double[] score(double[] x, int n) {
                double[] s = new double[n * dim];
                for (int k = 0; k < n; k++) {
                    for (int r = 0; r < dim; r++) {
                        double v = 0;
                        for (int c = 0; c < dim; c++) {
                            v -= precision[r * dim + c] * x[k * dim + c];
                        }
                        s[k * dim + r] = v;
                    }
                }
                return s;
            }
        };
    }

    /**
     * Neal's funnel in {@code dim} dimensions: {@code v ~ N(0, 3²)}, {@code xᵢ | v ~ N(0, eᵛ)}
     * for the other coordinates; {@code ∂v log p = −v/9 − (D−1)/2 + ½e⁻ᵛΣxᵢ²},
     * {@code ∂xᵢ log p = −xᵢe⁻ᵛ}.
     */
    public static Target funnel(int dim) {
        return new Target() {
            @Override
            public String name() {
                return "funnel";
            }

            @Override
            public int dimension() {
                return dim;
            }

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
        return new Target() {
            @Override
            public String name() {
                return "banana";
            }

            @Override
            public int dimension() {
                return 2;
            }

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
