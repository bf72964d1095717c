package org.scorematch.linalg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.scorematch.TestNetworks;

class BlasTest {
    /** Row-major GEMM with every transpose combination, strides and offsets, against a triple loop. */
    @Test
    void gemmMatchesNaiveProduct() {
        RandomGenerator rng = TestNetworks.rng(3);
        for (int trial = 0; trial < 200; trial++) {
            int m = 1 + rng.nextInt(9);
            int n = 1 + rng.nextInt(9);
            int k = 1 + rng.nextInt(9);
            boolean ta = rng.nextBoolean();
            boolean tb = rng.nextBoolean();
            int aRows = ta ? k : m;
            int aCols = ta ? m : k;
            int bRows = tb ? n : k;
            int bCols = tb ? k : n;
            int lda = aCols + rng.nextInt(3);
            int ldb = bCols + rng.nextInt(3);
            int ldc = n + rng.nextInt(3);
            int offA = rng.nextInt(4);
            int offB = rng.nextInt(4);
            int offC = rng.nextInt(4);
            double[] a = TestNetworks.gaussian(offA + aRows * lda, rng);
            double[] b = TestNetworks.gaussian(offB + bRows * ldb, rng);
            double[] c = TestNetworks.gaussian(offC + m * ldc, rng);
            double alpha = rng.nextGaussian();
            double beta = rng.nextBoolean() ? 0 : rng.nextGaussian();
            double[] expected = c.clone();
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        double av = ta ? a[offA + p * lda + i] : a[offA + i * lda + p];
                        double bv = tb ? b[offB + j * ldb + p] : b[offB + p * ldb + j];
                        s += av * bv;
                    }
                    expected[offC + i * ldc + j] = alpha * s + beta * c[offC + i * ldc + j];
                }
            }
            Blas.gemm(ta, tb, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
            for (int i = 0; i < c.length; i++) {
                assertThat(c[i]).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-12));
            }
        }
    }

    @Test
    void reportsWhichImplementationRuns() {
        assertThat(Blas.description()).isNotBlank();
        // CI and the launcher run with the OpenBLAS shipped through Maven: the fast path must load.
        if ("java".equals(System.getProperty("scorematch.blas"))) {
            assertThat(Blas.isNative()).isFalse();
            assertThat(Blas.description()).contains("pure-Java");
        } else {
            assertThat(Blas.isNative()).as(Blas.description()).isTrue();
        }
    }

    @Test
    void choleskyReconstructs() {
        double[] a = {4, 2, 0.4, 2, 3, 0.5, 0.4, 0.5, 1};
        double[] l = Cholesky.lower(a, 3);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double s = 0;
                for (int p = 0; p < 3; p++) {
                    s += l[i * 3 + p] * l[j * 3 + p];
                }
                assertThat(s).isCloseTo(a[i * 3 + j], org.assertj.core.data.Offset.offset(1e-14));
            }
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Cholesky.lower(new double[] {1, 2, 2, 1}, 2))
                .hasMessageContaining("not positive definite");
    }

    /**
     * Pivoted Cholesky reveals the rank: Gram matrices G = BBᵀ of random B (n × k, k ≤ n, so rank
     * k) factor with rank k and PᵀGP = LLᵀ to 1e-12 relative; the pivots come out in decreasing
     * order, as complete pivoting guarantees. Zero and repeated rows lower the rank; a zero
     * matrix has rank 0; a full-rank matrix is factored to its full rank.
     */
    @Test
    void pivotedCholeskyRevealsTheRank() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(12);
        for (int trial = 0; trial < 40; trial++) {
            int n = 1 + rng.nextInt(8);
            int k = 1 + rng.nextInt(n);
            double[] b = new double[n * k];
            for (int i = 0; i < b.length; i++) {
                b[i] = rng.nextGaussian();
            }
            if (n > k && trial % 2 == 0) {
                // A repeated row and a zero row on top of the rank-k product.
                System.arraycopy(b, 0, b, (n - 1) * k, k);
            }
            double[] g = new double[n * n];
            double largest = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    for (int p = 0; p < k; p++) {
                        g[i * n + j] += b[i * k + p] * b[j * k + p];
                    }
                }
                largest = Math.max(largest, g[i * n + i]);
            }
            Cholesky.Pivoted f = Cholesky.pivoted(g, n, 1e-12);
            assertThat(f.rank()).as("trial %d", trial).isEqualTo(k);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < f.rank(); p++) {
                        s += f.get(i, p) * f.get(j, p);
                    }
                    assertThat(s).isCloseTo(g[f.order()[i] * n + f.order()[j]],
                            org.assertj.core.data.Offset.offset(1e-12 * largest));
                }
            }
            for (int p = 1; p < f.rank(); p++) {
                assertThat(f.get(p, p)).isLessThanOrEqualTo(f.get(p - 1, p - 1) * (1 + 1e-12));
            }
            assertThat(java.util.Arrays.stream(f.order()).sorted().toArray())
                    .isEqualTo(java.util.stream.IntStream.range(0, n).toArray());
        }
        assertThat(Cholesky.pivoted(new double[] {0, 0, 0, 0}, 2, 1e-12).rank()).isZero();
        assertThat(Cholesky.pivoted(new double[] {1, 0, 0, 0}, 2, 1e-12).rank()).isEqualTo(1);
        Cholesky.Pivoted full = Cholesky.pivoted(new double[] {4, 2, 0.4, 2, 3, 0.5, 0.4, 0.5, 1}, 3, 1e-12);
        assertThat(full.rank()).isEqualTo(3);
        assertThat(full.order()[0]).as("the largest diagonal first").isZero();
        assertThat(Double.isNaN(Cholesky.pivoted(new double[] {Double.NaN, 0, 0, 1}, 2, 1e-12).get(0, 0))).isTrue();
    }
}
