package org.scorematch.target;

import java.util.random.RandomGenerator;

/**
 * Haar-distributed random orthogonal matrices: the Q factor of a matrix of independent standard
 * normals, with the signs of R's diagonal moved into Q (Mezzadri 2007, "How to generate random
 * matrices from the classical compact groups"), so the rotation is uniform and not biased
 * towards the axes. Hand-written (modified Gram–Schmidt): it runs once per target on a D × D
 * matrix and the shipped OpenBLAS has no LAPACK.
 */
final class RandomRotation {
    private RandomRotation() {
    }

    /** A row-major D × D orthogonal matrix drawn from {@code rng}. */
    static double[] draw(int dim, RandomGenerator rng) {
        double[] a = new double[dim * dim];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextGaussian();
        }
        // Columns of a are orthonormalised in place; q[:, j] takes the sign of R_jj into account.
        for (int j = 0; j < dim; j++) {
            for (int p = 0; p < j; p++) {
                double dot = 0;
                for (int i = 0; i < dim; i++) {
                    dot += a[i * dim + p] * a[i * dim + j];
                }
                for (int i = 0; i < dim; i++) {
                    a[i * dim + j] -= dot * a[i * dim + p];
                }
            }
            double norm = 0;
            for (int i = 0; i < dim; i++) {
                norm += a[i * dim + j] * a[i * dim + j];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < dim; i++) {
                a[i * dim + j] /= norm;
            }
        }
        return a;
    }

    /** {@code out[o..o+D) = Q·v[vo..vo+D)} for row-major Q. */
    static void apply(double[] q, int dim, double[] v, int vo, double[] out, int o) {
        for (int r = 0; r < dim; r++) {
            double s = 0;
            for (int c = 0; c < dim; c++) {
                s += q[r * dim + c] * v[vo + c];
            }
            out[o + r] = s;
        }
    }

    /** {@code out[o..o+D) = Qᵀ·v[vo..vo+D)} for row-major Q. */
    static void applyTransposed(double[] q, int dim, double[] v, int vo, double[] out, int o) {
        for (int r = 0; r < dim; r++) {
            out[o + r] = 0;
        }
        for (int c = 0; c < dim; c++) {
            double vc = v[vo + c];
            for (int r = 0; r < dim; r++) {
                out[o + r] += q[c * dim + r] * vc;
            }
        }
    }
}
