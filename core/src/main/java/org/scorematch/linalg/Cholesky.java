package org.scorematch.linalg;

/**
 * The lower Cholesky factor {@code L} of a symmetric positive-definite matrix ({@code A = LLᵀ}),
 * and a pivoted, rank-revealing one for semi-definite matrices. Written here rather than pulled
 * from LAPACK: it runs on small matrices (D × D once per model, H × H of the first layer once per
 * training step), and the shipped OpenBLAS build carries no LAPACK.
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

    /**
     * A rank-revealing factorisation {@code PᵀAP ≈ LLᵀ} of a symmetric positive semi-definite
     * {@code a} (n × n), L lower trapezoidal (n × rank, row-major) with the rows in pivot order
     * ({@code order[i]} is the row of A behind row i of L): complete (diagonal) pivoting as LAPACK's
     * {@code dpstrf}, stopping when every remaining diagonal entry of the Schur complement is at
     * most {@code relTol} × the largest diagonal entry of A (Higham 2002, §10.3). Zero and repeated
     * rows of A give rank &lt; n instead of a failure. A NaN in A gives a NaN factor.
     */
    public record Pivoted(int rank, int[] order, double[] l) {
        /** Row i, column j (j &lt; rank) of L. */
        public double get(int i, int j) {
            return l[i * rank + j];
        }

        /**
         * {@code Y = L₁⁻¹B} by forward substitution, L₁ the leading rank × rank block of L and
         * {@code b} row-major rank × {@code columns}.
         */
        public double[] solveLeading(double[] b, int columns) {
            double[] y = new double[rank * columns];
            for (int c = 0; c < columns; c++) {
                for (int j = 0; j < rank; j++) {
                    double v = b[j * columns + c];
                    for (int q = 0; q < j; q++) {
                        v -= get(j, q) * y[q * columns + c];
                    }
                    y[j * columns + c] = v / get(j, j);
                }
            }
            return y;
        }
    }

    /** {@link Pivoted} for row-major {@code a} (n × n). */
    public static Pivoted pivoted(double[] a, int n, double relTol) {
        int[] order = new int[n];
        double[] residual = new double[n];
        double largest = 0;
        for (int i = 0; i < n; i++) {
            order[i] = i;
            residual[i] = a[i * n + i];
            largest = Double.isNaN(residual[i]) ? Double.NaN : Math.max(largest, residual[i]);
        }
        double[] full = new double[n * n];
        int rank = 0;
        for (int j = 0; j < n; j++) {
            int q = j;
            for (int i = j + 1; i < n; i++) {
                if (residual[i] > residual[q]) {
                    q = i;
                }
            }
            if (residual[q] <= relTol * largest) {
                break;
            }
            swap(order, residual, full, n, j, q);
            double pivot = Math.sqrt(residual[j]);
            full[j * n + j] = pivot;
            for (int i = j + 1; i < n; i++) {
                double v = a[order[i] * n + order[j]];
                for (int p = 0; p < j; p++) {
                    v -= full[i * n + p] * full[j * n + p];
                }
                full[i * n + j] = v / pivot;
                residual[i] -= full[i * n + j] * full[i * n + j];
            }
            rank = j + 1;
        }
        double[] l = new double[n * rank];
        for (int i = 0; i < n; i++) {
            System.arraycopy(full, i * n, l, i * rank, rank);
        }
        return new Pivoted(rank, order, l);
    }

    private static void swap(int[] order, double[] residual, double[] l, int n, int i, int j) {
        if (i == j) {
            return;
        }
        int o = order[i];
        order[i] = order[j];
        order[j] = o;
        double r = residual[i];
        residual[i] = residual[j];
        residual[j] = r;
        for (int p = 0; p < i; p++) {
            double t = l[i * n + p];
            l[i * n + p] = l[j * n + p];
            l[j * n + p] = t;
        }
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
