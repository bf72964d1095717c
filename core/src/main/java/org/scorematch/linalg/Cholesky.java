package org.scorematch.linalg;

/**
 * The lower Cholesky factor {@code L} of a symmetric positive-definite matrix ({@code A = LLᵀ}).
 * Written here rather than pulled from LAPACK: it runs once per model construction on a D × D
 * matrix, and the shipped OpenBLAS build carries no LAPACK.
 */
public final class Cholesky {
    private Cholesky() {
    }

    /** Row-major {@code L} for row-major symmetric positive-definite {@code a} (n × n). */
    public static double[] lower(double[] a, int n) {
        double[] l = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i * n + j];
                for (int p = 0; p < j; p++) {
                    s -= l[i * n + p] * l[j * n + p];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        throw new IllegalArgumentException("matrix is not positive definite (pivot " + i + " is " + s + ")");
                    }
                    l[i * n + i] = Math.sqrt(s);
                } else {
                    l[i * n + j] = s / l[j * n + j];
                }
            }
        }
        return l;
    }

    /** Solves {@code (LLᵀ) x = b} for a lower factor {@code l} (n × n) by two triangular solves. */
    public static double[] solve(double[] l, int n, double[] b) {
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double v = b[i];
            for (int p = 0; p < i; p++) {
                v -= l[i * n + p] * y[p];
            }
            y[i] = v / l[i * n + i];
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double v = y[i];
            for (int p = i + 1; p < n; p++) {
                v -= l[p * n + i] * x[p];
            }
            x[i] = v / l[i * n + i];
        }
        return x;
    }

    /** {@code (LLᵀ)⁻¹}, row-major, column by column. */
    public static double[] inverse(double[] l, int n) {
        double[] inv = new double[n * n];
        double[] e = new double[n];
        for (int j = 0; j < n; j++) {
            java.util.Arrays.fill(e, 0);
            e[j] = 1;
            double[] col = solve(l, n, e);
            for (int i = 0; i < n; i++) {
                inv[i * n + j] = col[i];
            }
        }
        return inv;
    }
}
