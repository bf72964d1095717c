package org.scorematch.metrics;

import java.util.SplittableRandom;

/** Seeded rows of N(shift·1, I) and the standard normal's score, for the discrepancy tests. */
final class GaussianRows {
    private GaussianRows() {
    }

    /** {@code n} rows of N(shift·1, I) in ℝᵈ, row-major. */
    static double[] draw(int n, int d, double shift, SplittableRandom rng) {
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = shift + rng.nextGaussian();
        }
        return x;
    }

    /** The score of N(shift·1, I) at the rows of {@code x}: {@code −(x − shift)}. */
    static double[] standardScore(double[] x, double shift) {
        double[] s = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            s[i] = -(x[i] - shift);
        }
        return s;
    }

    /** The rows of {@code x} followed by those of {@code y}. */
    static double[] pooled(double[] x, double[] y) {
        double[] pooled = java.util.Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, pooled, x.length, y.length);
        return pooled;
    }
}
