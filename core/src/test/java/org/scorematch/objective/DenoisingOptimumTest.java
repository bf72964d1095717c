package org.scorematch.objective;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.scorematch.TestEngines;
import org.scorematch.engine.Engine;
import org.scorematch.linalg.Cholesky;
import org.scorematch.model.Architecture;
import org.scorematch.model.NoiseLadder;
import org.scorematch.model.Sde;
import org.scorematch.model.ScoreView;
import org.scorematch.model.ScoreModel;
import org.scorematch.optim.Adam;
import org.scorematch.target.Target;
import org.scorematch.train.TargetTraining;

/**
 * A known optimum: for data N(μ, Σ) and the linear score model {@code s(x) = Ax + b},
 * single-level denoising at σ is minimised by the score of N(μ, Σ + σ²I), i.e.
 * {@code A* = −(Σ + σ²I)⁻¹}, {@code b* = (Σ + σ²I)⁻¹μ}. Adam (3000 steps at lr 1e-2, then 3000 at
 * 1e-3, batch 512, seed 3) lands within 0.02 of every entry (measured: largest error 0.006).
 */
class DenoisingOptimumTest {
    private static final Engine ENGINE = TestEngines.TWO_THREADS;

    /** N(μ, Σ) with its exact score. */
    record Gaussian(double[] mean, double[] cov) implements Target {
        @Override
        public String name() {
            return "gaussian";
        }

        @Override
        public int dimension() {
            return mean.length;
        }

