package org.scorematch.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.scorematch.engine.TestBuffers.buffer;
import static org.scorematch.engine.TestBuffers.round;
import static org.assertj.core.api.Assertions.within;

import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.scorematch.TestNetworks;

/**
 * The kernels' crossings between the double arrays of callers and the buffers of the working
 * precision: the weights a pass reads and the weight gradients it adds.
 */
class KernelsTest {
    @Test
    void gemmAddToAddsTheProductToWhatTheGradientHeld() {
        RandomGenerator rng = TestNetworks.rng(23);
        for (Precision precision : Precision.values()) {
            Kernels k = Kernels.of(precision);
            // A sum of k products of values rounded to the precision, each product and addition
            // within a unit roundoff u: |error| ≤ k·u·Σ|a||b| (Higham, Accuracy and Stability of
            // Numerical Algorithms, §3.1), plus the final addition into the double gradient.
            double u = precision == Precision.FLOAT32 ? 0x1p-24 : 0x1p-53;
            for (int trial = 0; trial < 30; trial++) {
                boolean transA = rng.nextBoolean();
                int m = 1 + rng.nextInt(40);
                int n = 1 + rng.nextInt(40);
                int depth = 1 + rng.nextInt(300);
                int aOffset = rng.nextInt(5);
                int bOffset = rng.nextInt(5);
                int to = rng.nextInt(7);
                double[] a = round(k, TestNetworks.gaussian(aOffset + m * depth, rng));
                double[] b = round(k, TestNetworks.gaussian(bOffset + depth * n, rng));
                double[] dst = TestNetworks.gaussian(to + m * n + 3, rng);
                double[] before = dst.clone();
                int lda = transA ? m : depth;
                k.gemmAddTo(transA, false, m, n, depth, buffer(k, a), aOffset, lda, buffer(k, b), bOffset, n,
                        k.allocate(m * n), dst, to);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double sum = 0;
                        double bound = 0;
                        for (int l = 0; l < depth; l++) {
                            double x = transA ? a[aOffset + l * lda + i] : a[aOffset + i * lda + l];
                            double y = b[bOffset + l * n + j];
                            sum += x * y;
                            bound += Math.abs(x * y);
                        }
                        double expected = before[to + i * n + j] + sum;
                        double tolerance = (depth + 1) * u * (bound + Math.abs(expected)) + Double.MIN_NORMAL;
                        assertThat(dst[to + i * n + j]).as("%s (%d, %d)", precision, i, j)
                                .isCloseTo(expected, within(tolerance));
                    }
                }
                for (int e = 0; e < to; e++) {
                    assertThat(dst[e]).isEqualTo(before[e]);
                }
                for (int e = to + m * n; e < dst.length; e++) {
                    assertThat(dst[e]).isEqualTo(before[e]);
                }
            }
        }
    }

    @Test
    void valuesLoadedForReadingAreTheSourceInTheWorkingPrecisionAtTheOffsetReturned() {
        RandomGenerator rng = TestNetworks.rng(29);
        for (Precision precision : Precision.values()) {
            Kernels k = Kernels.of(precision);
            Buffer dst = k.allocate(60);
            for (int load = 0; load < 5; load++) {
                // A new source each time, as an optimiser's step, a finite-difference probe or the next slab gives it.
                double[] src = TestNetworks.gaussian(80, rng);
                int from = rng.nextInt(20);
                int n = 1 + rng.nextInt(60);
                int offset = k.loadForReading(src, from, n, dst);
                for (int i = 0; i < n; i++) {
                    assertThat(k.get(dst, offset + i)).isEqualTo(k.round(src[from + i]));
                }
            }
        }
    }
}
