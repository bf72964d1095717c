package org.scorematch;

import org.scorematch.model.Sde;
import org.scorematch.sample.ScoreFunction;

/** Exact scores the diffusion tests integrate against. */
public final class TestScores {
    private TestScores() {
    }

    /**
     * The score of data N(μ, s²I) noised by {@code sde}'s kernel: at noise level σ, with m the
     * kernel's mean factor there, the marginal is {@code N(mμ, (m²s² + σ²)I)}, its score
     * {@code −(x − mμ)/(m²s² + σ²)} and its divergence {@code −D/(m²s² + σ²)}.
     */
    public static ScoreFunction noisedGaussian(Sde sde, double[] mu, double s) {
        int d = mu.length;
        return new ScoreFunction() {
            @Override
            public int dimension() {
                return d;
            }

            @Override
            public double[] score(double[] x, int n, double sigma) {
                double m = sde.meanForSigma(sigma);
                double var = m * m * s * s + sigma * sigma;
                double[] out = new double[n * d];
                for (int e = 0; e < n * d; e++) {
                    out[e] = -(x[e] - m * mu[e % d]) / var;
                }
                return out;
            }

            @Override
            public double[] divergence(double[] x, int n, double sigma) {
                double m = sde.meanForSigma(sigma);
                double[] div = new double[n];
                java.util.Arrays.fill(div, -d / (m * m * s * s + sigma * sigma));
                return div;
            }

            @Override
            public double[] divergenceEstimate(double[] x, int n, double sigma, double[] probes, int k) {
                // vᵀ(∇ₓs)v = −‖v‖²/(m²s² + σ²): exact for Rademacher probes, whose ‖v‖² is D.
                double m = sde.meanForSigma(sigma);
                double var = m * m * s * s + sigma * sigma;
                double[] div = new double[n];
                for (int i = 0; i < n; i++) {
                    for (int e = i * k * d; e < (i + 1) * k * d; e++) {
                        div[i] -= probes[e] * probes[e] / (var * k);
                    }
                }
                return div;
            }
        };
    }

    /**
     * The score of the 1-D mixture {@code Σⱼ wⱼ N(μⱼ, sⱼ²)} noised by {@code sde}'s kernel: at noise
     * level σ (mean factor m) the marginal is {@code Σⱼ wⱼ N(mμⱼ, m²sⱼ² + σ²)} and its score
     * {@code −Σⱼ rⱼ(x)(x − mμⱼ)/(m²sⱼ² + σ²)}, {@code rⱼ} the responsibilities (in log space).
     */
    public static ScoreFunction noisedMixture(Sde sde, double[] w, double[] mu, double[] s) {
        return new ScoreFunction() {
            @Override
            public int dimension() {
                return 1;
            }

            @Override
            public double[] score(double[] x, int n, double sigma) {
                double m = sde.meanForSigma(sigma);
                double[] out = new double[n];
                double[] log = new double[w.length];
                for (int i = 0; i < n; i++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < w.length; j++) {
                        double v = m * m * s[j] * s[j] + sigma * sigma;
                        log[j] = Math.log(w[j]) - 0.5 * Math.log(v) - 0.5 * (x[i] - m * mu[j]) * (x[i] - m * mu[j]) / v;
                        max = Math.max(max, log[j]);
                    }
                    double total = 0;
                    double weighted = 0;
                    for (int j = 0; j < w.length; j++) {
                        double r = Math.exp(log[j] - max);
                        total += r;
                        weighted -= r * (x[i] - m * mu[j]) / (m * m * s[j] * s[j] + sigma * sigma);
                    }
                    out[i] = weighted / total;
                }
                return out;
            }
        };
    }
}
