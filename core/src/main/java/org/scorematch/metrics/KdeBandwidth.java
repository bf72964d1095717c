package org.scorematch.metrics;

import java.util.random.RandomGenerator;

/**
 * The bandwidth h of an isotropic Gaussian kernel density estimate
 * {@code p̂(x) = (1/n) Σⱼ N(x; xⱼ, h²I)} that maximises the leave-one-out log-likelihood
 * {@code (1/n) Σᵢ log[(1/(n−1)) Σ_{j≠i} N(xᵢ; xⱼ, h²I)]} (likelihood cross-validation, Habbema,
 * Hermans &amp; van den Broek 1974; Duin 1976), searched over a logarithmic grid. Meant for
 * standardised data, where one h serves every column.
 *
 * <p>Why the trainer needs it: single-level denoising score matching at noise σ has, on n rows,
 * the exact optimum {@code ∇log p̂_σ} — the score of this very KDE with h = σ (Vincent 2011).
 * The σ at which that KDE generalises best is the cross-validated h.
 */
public final class KdeBandwidth {
    /** Rows used at most; more are subsampled (the criterion costs n² kernel evaluations per h). */
    static final int MAX_ROWS = 2000;
    private static final double SMALLEST = 0.02;
    private static final double LARGEST = 3.0;
    private static final int GRID = 49;

    private KdeBandwidth() {
    }

    /**
     * The cross-validated bandwidth for the {@code n × d} rows of {@code x}, on the grid
     * {@code 0.02 · 150^(k/48)}, k = 0..48 (0.02 to 3, 11 % apart). Beyond {@link #MAX_ROWS}
     * rows, m = {@link #MAX_ROWS} rows are subsampled with {@code rng} and their bandwidth scaled
     * by {@code (m/n)^(1/(d+4))}, the rate at which the optimal bandwidth shrinks with n (Silverman
     * 1986, §4.3). The grid's lower end keeps exact duplicate rows (rounded data) from driving h to
     * zero.
     */
    public static double leaveOneOut(double[] x, int n, int d, RandomGenerator rng) {
        return leaveOneOut(x, n, d, MAX_ROWS, rng);
    }

    /** {@link #leaveOneOut(double[], int, int, RandomGenerator)} with at most {@code maxRows} rows. */
    static double leaveOneOut(double[] x, int n, int d, int maxRows, RandomGenerator rng) {
        if (n < 2) {
            throw new IllegalArgumentException("a cross-validated bandwidth needs at least two rows, got " + n);
        }
        int m = Math.min(n, maxRows);
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        for (int i = 0; i < m && m < n; i++) {
            int j = i + rng.nextInt(n - i);
            int t = rows[i];
            rows[i] = rows[j];
            rows[j] = t;
        }
        double[] d2 = new double[m * m];
        for (int i = 0; i < m; i++) {
            for (int j = i + 1; j < m; j++) {
                double s = 0;
                for (int c = 0; c < d; c++) {
                    double diff = x[rows[i] * d + c] - x[rows[j] * d + c];
                    s += diff * diff;
                }
                d2[i * m + j] = s;
                d2[j * m + i] = s;
            }
        }
        double best = Double.NEGATIVE_INFINITY;
        double bestH = Double.NaN;
        for (int k = 0; k < GRID; k++) {
            double h = SMALLEST * Math.pow(LARGEST / SMALLEST, (double) k / (GRID - 1));
            double ll = looLogLikelihood(d2, m, d, h);
            if (ll > best) {
                best = ll;
                bestH = h;
            }
        }
        return bestH * Math.pow((double) m / n, 1.0 / (d + 4));
    }

    /**
     * The leave-one-out mean log-likelihood at bandwidth {@code h} of m rows in dimension d whose
     * squared distances are {@code d2} (m × m).
     */
    static double looLogLikelihood(double[] d2, int m, int d, double h) {
        double inv = 1 / (2 * h * h);
        double total = 0;
        double[] terms = new double[m];
        for (int i = 0; i < m; i++) {
            double max = Double.NEGATIVE_INFINITY;
            int count = 0;
            for (int j = 0; j < m; j++) {
                if (j != i) {
                    terms[count] = -d2[i * m + j] * inv;
                    max = Math.max(max, terms[count]);
                    count++;
                }
            }
            double s = 0;
            for (int q = 0; q < count; q++) {
                s += Math.exp(terms[q] - max);
            }
            total += max + Math.log(s / count);
        }
        return total / m - d * (Math.log(h) + 0.5 * Math.log(2 * Math.PI));
    }

    /**
     * The mean log-density {@code (1/m) Σ_q log[(1/n) Σⱼ N(y_q; xⱼ, h²I)]} of the {@code m} rows
     * of {@code y} under the KDE of the {@code n} rows of {@code x} with bandwidth {@code h}.
     */
    public static double meanLogDensity(double[] x, int n, double[] y, int m, int d, double h) {
        double inv = 1 / (2 * h * h);
        double norm = -d * (Math.log(h) + 0.5 * Math.log(2 * Math.PI)) - Math.log(n);
        double[] terms = new double[n];
        double total = 0;
        for (int q = 0; q < m; q++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int c = 0; c < d; c++) {
                    double diff = y[q * d + c] - x[j * d + c];
                    s += diff * diff;
                }
                terms[j] = -s * inv;
                max = Math.max(max, terms[j]);
            }
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += Math.exp(terms[j] - max);
            }
            total += norm + max + Math.log(s);
        }
        return total / m;
    }
}
