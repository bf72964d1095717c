package org.scorematch.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Under the null the tests reject at their level: over 200 seeded replicates the number of
 * p-values ≤ 0.05 is Binomial(200, 0.05) (mean 10, s.d. 3.1) for a calibrated test, and the
 * bounds 2–22 fail for it with probability 6e-4. A test that rejected at 15 % would fall outside
 * them with probability 0.94; one at 1 % only with 0.4 (200 replicates see the lower side poorly).
 */
class NullCalibrationTest {
    private static final int REPLICATES = 200;

    private static double[] gaussian(int n, int d, SplittableRandom rng) {
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian();
        }
        return x;
    }

    /** KSD with the exact score of N(0, I₂) on 100 of its samples, 300 wild-bootstrap draws each. */
    @Test
    void kernelSteinTestRejectsAtItsLevelUnderTheNull() {
        SplittableRandom rng = new SplittableRandom(31);
        int rejections = 0;
        for (int r = 0; r < REPLICATES; r++) {
            double[] x = gaussian(100, 2, rng);
            double[] s = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                s[i] = -x[i];
            }
            rejections += KernelStein.test(x, s, 100, 2, 300, rng).pValue() <= 0.05 ? 1 : 0;
        }
        assertThat(rejections).isBetween(2, 22);
    }

    /** MMD between two samples of 50 from N(0, I₂), 300 permutations each. */
    @Test
    void mmdTestRejectsAtItsLevelUnderTheNull() {
        SplittableRandom rng = new SplittableRandom(32);
        int rejections = 0;
        for (int r = 0; r < REPLICATES; r++) {
            rejections += Mmd.test(gaussian(50, 2, rng), 50, gaussian(50, 2, rng), 50, 2, 300, rng).pValue() <= 0.05
                    ? 1 : 0;
        }
        assertThat(rejections).isBetween(2, 22);
    }
}
