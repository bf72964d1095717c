package org.scorematch.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.scorematch.TestEngines;
import org.scorematch.engine.Engine;
import org.scorematch.linalg.Matrix;
import org.scorematch.model.EnergyModel;
import org.scorematch.sample.ScoreFunction;

/**
 * KSD and MMD against direct O(n²) computations written here independently (the Stein kernel
 * by finite differences of the IMQ kernel), and as tests: under the true model the p-value is
 * uniform, so asserting p > 0.001 fails for a correct implementation with probability 0.001 per
 * seed; a shifted model must give p < 0.01 (power, checked at a fixed seed).
 */
class DiscrepancyTest {
    private static final Engine ENGINE = TestEngines.TWO_THREADS;

    private static double imq(double[] x, double[] y) {
        double r2 = 0;
        for (int c = 0; c < x.length; c++) {
            r2 += (x[c] - y[c]) * (x[c] - y[c]);
        }
        return 1 / Math.sqrt(1 + r2);
    }

    /** u(x, y) with every kernel derivative taken by central differences. */
    private static double steinByDifferences(double[] x, double[] y, double[] sx, double[] sy) {
        int d = x.length;
        double h = 1e-4;
        double u = 0;
        for (int a = 0; a < d; a++) {
            u += sx[a] * sy[a] * imq(x, y);
            double[] yp = y.clone();
            double[] ym = y.clone();
            yp[a] += h;
            ym[a] -= h;
            u += sx[a] * (imq(x, yp) - imq(x, ym)) / (2 * h);
            double[] xp = x.clone();
            double[] xm = x.clone();
            xp[a] += h;
            xm[a] -= h;
            u += sy[a] * (imq(xp, y) - imq(xm, y)) / (2 * h);
            u += (imq(xp, yp) - imq(xp, ym) - imq(xm, yp) + imq(xm, ym)) / (4 * h * h);
        }
        return u;
    }

