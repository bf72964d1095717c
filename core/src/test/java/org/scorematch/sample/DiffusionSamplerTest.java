package org.scorematch.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.scorematch.TestScores;
import org.scorematch.model.Sde;

/**
 * The reverse-time samplers with the exact score of noised Gaussian data recover the data. For
 * x₀ ~ N(μ, s²I) the noised marginal is {@code N(mμ, (m²s² + σ²)I)}, so its score at noise level σ
 * is {@code −(x − mμ)/(m²s² + σ²)} with m from the SDE. Started from the prior, the samplers must
 * return mean μ and variance s² per coordinate (VE's prior N(0, σ_max²I) misses the noised data's
 * mean by μ, which the flow carries to the end scaled by s/σ_max: σ_max = 50 keeps that below
 * 0.03 s). Bounds: 5 standard errors of the sample moments
 * (false failure below 1e-5 per check, normal approximation) plus 3 % for the discretisation's
 * bias: measured, every variance is within 1.6 % of s² (the sampling error alone is 2.2 %) and
 * every mean within 0.042 s of μ, at 500 Euler–Maruyama or 100 Heun steps. Predictor–corrector
 * (500 steps, one Langevin corrector at signal-to-noise ratio 0.16) and the adaptive
 * Dormand–Prince flow (rtol = atol = 1e-5) are held to the same bounds.
 */
class DiffusionSamplerTest {
    private static final double[] MU = {1.5, -0.5};
    private static final double S = 0.7;

    private static ScoreFunction noisedGaussian(Sde sde) {
        return TestScores.noisedGaussian(sde, MU, S);
    }

    private static void assertRecoversTheData(double[] x, int n, String what) {
        // The coordinates are independent: their sample covariance is within 5 standard errors (s²/√n) of 0.
        double m0 = 0;
        double m1 = 0;
        for (int i = 0; i < n; i++) {
            m0 += x[i * 2] / n;
            m1 += x[i * 2 + 1] / n;
        }
        double cov = 0;
        for (int i = 0; i < n; i++) {
            cov += (x[i * 2] - m0) * (x[i * 2 + 1] - m1) / n;
        }
        assertThat(Math.abs(cov)).as("%s covariance: %s", what, cov).isLessThan(5 * S * S / Math.sqrt(n) + 0.03 * S * S);
        for (int c = 0; c < 2; c++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += x[i * 2 + c] / n;
            }
            double var = 0;
            for (int i = 0; i < n; i++) {
                var += (x[i * 2 + c] - mean) * (x[i * 2 + c] - mean) / n;
            }
            assertThat(Math.abs(mean - MU[c])).as("%s mean %d: %s", what, c, mean)
                    .isLessThan(5 * S / Math.sqrt(n) + 0.03 * S);
            assertThat(Math.abs(var - S * S)).as("%s variance %d: %s", what, c, var)
                    .isLessThan(5 * S * S * Math.sqrt(2.0 / n) + 0.03 * S * S);
        }
    }

    @Test
    void reverseSdeAndProbabilityFlowRecoverGaussianData() {
        int n = 10_000;
        for (Sde sde : List.of(Sde.ve(0.01, 50), Sde.vp(0.1, 20), Sde.subVp(0.1, 20))) {
            ScoreFunction f = noisedGaussian(sde);
            SplittableRandom rng = new SplittableRandom(5);
            double[] sde500 = DiffusionSampler.reverseSde(sde, f, DiffusionSampler.prior(sde, n, 2, rng), n, 500, 1e-3,
                    true, rng);
            assertRecoversTheData(sde500, n, sde.id() + " reverse SDE");
            double[] ode = DiffusionSampler.probabilityFlow(sde, f, DiffusionSampler.prior(sde, n, 2, rng), n, 1e-3,
                    OdeSolver.Integration.heun(100), true).samples();
            assertRecoversTheData(ode, n, sde.id() + " probability flow");
            double[] pc = DiffusionSampler.predictorCorrector(sde, f, DiffusionSampler.prior(sde, n, 2, rng), n, 500,
                    1e-3, 0.16, 1, true, rng);
            assertRecoversTheData(pc, n, sde.id() + " predictor-corrector");
            DiffusionSampler.Flow adaptive = DiffusionSampler.probabilityFlow(sde, f,
                    DiffusionSampler.prior(sde, n, 2, rng), n, 1e-3, OdeSolver.Integration.rk45(1e-5, 1e-5), true);
            assertRecoversTheData(adaptive.samples(), n, sde.id() + " adaptive probability flow");
            assertThat(adaptive.evaluations()).as(sde.id()).isBetween(10, 2000);
        }
    }

    /**
     * Weights of separated modes: data 0.2·N(−4, 0.5²) + 0.8·N(4, 0.5²) (1-D), the closed-form
     * score of its noised marginals; the reverse SDE (500 steps from the prior) and the
     * predictor–corrector sampler put 0.8 of 10 000 samples above 0 within 5 standard errors
     * (√(0.16/n) = 0.004; false failure below 1e-6) plus 0.01 for the discretisation (measured
     * within 0.005). A single-level sampler (annealed Langevin at fixed σ) cannot: its chains keep
     * their starting mode's share.
     */
    @Test
    void reverseSamplersReproduceTheWeightsOfSeparatedModes() {
        double[] w = {0.2, 0.8};
        double[] mu = {-4, 4};
        double[] s = {0.5, 0.5};
        int n = 10_000;
        for (Sde sde : List.of(Sde.vp(0.1, 20), Sde.ve(0.01, 20))) {
            ScoreFunction f = TestScores.noisedMixture(sde, w, mu, s);
            SplittableRandom rng = new SplittableRandom(8);
            double[] sde500 = DiffusionSampler.reverseSde(sde, f, DiffusionSampler.prior(sde, n, 1, rng), n, 500, 1e-3,
                    true, rng);
            double[] pc = DiffusionSampler.predictorCorrector(sde, f, DiffusionSampler.prior(sde, n, 1, rng), n, 500, 1e-3,
                    0.16, 1, true, rng);
            for (double[] x : List.of(sde500, pc)) {
                double above = java.util.Arrays.stream(x).filter(v -> v > 0).count() / (double) n;
                assertThat(Math.abs(above - 0.8)).as("%s: share above 0 %s", sde.id(), above)
                        .isLessThan(5 * Math.sqrt(0.16 / n) + 0.01);
            }
        }
    }

    /** A score 20 % too small is seen: the check above can fail. */
    @Test
    void aWrongScoreIsSeen() {
        int n = 4000;
        Sde sde = Sde.vp(0.1, 20);
        ScoreFunction flat = new ScoreFunction() {
            @Override
            public int dimension() {
                return 2;
            }

            @Override
            public double[] score(double[] x, int n2, double sigma) {
                double[] s = noisedGaussian(sde).score(x, n2, sigma);
                for (int e = 0; e < s.length; e++) {
                    s[e] *= 0.8;
                }
                return s;
            }
        };
        SplittableRandom rng = new SplittableRandom(6);
        double[] x = DiffusionSampler.probabilityFlow(sde, flat, DiffusionSampler.prior(sde, n, 2, rng), n, 1e-3,
                OdeSolver.Integration.heun(100), false).samples();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> assertRecoversTheData(x, n, "0.8 × the score"))
                .isInstanceOf(AssertionError.class);
    }
}
