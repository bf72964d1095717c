package org.scorematch.target;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The suite's new targets: scores against finite differences of their log-densities, and their samples' moments. */
class AnalyticTargetsTest {
    /** ∇log p by central differences of log p (step 1e-5, error O(h²) ≈ 1e-9 relative). */
    private static void scoreMatchesFiniteDifferences(Target t, java.util.function.BiFunction<double[], Integer, double[]> logp,
                                                      double[] x, int n) {
        int d = t.dimension();
        double[] s = t.score(x, n);
        double h = 1e-5;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                double[] p = java.util.Arrays.copyOfRange(x, i * d, (i + 1) * d);
                double[] q = p.clone();
                p[c] += h;
                q[c] -= h;
                double fd = (logp.apply(p, 1)[0] - logp.apply(q, 1)[0]) / (2 * h);
                assertThat(s[i * d + c]).as("row %d, coordinate %d", i, c)
                        .isCloseTo(fd, org.assertj.core.data.Offset.offset(1e-6 * Math.max(1, Math.abs(fd))));
            }
        }
    }

    /** log of Σⱼ wⱼ N(x; μⱼ, sⱼ²I) for normalised weights, written out independently of GaussianMixture. */
    private static double[] isotropicMixtureLogDensity(double[] w, double[][] mu, double[] sd, double[] x, int n) {
        int d = mu[0].length;
        double total = java.util.Arrays.stream(w).sum();
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double p = 0;
            for (int j = 0; j < w.length; j++) {
                double sq = 0;
                for (int c = 0; c < d; c++) {
                    sq += (x[i * d + c] - mu[j][c]) * (x[i * d + c] - mu[j][c]);
                }
                p += w[j] / total * Math.exp(-0.5 * sq / (sd[j] * sd[j])) / Math.pow(2 * Math.PI * sd[j] * sd[j], d / 2.0);
            }
            out[i] = Math.log(p);
        }
        return out;
    }

    /**
     * Random isotropic mixtures in D = 1–4: {@code GaussianMixture.score} is the gradient of log p,
     * and {@code logDensity} is log p.
     */
    @Test
    void isotropicMixtureScoreIsTheGradientOfItsLogDensity() {
        SplittableRandom rng = new SplittableRandom(12);
        for (int trial = 0; trial < 6; trial++) {
            int d = 1 + rng.nextInt(4);
            int k = 1 + rng.nextInt(4);
            double[] w = new double[k];
            double[][] mu = new double[k][d];
            double[] sd = new double[k];
            for (int j = 0; j < k; j++) {
                w[j] = 0.2 + rng.nextDouble();
                sd[j] = 0.3 + rng.nextDouble();
                for (int c = 0; c < d; c++) {
                    mu[j][c] = 4 * rng.nextDouble() - 2;
                }
            }
            GaussianMixture m = GaussianMixture.of("t", w, mu, sd);
            double[] x = m.sample(10, rng);
            scoreMatchesFiniteDifferences(m, (p, n) -> isotropicMixtureLogDensity(w, mu, sd, p, n), x, 10);
            // Its own log-density is the independent one (so MALA and tempering get the right energy).
            assertThat(m.hasLogDensity()).isTrue();
            assertThat(m.logDensity(x, 10)).containsExactly(isotropicMixtureLogDensity(w, mu, sd, x, 10),
                    org.assertj.core.data.Offset.offset(1e-12));
        }
    }

    /**
     * {@code convolved(σ)} is the law of x + σε: its score equals the derivative of the log of the
     * numerically convolved density {@code ∫p(y)N(x − y; σ²)dy} (trapezoid rule on [−25, 25] with
     * step 1e-3, error far below the 1e-6 tolerance for these smooth integrands), in 1-D.
     */
    @Test
    void convolvedMixtureIsTheNoisedLaw() {
        double[] w = {0.3, 0.7};
        double[][] mu = {{-1.5}, {2}};
        double[] sd = {0.4, 0.9};
        double sigma = 0.6;
        GaussianMixture noised = GaussianMixture.of("m", w, mu, sd).convolved(sigma);
        java.util.function.DoubleUnaryOperator density = xv -> {
            double h = 1e-3;
            double acc = 0;
            for (int i = 0; i <= 50000; i++) {
                double y = -25 + i * h;
                double py = Math.exp(isotropicMixtureLogDensity(w, mu, sd, new double[] {y}, 1)[0]);
                double k = Math.exp(-0.5 * (xv - y) * (xv - y) / (sigma * sigma)) / Math.sqrt(2 * Math.PI * sigma * sigma);
                acc += (i == 0 || i == 50000 ? 0.5 : 1) * h * py * k;
            }
            return acc;
        };
        double[] points = {-3, -1, 0, 0.7, 2.5};
        double[] s = noised.score(points, points.length);
        for (int i = 0; i < points.length; i++) {
            double e = 1e-4;
            double fd = (Math.log(density.applyAsDouble(points[i] + e)) - Math.log(density.applyAsDouble(points[i] - e)))
                    / (2 * e);
            assertThat(s[i]).as("x = %s", points[i]).isCloseTo(fd, org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    @Test
    void studentTScoreIsTheGradientOfItsLogDensity() {
        StudentTProduct t = StudentTProduct.of(6, 3, new SplittableRandom(1));
        double[] x = t.sample(20, new SplittableRandom(2));
        scoreMatchesFiniteDifferences(t, t::logDensity, x, 20);
    }

    @Test
    void mixtureScoreIsTheGradientOfItsLogDensity() {
        FullCovarianceMixture m = FullCovarianceMixture.anisotropic(4, 3, new SplittableRandom(3));
        double[] x = m.sample(20, new SplittableRandom(4));
        scoreMatchesFiniteDifferences(m, m::logDensity, x, 20);
    }

    /**
     * t_ν coordinates have variance ν/(ν−2) and the rotation keeps the covariance at that times I.
     * With ν = 5 and 200 000 draws the sample variance has a standard error of about 0.013 (the
     * fourth moment is finite for ν > 4), so a 0.07 band is over 5 standard errors wide
     * (false-failure rate below 1e-6 per entry); off-diagonals likewise around 0.
     */
    @Test
    void studentTSamplesHaveTheirCovariance() {
        int n = 200_000;
        int d = 3;
        StudentTProduct t = StudentTProduct.of(d, 5, new SplittableRandom(5));
        double[] x = t.sample(n, new SplittableRandom(6));
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += x[i * d + a] * x[i * d + b];
                }
                assertThat(s / n).as("cov[%d][%d]", a, b).isCloseTo(a == b ? 5.0 / 3 : 0,
                        org.assertj.core.data.Offset.offset(0.07));
            }
        }
    }

    /**
     * The mixture's density integrates to one: in 1-D, the midpoint rule over ±12 standard
     * deviations of every component on 200 000 cells (error far below 1e-6).
     */
    @Test
    void mixtureDensityIsNormalised() {
        FullCovarianceMixture m = FullCovarianceMixture.anisotropic(1, 3, new SplittableRandom(7));
        int cells = 200_000;
        double lo = -40;
        double hi = 40;
        double[] x = new double[cells];
        for (int i = 0; i < cells; i++) {
            x[i] = lo + (i + 0.5) * (hi - lo) / cells;
        }
        double[] lp = m.logDensity(x, cells);
        double total = 0;
        for (double v : lp) {
            total += Math.exp(v) * (hi - lo) / cells;
        }
        assertThat(total).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-6));
    }
}
