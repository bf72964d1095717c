package org.scorematch.expfam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.scorematch.linalg.Matrix;

/** Gaussian statistics and graphical cross-validation against computations written out here. */
class ExpfamReferenceTest {
    /**
     * θᵀF(x) is {@code −½xᵀKx + ηᵀx} for K and η read from θ, and the derivatives are those of
     * that function: ∂ᵢ and ∂ᵢ² against central differences (1e-7 relative; the function is a
     * quadratic, so only rounding separates them). Every K_jk has one slot, shared with K_kj.
     */
    @Test
    void gaussianStatisticsAreTheQuadraticFamily() {
        int d = 4;
        GaussianStatistics f = new GaussianStatistics(d);
        assertThat(f.parameters()).isEqualTo(d * (d + 1) / 2 + d);
        assertThat(f.dimension()).isEqualTo(d);
        SplittableRandom rng = new SplittableRandom(3);
        double[] theta = rng.doubles(f.parameters(), -1, 1).toArray();
        double[] k = f.precision(theta);
        java.util.Set<Integer> slots = new java.util.HashSet<>();
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                assertThat(f.precisionIndex(a, b)).isEqualTo(f.precisionIndex(b, a));
                assertThat(k[a * d + b]).isEqualTo(theta[f.precisionIndex(a, b)]);
                slots.add(f.precisionIndex(a, b));
            }
            slots.add(f.linearIndex(a));
        }
        assertThat(slots).hasSize(f.parameters());
        for (int trial = 0; trial < 5; trial++) {
            double[] x = rng.doubles(d, -2, 2).toArray();
            assertThat(logDensity(f, theta, x)).isCloseTo(quadratic(k, theta, f, x), within(1e-12));
            double[] first = new double[f.parameters()];
            double[] second = new double[f.parameters()];
            double h = 1e-4;
            for (int i = 0; i < d; i++) {
                f.derivatives(x, i, first, second);
                double[] p = x.clone();
                double[] m = x.clone();
                p[i] += h;
                m[i] -= h;
                double d1 = (logDensity(f, theta, p) - logDensity(f, theta, m)) / (2 * h);
                double d2 = (logDensity(f, theta, p) - 2 * logDensity(f, theta, x) + logDensity(f, theta, m)) / (h * h);
                assertThat(dot(theta, first)).as("∂%d", i).isCloseTo(d1, within(1e-7 * Math.max(1, Math.abs(d1))));
                assertThat(dot(theta, second)).as("∂²%d", i).isCloseTo(d2, within(1e-5 * Math.max(1, Math.abs(d2))));
            }
        }
    }

    private static double logDensity(GaussianStatistics f, double[] theta, double[] x) {
        double[] v = new double[f.parameters()];
        f.value(x, v);
        return dot(theta, v);
    }

    private static double quadratic(double[] k, double[] theta, GaussianStatistics f, double[] x) {
        int d = x.length;
        double q = 0;
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                q -= 0.5 * x[a] * k[a * d + b] * x[b];
            }
            q += theta[f.linearIndex(a)] * x[a];
        }
        return q;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /**
     * Cross-validation replayed by hand: folds from the Fisher–Yates shuffle of the rows (i from
     * n−1 down to 1, nextInt(i + 1)), fold f the positions [f·n/F, (f+1)·n/F); on the other folds
     * the 1/n covariance about their mean with the diagonal × δ, its path (the public
     * {@link GraphicalScoreMatching#path}, in data units), and the held-out loss
     * {@code ½tr(K_R Σ_R K_R) − tr K_R} on the training folds' correlation scale S (K_R = SKS,
     * Σ_R = S⁻¹Σ_vS⁻¹, Σ_v the held-out fold's covariance about the training mean), averaged over
     * folds: equal to 1e-10 relative (the same sums in another order).
     */
    @Test
    void crossValidationIsTheMeanHeldOutLoss() {
        int d = 5;
        int n = 83;
        int folds = 4;
        double delta = 1.2;
        SplittableRandom rng = new SplittableRandom(2);
        double[] truth = GraphSimulation.chain(d);
        double[] v = GraphSimulation.gaussian(truth, new double[d], n, rng);
        for (int i = 0; i < n; i++) {
            v[i * d + 2] *= 30;
        }
        Matrix x = Matrix.of(n, d, v);
        double[] lambdas = GraphicalScoreMatching.lambdaPath(GraphicalScoreMatching.covariance(x, delta), d, 6, 0.05);
        double[] cv = GraphicalScoreMatching.crossValidate(x, delta, lambdas, folds, new SplittableRandom(11));

        SplittableRandom replay = new SplittableRandom(11);
        int[] perm = java.util.stream.IntStream.range(0, n).toArray();
        for (int i = n - 1; i > 0; i--) {
            int j = replay.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        double[] expected = new double[lambdas.length];
        for (int f = 0; f < folds; f++) {
            int from = f * n / folds;
            int to = (f + 1) * n / folds;
            List<Integer> trainRows = new java.util.ArrayList<>();
            List<Integer> testRows = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                (i >= from && i < to ? testRows : trainRows).add(perm[i]);
            }
            double[] mean = new double[d];
            for (int r : trainRows) {
                for (int c = 0; c < d; c++) {
                    mean[c] += v[r * d + c] / trainRows.size();
                }
            }
            double[] sTrain = covariance(v, trainRows, mean, d);
            for (int c = 0; c < d; c++) {
                sTrain[c * d + c] *= delta;
            }
            double[] sTest = covariance(v, testRows, mean, d);
            double[] s = new double[d];
            for (int c = 0; c < d; c++) {
                s[c] = Math.sqrt(sTrain[c * d + c]);
            }
            List<GraphicalScoreMatching.PathPoint> path = GraphicalScoreMatching.path(sTrain, d, trainRows.size(),
                    lambdas, 0);
            for (int l = 0; l < lambdas.length; l++) {
                double[] kx = path.get(l).precision();
                double[] kr = new double[d * d];
                double[] sr = new double[d * d];
                for (int a = 0; a < d; a++) {
                    for (int b = 0; b < d; b++) {
                        kr[a * d + b] = s[a] * kx[a * d + b] * s[b];
                        sr[a * d + b] = sTest[a * d + b] / (s[a] * s[b]);
                    }
                }
                double loss = 0;
                for (int a = 0; a < d; a++) {
                    for (int b = 0; b < d; b++) {
                        for (int c = 0; c < d; c++) {
                            loss += 0.5 * kr[a * d + b] * sr[b * d + c] * kr[c * d + a];
                        }
                    }
                    loss -= kr[a * d + a];
                }
                expected[l] += loss / folds;
            }
        }
        for (int l = 0; l < lambdas.length; l++) {
            assertThat(cv[l]).as("λ %d", l).isCloseTo(expected[l], within(1e-10 * Math.abs(expected[l])));
        }
    }

    private static double[] covariance(double[] v, List<Integer> rows, double[] mean, int d) {
        double[] s = new double[d * d];
        for (int r : rows) {
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    s[a * d + b] += (v[r * d + a] - mean[a]) * (v[r * d + b] - mean[b]) / rows.size();
                }
            }
        }
        return s;
    }
}
