package org.scorematch.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The sum of squares against a plain running sum over every short range and some long ones. */
class VectorsTest {
    @Test
    void sumOfSquaresOverRanges() {
        SplittableRandom rng = new SplittableRandom(2);
        double[] a = new double[10_000];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextGaussian() * (1 + i % 7);
        }
        for (int from = 0; from < 9; from++) {
            for (int to = from; to < from + 40; to++) {
                check(a, from, to);
            }
        }
        check(a, 3, 9_999);
        check(a, 0, a.length);
        assertThat(Vectors.sumOfSquares(new double[] {3, 4}, 0, 2)).isEqualTo(25);
    }

    private static void check(double[] a, int from, int to) {
        double naive = 0;
        for (int i = from; i < to; i++) {
            naive += a[i] * a[i];
        }
        // Positive terms in another order: relative rounding at most about (to − from)·2⁻⁵³.
        assertThat(Vectors.sumOfSquares(a, from, to)).as("[%d, %d)", from, to)
                .isCloseTo(naive, within(1e-15 * (to - from + 1) * naive));
    }
}