        @Override
        public double[] sample(int n, RandomGenerator rng) {
            int d = mean.length;
            double[] l = Cholesky.lower(cov, d);
            double[] x = new double[n * d];
            double[] z = new double[d];
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < d; c++) {
                    z[c] = rng.nextGaussian();
                }
                for (int r = 0; r < d; r++) {
                    double v = mean[r];
                    for (int c = 0; c <= r; c++) {
                        v += l[r * d + c] * z[c];
                    }
                    x[i * d + r] = v;
                }
            }
            return x;
        }

        @Override
        public double[] score(double[] x, int n) {
            int d = mean.length;
            double[] prec = inverse(cov, d);
            double[] s = new double[n * d];
            for (int i = 0; i < n; i++) {
                for (int r = 0; r < d; r++) {
                    for (int c = 0; c < d; c++) {
                        s[i * d + r] -= prec[r * d + c] * (x[i * d + c] - mean[c]);
                    }
                }
            }
            return s;
        }
    }

    /** Gauss–Jordan inverse of a small symmetric positive-definite matrix. */
    static double[] inverse(double[] a, int d) {
        double[] m = a.clone();
        double[] inv = new double[d * d];
        for (int i = 0; i < d; i++) {
            inv[i * d + i] = 1;
        }
        for (int p = 0; p < d; p++) {
            double pivot = m[p * d + p];
            for (int c = 0; c < d; c++) {
                m[p * d + c] /= pivot;
                inv[p * d + c] /= pivot;
            }
            for (int r = 0; r < d; r++) {
                if (r != p) {
                    double f = m[r * d + p];
                    for (int c = 0; c < d; c++) {
                        m[r * d + c] -= f * m[p * d + c];
                        inv[r * d + c] -= f * inv[p * d + c];
                    }
                }
            }
        }
        return inv;
    }

    /**
     * The loss value at the optimum: at {@code s* = −P(x̃ − μ)}, {@code P = (Σ + σ²I)⁻¹}, the
     * single-level loss {@code E ½‖s*(x̃) + ε/σ‖²} equals {@code ½(D/σ² − tr P)} (Vincent 2011: the
     * explicit loss is 0 there, and the constant between the two is this). 40 batches of 5000
     * rows, each with fresh noise; the mean is within 5 standard errors of the spread between
     * batches (false failure below 1e-6), and two batches never give the same loss, while the
     * same seed repeats it exactly.
     */
    @Test
    void lossAtTheOptimumIsTheKnownConstant() {
        double sigma = 0.7;
        double[] mean = {1, -2, 0.5};
        double[] cov = {1.0, 0.3, 0.1, 0.3, 0.8, -0.2, 0.1, -0.2, 0.5};
        double[] noised = cov.clone();
        for (int i = 0; i < 3; i++) {
            noised[i * 3 + i] += sigma * sigma;
        }
        double[] p = inverse(noised, 3);
        Architecture arch = Architecture.linearScore(3);
        double[] theta = new double[arch.network().parameterCount()];
        double trace = 0;
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                theta[r * 3 + c] = -p[r * 3 + c];
                theta[9 + r] += p[r * 3 + c] * mean[c];
            }
            trace += p[r * 3 + r];
        }
        double expected = 0.5 * (3 / (sigma * sigma) - trace);
        DenoisingScoreMatching dsm = DenoisingScoreMatching.singleLevel(sigma);
        Gaussian data = new Gaussian(mean, cov);
        SplittableRandom rng = new SplittableRandom(17);
        int batches = 40;
        double[] losses = new double[batches];
        for (int b = 0; b < batches; b++) {
            double[] x = data.sample(5000, rng);
            losses[b] = dsm.lossAndGradient(ENGINE, arch, theta, x, 5000, rng, null);
        }
        double m = java.util.Arrays.stream(losses).average().orElseThrow();
        double var = java.util.Arrays.stream(losses).map(v -> (v - m) * (v - m)).sum() / (batches - 1);
        assertThat(Math.abs(m - expected)).isLessThan(5 * Math.sqrt(var / batches));
        double[] x = data.sample(100, rng);
        double first = dsm.lossAndGradient(ENGINE, arch, theta, x, 100, rng, null);
        double second = dsm.lossAndGradient(ENGINE, arch, theta, x, 100, rng, null);
        assertThat(second).as("fresh noise on every call").isNotEqualTo(first);
        assertThat(dsm.lossAndGradient(ENGINE, arch, theta, x, 100, new SplittableRandom(5), null))
                .isEqualTo(dsm.lossAndGradient(ENGINE, arch, theta, x, 100, new SplittableRandom(5), null));
    }

    /**
     * Multi-scale known optimum: for data N(μ, Σ) the exact score of the noised data at level σ
     * is {@code −(Σ + σ²I)⁻¹(x̃ − μ)}, and there the σ²-weighted loss averages, over the
     * uniformly drawn levels, to {@code ½·meanᵢ(D − σᵢ² tr(Σ + σᵢ²I)⁻¹)}. 40 batches of 5000 rows;
     * the mean is within 5 standard errors (false failure below 1e-6). A wrong weight (λ = 1 or
     * σ), a level drawn off the ladder or noise not scaled by its own σ each move the mean by
     * many standard errors.
     */
    @Test
    void multiScaleLossAtTheExactScoreIsTheKnownConstant() {
        double[] mean = {1, -2, 0.5};
        double[] cov = {1.0, 0.3, 0.1, 0.3, 0.8, -0.2, 0.1, -0.2, 0.5};
        NoiseLadder ladder = NoiseLadder.geometric(3, 0.05, 10);
        double[][] precisions = new double[ladder.size()][];
        double expected = 0;
        for (int i = 0; i < ladder.size(); i++) {
            double sg = ladder.sigma(i);
            double[] noised = cov.clone();
            for (int c = 0; c < 3; c++) {
                noised[c * 3 + c] += sg * sg;
            }
            precisions[i] = inverse(noised, 3);
            double trace = precisions[i][0] + precisions[i][4] + precisions[i][8];
            expected += 0.5 * (3 - sg * sg * trace) / ladder.size();
        }
        DenoisingScoreMatching.NoisyScore exact = (noisy, n, sigmas) -> {
            double[] s = new double[n * 3];
            for (int b = 0; b < n; b++) {
                double[] p = precisions[levelOf(ladder, sigmas[b])];
                for (int r = 0; r < 3; r++) {
                    for (int c = 0; c < 3; c++) {
                        s[b * 3 + r] -= p[r * 3 + c] * (noisy[b * 3 + c] - mean[c]);
                    }
                }
            }
            return s;
        };
        DenoisingScoreMatching dsm = DenoisingScoreMatching.multiScale();
        Gaussian data = new Gaussian(mean, cov);
        SplittableRandom rng = new SplittableRandom(23);
        int batches = 40;
        double[] losses = new double[batches];
        for (int b = 0; b < batches; b++) {
            losses[b] = dsm.lossOf(exact, data.sample(5000, rng), 5000, 3, ladder, rng);
        }
        double m = java.util.Arrays.stream(losses).average().orElseThrow();
        double var = java.util.Arrays.stream(losses).map(v -> (v - m) * (v - m)).sum() / (batches - 1);
        assertThat(Math.abs(m - expected)).isLessThan(5 * Math.sqrt(var / batches));
    }

    /**
     * {@link DenoisingScoreMatching#lossOf} is the objective the trainer minimises: on a
     * noise-conditional score network, fed the network's own score, it gives the value of
     * {@code lossAndGradient} under the same seed (1e-12: the same arithmetic, summed per row
     * instead of per slab).
     */
    @Test
    void lossOfAScoreFieldIsTheTrainedObjective() {
        NoiseLadder ladder = NoiseLadder.geometric(2, 0.1, 10);
        assertLossOfIsTheTrainedObjective(DenoisingScoreMatching.multiScale(), Architecture.mlp(Architecture.Kind.SCORE,
                3, new int[] {16}, org.scorematch.engine.Activation.TANH, ladder), 2);
    }

    /** {@code lossOf} fed the network's own score equals {@code lossAndGradient} under the same seed, 1e-12 relative. */
    private static void assertLossOfIsTheTrainedObjective(DenoisingScoreMatching dsm, Architecture arch, long seed) {
        SplittableRandom init = new SplittableRandom(seed);
        double[] theta = ScoreModel.of(arch, init).parameters();
        double[] x = new Gaussian(new double[] {0, 1, 2}, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1})
                .sample(50, init);
        DenoisingScoreMatching.NoisyScore own = (noisy, n, sigmas) -> {
            double[] s = new double[n * 3];
            for (int b = 0; b < n; b++) {
                double[] row = java.util.Arrays.copyOfRange(noisy, b * 3, b * 3 + 3);
                System.arraycopy(ScoreView.evaluate(ENGINE, arch, theta, row, 1, sigmas[b]), 0, s, b * 3, 3);
            }
            return s;
        };
        double viaField = dsm.lossOf(own, x, 50, 3, arch.ladder(), new SplittableRandom(8));
        double trained = dsm.lossAndGradient(ENGINE, arch, theta, x, 50, new SplittableRandom(8), null);
        assertThat(viaField).isCloseTo(trained, org.assertj.core.data.Offset.offset(1e-12 * Math.abs(trained)));
    }

    /**
     * Continuous-time denoising under VE, VP and sub-VP: on data N(μ, s²I) (D = 2) the exact score
     * of the noised marginal N(mμ, (m²s² + σ²)I) has expected loss
     * {@code ∫_ε¹ ½D·m²s²/(m²s² + σ²) dt/(1 − ε)} (λ = σ², Vincent 2011 with the kernel's mean
     * factor m), integrated here by the midpoint rule on 20 000 cells. A perturbation that forgot
     * m, or a weighting other than σ², moves the loss by far more than the bound: 5 standard
     * errors over 40 batches of 4000 rows (false failure below 1e-6).
     */
    @Test
    void continuousTimeDenoisingAtTheExactScoreHasItsKnownValue() {
        for (Sde sde : SDES) {
            int cells = 20_000;
            double expected = 0;
            for (int k = 0; k < cells; k++) {
                double t = EPS + (1 - EPS) * (k + 0.5) / cells;
                double m = sde.mean(t);
                double sg = sde.sigma(t);
                expected += 0.5 * 2 * m * m * SD * SD / (m * m * SD * SD + sg * sg) / cells;
            }
            assertLossAtExactScore(DenoisingScoreMatching.continuous(sde, EPS), sde, expected, 29);
        }
    }

    /**
     * The likelihood weighting λ = g(t)² by importance sampling: on data N(μ, s²I) (D = 2) at the
     * exact noised score the loss's expectation is {@code ∫_ε¹ g²·½D m²s²/(σ²(m²s² + σ²)) dt}
     * (midpoint rule in log t on 20 000 cells); 5 standard errors over 40 batches of 4000 rows
     * (false failure below 1e-6). Drawing t uniformly, or weighting by σ² alone, misses it.
     */
    @Test
    void likelihoodWeightedDenoisingAtTheExactScoreHasItsKnownValue() {
        for (Sde sde : SDES) {
            int cells = 20_000;
            double expected = 0;
            double du = -Math.log(EPS) / cells;
            for (int k = 0; k < cells; k++) {
                double t = Math.exp(Math.log(EPS) + (k + 0.5) * du);
                double m = sde.mean(t);
                double sg = sde.sigma(t);
                double g = sde.diffusion(t);
                expected += g * g * 0.5 * 2 * m * m * SD * SD / (sg * sg * (m * m * SD * SD + sg * sg)) * t * du;
            }
            DenoisingScoreMatching dsm = DenoisingScoreMatching.continuous(sde, EPS, Weighting.LIKELIHOOD);
            assertThat(dsm.weighting()).isEqualTo(Weighting.LIKELIHOOD);
            assertLossAtExactScore(dsm, sde, expected, 31);
        }
    }

    private static final double[] MU = {1.0, -2.0};
    private static final double SD = 0.8;
    private static final double EPS = 1e-3;
    private static final java.util.List<Sde> SDES =
            java.util.List.of(Sde.ve(0.01, 20), Sde.vp(0.1, 20), Sde.subVp(0.1, 20));

    /**
     * The mean loss of {@code dsm} at the exact score of N(mμ, (m²s² + σ²)I) over 40 batches of
     * 4000 rows of N(μ, s²I) is within 5 standard errors of {@code expected}.
     */
    private static void assertLossAtExactScore(DenoisingScoreMatching dsm, Sde sde, double expected, long seed) {
        DenoisingScoreMatching.NoisyScore exact = (noisy, n, sigmas) -> {
            double[] s = new double[n * 2];
            for (int b = 0; b < n; b++) {
                double m = sde.meanForSigma(sigmas[b]);
                double var = m * m * SD * SD + sigmas[b] * sigmas[b];
                for (int c = 0; c < 2; c++) {
                    s[b * 2 + c] = -(noisy[b * 2 + c] - m * MU[c]) / var;
                }
            }
            return s;
        };
        SplittableRandom rng = new SplittableRandom(seed);
        int batches = 40;
        double[] losses = new double[batches];
        for (int b = 0; b < batches; b++) {
            double[] x = new double[4000 * 2];
            for (int i = 0; i < x.length; i++) {
                x[i] = MU[i % 2] + SD * rng.nextGaussian();
            }
            losses[b] = dsm.lossOf(exact, x, 4000, 2, null, rng);
        }
        double m = java.util.Arrays.stream(losses).average().orElseThrow();
        double var = java.util.Arrays.stream(losses).map(v -> (v - m) * (v - m)).sum() / (batches - 1);
        assertThat(Math.abs(m - expected)).as("%s: %s vs %s", sde.id(), m, expected)
                .isLessThan(5 * Math.sqrt(var / batches));
    }

    /**
     * The importance-sampled times follow p(t) ∝ g²/σ²: for VP its CDF is
     * {@code (log expm1 B(t) − log expm1 B(ε)) / (log expm1 B(1) − log expm1 B(ε))}; at nine times the
     * empirical CDF of 20 000 draws is within 5 standard errors (√(F(1 − F)/N)) plus the table's
     * interpolation error (1e-4) of it.
     */
    @Test
    void importanceTimesFollowTheirDensity() {
        Sde sde = Sde.vp(0.1, 20);
        double eps = 1e-5;
        ImportanceTimes times = new ImportanceTimes(sde, eps);
        java.util.function.DoubleUnaryOperator b = t -> 0.1 * t + 0.5 * 19.9 * t * t;
        java.util.function.DoubleUnaryOperator cdf = t -> (Math.log(Math.expm1(b.applyAsDouble(t)))
                - Math.log(Math.expm1(b.applyAsDouble(eps)))) / (Math.log(Math.expm1(b.applyAsDouble(1)))
                - Math.log(Math.expm1(b.applyAsDouble(eps))));
        int n = 20_000;
        double[] draws = new double[n];
        SplittableRandom rng = new SplittableRandom(2);
        for (int i = 0; i < n; i++) {
            draws[i] = times.draw(rng);
            assertThat(draws[i]).isBetween(eps, 1.0);
        }
        for (double t : new double[] {1e-4, 1e-3, 0.01, 0.05, 0.1, 0.2, 0.4, 0.7, 0.9}) {
            double f = cdf.applyAsDouble(t);
            double empirical = java.util.Arrays.stream(draws).filter(v -> v <= t).count() / (double) n;
            assertThat(Math.abs(empirical - f)).as("CDF at %s", t).isLessThan(5 * Math.sqrt(f * (1 - f) / n) + 1e-4);
        }
        double z = Math.log(Math.expm1(b.applyAsDouble(1))) - Math.log(Math.expm1(b.applyAsDouble(eps)));
        assertThat(times.normalizer()).isCloseTo(z, org.assertj.core.data.Offset.offset(1e-4 * z));
    }

    /** The continuous objective's {@code lossOf} is the objective it trains, as for the ladder. */
    @Test
    void continuousLossOfAScoreFieldIsTheTrainedObjective() {
        Sde sde = Sde.vp(0.1, 20);
        DenoisingScoreMatching dsm = DenoisingScoreMatching.continuous(sde, 1e-3);
        assertLossOfIsTheTrainedObjective(dsm, Architecture.diffusion(Architecture.Kind.SCORE, 3, new int[] {16},
                org.scorematch.engine.Activation.TANH, sde, 1e-3), 3);
        assertThat(dsm.id()).isEqualTo("diffusion");
    }

    private static int levelOf(NoiseLadder ladder, double sigma) {
        for (int i = 0; i < ladder.size(); i++) {
            if (ladder.sigma(i) == sigma) {
                return i;
            }
        }
        throw new AssertionError("σ = " + sigma + " is not on the ladder");
    }

    @Test
    void linearScoreConvergesToNoisedGaussianScore() {
        double sigma = 0.5;
        double[] mean = {1, -2, 0.5};
        double[] cov = {1.0, 0.3, 0.1, 0.3, 0.8, -0.2, 0.1, -0.2, 0.5};
        Gaussian data = new Gaussian(mean, cov);
        SplittableRandom rng = new SplittableRandom(3);
        ScoreModel model = ScoreModel.of(Architecture.linearScore(3), rng);
        DenoisingScoreMatching dsm = DenoisingScoreMatching.singleLevel(sigma);
        model = TargetTraining.train(model, dsm, data, 3000, 512, Adam.of(1e-2), ENGINE, rng, null);
        model = TargetTraining.train(model, dsm, data, 3000, 512, Adam.of(1e-3), ENGINE, rng, null);

        double[] noised = cov.clone();
        for (int i = 0; i < 3; i++) {
            noised[i * 3 + i] += sigma * sigma;
        }
        double[] p = inverse(noised, 3);
        double[] theta = model.parameters();
        double worst = 0;
        for (int r = 0; r < 3; r++) {
            double bStar = 0;
            for (int c = 0; c < 3; c++) {
                worst = Math.max(worst, Math.abs(theta[r * 3 + c] - (-p[r * 3 + c])));
                bStar += p[r * 3 + c] * mean[c];
            }
            worst = Math.max(worst, Math.abs(theta[9 + r] - bStar));
        }
        assertThat(worst).isLessThan(0.02);
    }
}
