package org.scorematch.objective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.scorematch.TestEngines;
import org.scorematch.engine.Engine;

/**
 * The denoising noise drawn in blocks on the engine's threads. Statistical checks use bounds at
 * 4.9 standard errors (or α = 10⁻⁶ for the Kolmogorov–Smirnov distance): each fails with
 * probability about 10⁻⁶ for a correct generator (normal approximation), so the class's
 * false-failure rate is below 10⁻⁵; the seeds are fixed.
 */
class GaussianNoiseTest {
    private static final int N = 731;
    private static final int D = 37;

    private static double[][] draw(Engine engine, long seed, double[] x, double[] means, double[] sigmas) {
        double[] eps = new double[N * D];
        double[] noisy = new double[N * D];
        GaussianNoise.perturb(engine, seed, x, means, sigmas, N, D, eps, noisy);
        return new double[][] {eps, noisy};
    }

    /** Rows x (N × D), mean factors and noise levels (N each), uniform on [0.5, 2). */
    private static double[][] batch(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new double[][] {uniform(N * D, rng), uniform(N, rng), uniform(N, rng)};
    }

    private static double[] uniform(int length, SplittableRandom rng) {
        double[] a = new double[length];
        for (int i = 0; i < length; i++) {
            a[i] = rng.nextDouble(0.5, 2);
        }
        return a;
    }

    /**
     * The same seed gives the same noise for every thread count: ε is the generator's stream, which
     * a block owns whichever thread draws it, so it is compared exactly; the noisy rows are one
     * multiply-add of it per value (compared at 1 ulp of their scale).
     */
    @Test
    void sameNoiseForEveryThreadCount() {
        double[][] batch = batch(5);
        double[][] serial = draw(null, 42, batch[0], batch[1], batch[2]);
        try (Engine one = Engine.create(1); Engine three = Engine.create(3)) {
            for (Engine e : new Engine[] {one, TestEngines.TWO_THREADS, three}) {
                double[][] other = draw(e, 42, batch[0], batch[1], batch[2]);
                assertThat(other[0]).containsExactly(serial[0]);
                for (int i = 0; i < N * D; i++) {
                    assertThat(other[1][i]).isCloseTo(serial[1][i], within(Math.ulp(10.0)));
                }
            }
        }
        assertThat(draw(null, 43, batch[0], batch[1], batch[2])[0][0]).isNotEqualTo(serial[0][0]);
    }

    /** Row i is {@code means[i]·x + sigmas[i]·ε}, across block boundaries that fall inside rows. */
    @Test
    void noisyRowsAreScaledRowsPlusScaledNoise() {
        double[][] batch = batch(6);
        double[] x = batch[0];
        double[] means = batch[1];
        double[] sigmas = batch[2];
        double[][] drawn = draw(TestEngines.TWO_THREADS, 7, x, means, sigmas);
        for (int i = 0; i < N; i++) {
            for (int c = 0; c < D; c++) {
                int k = i * D + c;
                assertThat(drawn[1][k]).isCloseTo(means[i] * x[k] + sigmas[i] * drawn[0][k], within(1e-14));
            }
        }
        double[][] unscaled = draw(null, 7, x, null, sigmas);
        assertThat(unscaled[1][D + 3]).isCloseTo(x[D + 3] + sigmas[1] * unscaled[0][D + 3], within(1e-14));
    }

    /** Mean 0, variance 1, the two-sided 2σ tail mass, and no correlation between neighbouring blocks. */
    @Test
    void standardNormalAndBlocksUncorrelated() {
        int n = 20 * GaussianNoise.BLOCK;
        double[] eps = new double[n];
        GaussianNoise.perturb(TestEngines.TWO_THREADS, 11, new double[n], null, ones(1), 1, n, eps, new double[n]);
        double sum = 0;
        double sumSq = 0;
        int tail = 0;
        for (double e : eps) {
            sum += e;
            sumSq += e * e;
            tail += Math.abs(e) > 2 ? 1 : 0;
        }
        double mean = sum / n;
        assertThat(Math.abs(mean)).isLessThan(4.9 / Math.sqrt(n));
        assertThat(Math.abs(sumSq / n - 1)).isLessThan(4.9 * Math.sqrt(2.0 / n));
        double p = 0.0455003;
        assertThat(Math.abs(tail - n * p)).isLessThan(4.9 * Math.sqrt(n * p * (1 - p)));
        int m = n - GaussianNoise.BLOCK;
        double cross = 0;
        for (int i = 0; i < m; i++) {
            cross += eps[i] * eps[i + GaussianNoise.BLOCK];
        }
        assertThat(Math.abs(cross / m)).isLessThan(4.9 / Math.sqrt(m));
    }

    /**
     * The noise's deviates against Φ: the Kolmogorov–Smirnov distance of 400 000 draws below
     * √(ln(2/α)/2n) at α = 10⁻⁶; the fourth moment 3 within 4.9 standard errors (Var x⁴ = 96); and
     * the mass beyond R = 3.654 (where a ziggurat's tail algorithm takes over) and beyond 3 within
     * 4.9 binomial standard errors.
     */
    @Test
    void noiseMatchesTheNormalDistribution() {
        int n = 400_000;
        double[] e = new double[n];
        GaussianNoise.perturb(TestEngines.TWO_THREADS, 12, new double[n], null, ones(1), 1, n, e, new double[n]);
        double m4 = 0;
        int beyondR = 0;
        int beyond3 = 0;
        for (double v : e) {
            m4 += v * v * v * v;
            beyondR += Math.abs(v) > 3.6541528853610088 ? 1 : 0;
            beyond3 += Math.abs(v) > 3 ? 1 : 0;
        }
        assertThat(Math.abs(m4 / n - 3)).isLessThan(4.9 * Math.sqrt(96.0 / n));
        for (double[] tail : new double[][] {{beyondR, 3.6541528853610088}, {beyond3, 3}}) {
            double p = 2 * phi(-tail[1]);
            assertThat(Math.abs(tail[0] - n * p)).as("beyond %s", tail[1]).isLessThan(4.9 * Math.sqrt(n * p * (1 - p)));
        }
        double[] sorted = e.clone();
        java.util.Arrays.sort(sorted);
        double ks = 0;
        for (int i = 0; i < n; i++) {
            double cdf = phi(sorted[i]);
            ks = Math.max(ks, Math.max(cdf - (double) i / n, (i + 1.0) / n - cdf));
        }
        assertThat(ks).isLessThan(Math.sqrt(Math.log(2 / 1e-6) / (2.0 * n)));
    }

    private static double phi(double x) {
        return 0.5 * org.apache.commons.numbers.gamma.Erfc.value(-x / Math.sqrt(2));
    }

    @Test
    void shortBatchIsRejected() {
        assertThatThrownBy(() -> GaussianNoise.perturb(null, 1, new double[5], null, ones(2), 2, 3, new double[6],
                new double[6])).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fewer than 2 rows of 3");
    }

    private static double[] ones(int n) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, 1);
        return a;
    }
}