    @Test
    void ksdAgreesWithDirectComputation() {
        SplittableRandom rng = new SplittableRandom(1);
        int n = 60;
        int d = 3;
        double[] x = GaussianRows.draw(n, d, 0.3, rng);
        double[] s = GaussianRows.standardScore(x, 0);
        double direct = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    direct += steinByDifferences(Arrays.copyOfRange(x, i * d, i * d + d), Arrays.copyOfRange(x, j * d,
                            j * d + d), Arrays.copyOfRange(s, i * d, i * d + d), Arrays.copyOfRange(s, j * d, j * d + d));
                }
            }
        }
        direct /= n * (n - 1.0);
        KernelStein.Result r = KernelStein.test(x, s, n, d, 10, rng);
        assertThat(r.statistic()).isCloseTo(direct, within(1e-6 * Math.max(1, Math.abs(direct))));
    }

    @Test
    void ksdAcceptsTheTrueModelAndRejectsAShiftedOne() {
        SplittableRandom rng = new SplittableRandom(2);
        double[] x = GaussianRows.draw(400, 2, 0, rng);
        assertThat(ksdPValue(x, 0, rng)).isGreaterThan(0.001);
        assertThat(ksdPValue(x, 0.5, rng)).isLessThan(0.01);
    }

    /** KSD's p-value (500 bootstrap draws) of N(shift·1, I) on the 2-D rows of {@code x}. */
    private static double ksdPValue(double[] x, double shift, SplittableRandom rng) {
        return KernelStein.test(x, GaussianRows.standardScore(x, shift), x.length / 2, 2, 500, rng).pValue();
    }

    @Test
    void mmdAgreesWithDirectComputation() {
        int nx = 40;
        int ny = 50;
        int d = 2;
        SplittableRandom rng = new SplittableRandom(3);
        double[] x = GaussianRows.draw(nx, d, 0, rng);
        double[] y = GaussianRows.draw(ny, d, 0.4, rng);
        Mmd.Result r = Mmd.test(x, nx, y, ny, d, 10, rng);
        double h = r.bandwidth();
        // The median heuristic, independently: median over all pooled pairs.
        double[] pooled = GaussianRows.pooled(x, y);
        int n = nx + ny;
        double[] dists = new double[n * (n - 1) / 2];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                dists[k++] = Math.sqrt(sq(pooled, i, pooled, j, d));
            }
        }
        Arrays.sort(dists);
        assertThat(h).isCloseTo(dists[dists.length / 2], within(1e-12));
        double xx = 0;
        double yy = 0;
        double xy = 0;
        for (int i = 0; i < nx; i++) {
            for (int j = 0; j < nx; j++) {
                xx += i == j ? 0 : Math.exp(-sq(x, i, x, j, d) / (2 * h * h));
            }
            for (int j = 0; j < ny; j++) {
                xy += Math.exp(-sq(x, i, y, j, d) / (2 * h * h));
            }
        }
        for (int i = 0; i < ny; i++) {
            for (int j = 0; j < ny; j++) {
                yy += i == j ? 0 : Math.exp(-sq(y, i, y, j, d) / (2 * h * h));
            }
        }
        double direct = xx / (nx * (nx - 1.0)) + yy / (ny * (ny - 1.0)) - 2 * xy / (nx * (double) ny);
        assertThat(r.statistic()).isCloseTo(direct, within(1e-12));
    }

    @Test
    void mmdAcceptsEqualLawsAndRejectsShiftedOnes() {
        int n = 300;
        SplittableRandom rng = new SplittableRandom(4);
        double[] a = GaussianRows.draw(n, 2, 0, rng);
        double[] b = GaussianRows.draw(n, 2, 0, rng);
        double[] c = GaussianRows.draw(n, 2, 0.5, rng);
        assertThat(Mmd.test(a, n, b, n, 2, 300, rng).pValue()).isGreaterThan(0.001);
        assertThat(Mmd.test(a, n, c, n, 2, 300, rng).pValue()).isLessThan(0.01);
    }

    private static double sq(double[] a, int i, double[] b, int j, int d) {
        double s = 0;
        for (int c = 0; c < d; c++) {
            s += (a[i * d + c] - b[j * d + c]) * (a[i * d + c] - b[j * d + c]);
        }
        return s;
    }

    /** An energy known in closed form, for the normaliser's cases. */
    private record Case(String name, ScoreFunction f, double exactLogZ, double[] lo, double[] hi, int m) {
    }

    private static Case gaussian(String name, double[] mean, double[] k, double[] lo, double[] hi, int m) {
        int d = mean.length;
        double[] l = org.scorematch.linalg.Cholesky.lower(k, d);
        double logDet = 0;
        for (int c = 0; c < d; c++) {
            logDet += 2 * Math.log(l[c * d + c]);
        }
        EnergyModel model = EnergyModel.gaussian(mean, Matrix.of(d, d, k));
        return new Case(name, ScoreFunction.of(model, ENGINE), 0.5 * d * Math.log(2 * Math.PI) - 0.5 * logDet, lo, hi,
                m);
    }

    /** E = log cosh x, exponential tails: Z = π, ∫_a^b sech = 2 atan(tanh(x/2)) |_a^b. */
    private static final ScoreFunction SECH = new ScoreFunction() {
        @Override
        public int dimension() {
            return 1;
        }

        @Override
        public double[] score(double[] x, int n, double sigma) {
            return Arrays.stream(x, 0, n).map(v -> -Math.tanh(v)).toArray();
        }

        @Override
        public boolean hasEnergy() {
            return true;
        }

        @Override
        public double[] energy(double[] x, int n, double sigma) {
            return Arrays.stream(x, 0, n).map(v -> Math.log(Math.cosh(v))).toArray();
        }
    };

    /**
     * The normaliser's error estimate bounds the true error |log Z_grid − log Z| and is at most 10×
     * it, on closed forms where the error is measurable: coarse grids on wide boxes (the spectral
     * regime, where halving the points overestimated by orders of magnitude), boxes that cut mass
     * (truncation; the narrow box, true error 0.494, was given 0.421), exponential tails
     * (log cosh) and D = 1, 2, 3. Measured ratios of estimate to truth: 2.0 in the spectral cases, 1.0–1.07 where the box cuts mass.
     */
    @Test
    void logZErrorEstimateBoundsTheTrueError() {
        double[] k2 = {2.0, 0.6, 0.6, 1.0};
        double[] k3 = {1.5, 0.4, 0.1, 0.4, 1.0, -0.3, 0.1, -0.3, 0.8};
        java.util.List<Case> cases = java.util.List.of(
                gaussian("1-D wide, coarse", new double[] {0.3}, new double[] {1 / 0.64}, new double[] {-6},
                        new double[] {6}, 8),
                gaussian("1-D wide, finer", new double[] {0.3}, new double[] {1 / 0.64}, new double[] {-6},
                        new double[] {6}, 12),
                gaussian("1-D truncating", new double[] {0.3}, new double[] {1 / 0.64}, new double[] {-1},
                        new double[] {1.5}, 200),
                new Case("1-D log cosh, truncating", SECH, Math.log(Math.PI), new double[] {-3}, new double[] {3}, 400),
                new Case("1-D log cosh, coarse", SECH, Math.log(Math.PI), new double[] {-20}, new double[] {20}, 20),
                gaussian("2-D wide, coarse", new double[] {0.5, -1}, k2, new double[] {-6, -8}, new double[] {7, 6}, 16),
                gaussian("2-D narrow (the issue's box)", new double[] {0.5, -1}, k2, new double[] {-1, -2},
                        new double[] {2, 0}, 200),
                gaussian("3-D wide, coarse", new double[] {0, 1, -1}, k3, new double[] {-7, -6, -8},
                        new double[] {7, 8, 6}, 12),
                gaussian("3-D cut on one side", new double[] {0, 1, -1}, k3, new double[] {-7, 0.5, -8},
                        new double[] {7, 8, 6}, 40));
        for (Case c : cases) {
            LogLikelihood.Normalizer z = LogLikelihood.normalizer(c.f(), 1, c.lo(), c.hi(), c.m());
            double truth = Math.abs(z.logZ() - c.exactLogZ());
            assertThat(truth).as("%s: a measurable error", c.name()).isGreaterThan(1e-9);
            assertThat(z.error()).as("%s: the estimate bounds the true error %.3g", c.name(), truth)
                    .isGreaterThanOrEqualTo(truth);
            assertThat(z.error()).as("%s: and is within 10× of it (%.3g)", c.name(), truth)
                    .isLessThanOrEqualTo(10 * truth);
            assertThat(z.error()).isEqualTo(z.discretisation() + z.truncation());
        }
        LogLikelihood.Normalizer fine = LogLikelihood.normalizer(cases.get(5).f(), 1, new double[] {-6, -8},
                new double[] {7, 6}, 400);
        assertThat(fine.error()).as("a fine grid on a wide box").isLessThan(1e-8);
        assertThat(fine.logZ()).isCloseTo(cases.get(5).exactLogZ(), within(fine.error()));
        LogLikelihood.Normalizer narrow = LogLikelihood.normalizer(cases.get(6).f(), 1, new double[] {-1, -2},
                new double[] {2, 0}, 200);
        assertThat(narrow.edgeMass()).isGreaterThan(fine.edgeMass());
        assertThat(narrow.truncation()).isGreaterThan(narrow.discretisation());
        LogLikelihood.Normalizer missed = LogLikelihood.normalizer(cases.get(6).f(), 1, new double[] {5, 5},
                new double[] {6, 6}, 20);
        assertThat(missed.error()).as("a box beside the mass").isInfinite();
    }

    /**
     * Log-likelihoods are in the data's units: a Gaussian energy N(μ_z, K_z⁻¹) in standardised
     * units z = (x − m)/s is the Gaussian N(m + sμ_z, S K_z⁻¹ S) in data units (S = diag s), whose
     * log-density is written out here in closed form. Scales of 10 and 0.05 make a dropped
     * Jacobian (Σ log s = log 0.5 ≈ −0.69) or a dropped standardisation of the test rows fail by far
     * more than allowed: the normaliser's error estimate (0.0024, the mass its box of the test rows
     * ±3 standard units leaves out), which must cover the gap.
     */
    @Test
    void modelLogLikelihoodIsInDataUnits() {
        double[] muZ = {0.2, -0.4};
        double[] kZ = {1.5, 0.5, 0.5, 1.2};
        double[] m = {100, -3};
        double[] sc = {10, 0.05};
        org.scorematch.model.TrainedModel trained = org.scorematch.model.TrainedModel.of(
                EnergyModel.gaussian(muZ, Matrix.of(2, 2, kZ)), new org.scorematch.data.Standardization(m, sc),
                java.util.List.of("a", "b"), java.util.Map.of());
        Matrix test = Matrix.of(3, 2, 103, -3.01, 95, -2.9, 100, -3);
        LogLikelihood.ModelResult r = LogLikelihood.model(trained, ScoreFunction.of(trained.model(), ENGINE), test,
                test, 400);
        // Data-unit precision K_x = S⁻¹ K_z S⁻¹, mean m + s μ_z.
        double[] kx = new double[4];
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 2; b++) {
                kx[a * 2 + b] = kZ[a * 2 + b] / (sc[a] * sc[b]);
            }
        }
        double det = kx[0] * kx[3] - kx[1] * kx[2];
        double expected = 0;
        for (int i = 0; i < 3; i++) {
            double u = test.get(i, 0) - (m[0] + sc[0] * muZ[0]);
            double v = test.get(i, 1) - (m[1] + sc[1] * muZ[1]);
            double q = kx[0] * u * u + 2 * kx[1] * u * v + kx[3] * v * v;
            expected += (-Math.log(2 * Math.PI) + 0.5 * Math.log(det) - 0.5 * q) / 3;
        }
        assertThat(r.normalizer().error()).isLessThan(0.01);
        assertThat(r.meanLogLikelihood()).isCloseTo(expected, within(r.normalizer().error()));
    }

    /** The KDE and Gaussian baselines against their closed forms on a tiny case. */
    @Test
    void baselinesMatchClosedForms() {
        Matrix train = Matrix.of(4, 1, -1, 0, 1, 2);
        Matrix test = Matrix.of(1, 1, 0.5);
        double mean = 0.5;
        double var = (2.25 + 0.25 + 0.25 + 2.25) / 4;
        double gaussian = -0.5 * Math.log(2 * Math.PI * var) - 0.5 * (0.5 - mean) * (0.5 - mean) / var;
        assertThat(LogLikelihood.gaussian(train, test)).isCloseTo(gaussian, within(1e-12));
        double bw2 = var * 4 / 3 * Math.pow(4, -2.0 / 5);
        double density = 0;
        for (double t : new double[] {-1, 0, 1, 2}) {
            density += Math.exp(-0.5 * (0.5 - t) * (0.5 - t) / bw2) / Math.sqrt(2 * Math.PI * bw2) / 4;
        }
        assertThat(LogLikelihood.kde(train, test)).isCloseTo(Math.log(density), within(1e-12));
    }

    /**
     * The KDE against scipy 1.10.1's {@code gaussian_kde(x.T).logpdf(q.T)} in D = 1, 2, 3 (values
     * made by {@code src/test/resources/scipy/kde_reference.py}, Debian's python3-scipy). Both
     * sides compute the same sums in double precision; 1e-10 leaves room for the order of the
     * Cholesky and log-sum-exp, nothing else.
     */
    @Test
    void kdeMatchesScipyGaussianKde() {
        double[][] x = {
            {-0.903, -1.687, -0.073, 0.931, 2.004, 0.465, -0.529, -0.877, 1.423},
            {-1.137, 0.12, 0.604, -2.212, 0.174, -1.814, -0.644, -1.342, -0.77, -0.613, 0.205, -1.413, 0.914, -0.419,
                -2.165, -1.18, -1.171, -1.121, -1.634, -0.986, 0.243, -1.213, -1.272, -1.277},
            {-2.697, -0.81, -0.203, 0.35, -0.969, -1.977, -0.05, -1.179, 3.924, -1.472, -0.483, -0.198, -0.197, -1.588,
                4.897, 1.152, 0.702, 3.284, 1.567, -0.412, 0.787, 0.195, -0.055, 1.207, 0.583, -1.015, 3.218, -0.247,
                -1.107, 2.485, 0.455, -1.605, 3.792, -1.648, -1.841, -0.565, 1.75, -1.252, 0.058, -1.404, -0.705,
                -0.11, -1.608, -0.57, -0.393}};
        double[][] q = {
            {1.635, 0.273, -1.233},
            {-1.091, -1.355, 0.225, -1.109, 1.17, 0.717},
            {-0.322, -0.007, -0.445, -0.054, 1.339, -0.517, -1.259, -1.837, -0.205}};
        double[][] scipy = {
            {-1.779383023792244, -1.4115091734602776, -1.5403031534563838},
            {-1.6060726353882184, -1.994671442883627, -7.577267881865439},
            {-4.620382218379601, -9.015826438421316, -4.766942227861906}};
        for (int d = 1; d <= 3; d++) {
            Matrix train = Matrix.of(x[d - 1].length / d, d, x[d - 1]);
            for (int i = 0; i < 3; i++) {
                Matrix point = Matrix.of(1, d, java.util.Arrays.copyOfRange(q[d - 1], i * d, (i + 1) * d));
                assertThat(LogLikelihood.kde(train, point)).as("D = %d, point %d", d, i)
                        .isCloseTo(scipy[d - 1][i], within(1e-10));
            }
        }
    }
}
