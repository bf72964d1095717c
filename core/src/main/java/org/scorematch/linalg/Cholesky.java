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
}
