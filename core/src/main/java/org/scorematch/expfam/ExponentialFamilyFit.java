package org.scorematch.expfam;

import org.scorematch.ScorematchException;
import org.scorematch.linalg.Cholesky;
import org.scorematch.linalg.Matrix;

/**
 * Closed-form score matching for an exponential family {@code log p̃(x) = θᵀF(x)} (Hyvärinen 2005,
 * §4), with the generalised weights {@code hᵢ} for non-negative data (Hyvärinen 2007; Yu, Drton
 * &amp; Shojaie 2019). The empirical loss is quadratic in θ,
 * {@code Ĵ(θ) = ½θᵀΓ̂θ + ĝᵀθ} with
 * {@code Γ̂ = (1/n) Σₙ Σᵢ hᵢ(xᵢ) ∂ᵢF ∂ᵢFᵀ} and {@code ĝ = (1/n) Σₙ Σᵢ [hᵢ(xᵢ) ∂ᵢ²F + hᵢ′(xᵢ) ∂ᵢF]},
 * so {@code θ̂ = −(Γ̂ + ρI)⁻¹ĝ} (ridge ρ ≥ 0; ρ = 0 needs Γ̂ invertible). Standard errors are the
 * sandwich {@code Γ̂⁻¹ (Cov ψₙ / n) Γ̂⁻¹} with {@code ψₙ = Γₙθ̂ + gₙ}, the per-sample gradient of
 * the loss (M-estimation).
 */
public final class ExponentialFamilyFit {
    private final int p;
    private final double[] gamma;
    private final double[] g;
    private final double[] theta;
    private final double[] standardErrors;
    private final double ridge;

    private ExponentialFamilyFit(int p, double[] gamma, double[] g, double[] theta, double[] se, double ridge) {
        this.p = p;
        this.gamma = gamma;
        this.g = g;
        this.theta = theta;
        this.standardErrors = se;
        this.ridge = ridge;
    }

    /** Fits θ to the rows of {@code data}; {@code ridge} = 0 for the plain estimator. */
    public static ExponentialFamilyFit fit(SufficientStatistics stats, Weights weights, Matrix data, double ridge) {
        int d = stats.dimension();
        if (data.cols() != d) {
            throw new ScorematchException("the data have " + data.cols() + " columns, the statistics expect " + d);
        }
        if (!(ridge >= 0)) {
            throw new ScorematchException("the ridge must be non-negative");
        }
        int p = stats.parameters();
        int n = data.rows();
        double[] x = data.toArray();
        double[] gamma = new double[p * p];
        double[] g = new double[p];
        double[][] perGamma = new double[n][];
        double[][] perG = new double[n][];
        double[] first = new double[p];
        double[] second = new double[p];
        double[] row = new double[d];
        for (int s = 0; s < n; s++) {
            System.arraycopy(x, s * d, row, 0, d);
            double[] gs = new double[p * p];
            double[] ls = new double[p];
            for (int i = 0; i < d; i++) {
                stats.derivatives(row, i, first, second);
                double h = weights.h(row[i]);
                double dh = weights.derivative(row[i]);
                for (int a = 0; a < p; a++) {
                    ls[a] += h * second[a] + dh * first[a];
                    if (first[a] != 0) {
                        for (int b = 0; b < p; b++) {
                            gs[a * p + b] += h * first[a] * first[b];
                        }
                    }
                }
            }
            for (int e = 0; e < p * p; e++) {
                gamma[e] += gs[e] / n;
            }
            for (int a = 0; a < p; a++) {
                g[a] += ls[a] / n;
            }
            perGamma[s] = gs;
            perG[s] = ls;
        }
        double[] reg = gamma.clone();
        for (int a = 0; a < p; a++) {
            reg[a * p + a] += ridge;
        }
        double[] l;
        try {
            l = Cholesky.lower(reg, p);
        } catch (IllegalArgumentException e) {
            throw new ScorematchException("Γ̂ is singular (" + e.getMessage() + "): the data do not identify all " + p
                    + " parameters; use a ridge (setting 'ridge') or more data");
        }
        double[] minusG = new double[p];
        for (int a = 0; a < p; a++) {
            minusG[a] = -g[a];
        }
        double[] theta = Cholesky.solve(l, p, minusG);
        double[] se = null;
        if (ridge == 0 && n > 1) {
            se = sandwich(l, p, n, perGamma, perG, theta);
        }
        return new ExponentialFamilyFit(p, gamma, g, theta, se, ridge);
    }

    private static double[] sandwich(double[] l, int p, int n, double[][] perGamma, double[][] perG, double[] theta) {
        double[] mean = new double[p];
        double[][] psi = new double[n][p];
        for (int s = 0; s < n; s++) {
            for (int a = 0; a < p; a++) {
                double v = perG[s][a];
                for (int b = 0; b < p; b++) {
                    v += perGamma[s][a * p + b] * theta[b];
                }
                psi[s][a] = v;
                mean[a] += v / n;
            }
        }
        double[] cov = new double[p * p];
        for (int s = 0; s < n; s++) {
            for (int a = 0; a < p; a++) {
                for (int b = 0; b < p; b++) {
                    cov[a * p + b] += (psi[s][a] - mean[a]) * (psi[s][b] - mean[b]) / (n - 1.0) / n;
                }
            }
        }
        double[] inv = Cholesky.inverse(l, p);
        double[] se = new double[p];
        for (int a = 0; a < p; a++) {
            double v = 0;
            for (int b = 0; b < p; b++) {
                for (int c = 0; c < p; c++) {
                    v += inv[a * p + b] * cov[b * p + c] * inv[c * p + a];
                }
            }
            se[a] = Math.sqrt(Math.max(0, v));
        }
        return se;
    }

    /** θ̂. */
    public double[] theta() {
        return theta.clone();
    }

    /** Sandwich standard errors of θ̂, or null with a ridge (the sandwich assumes the plain estimator). */
    public double[] standardErrors() {
        return standardErrors == null ? null : standardErrors.clone();
    }

    /** Γ̂ (p × p, row-major). */
    public double[] gamma() {
        return gamma.clone();
    }

    /** ĝ. */
    public double[] g() {
        return g.clone();
    }

    /** The ridge λ added to the diagonal of Γ̂ before solving. */
    public double ridge() {
        return ridge;
    }

    /** The empirical score-matching loss {@code ½θᵀΓ̂θ + ĝᵀθ} at any θ. */
    public double loss(double[] t) {
        double q = 0;
        for (int a = 0; a < p; a++) {
            double row = 0;
            for (int b = 0; b < p; b++) {
                row += gamma[a * p + b] * t[b];
            }
            q += 0.5 * t[a] * row + g[a] * t[a];
        }
        return q;
    }
}
