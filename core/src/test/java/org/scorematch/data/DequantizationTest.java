package org.scorematch.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.scorematch.ScorematchException;
import org.scorematch.linalg.Matrix;

/**
 * Dequantisation moves each integer into its own cell [k, k + 1) with a uniform offset, and
 * refuses data that are not integers. The offsets' mean over 20 000 draws is within 5 standard
 * errors (√(1/12/N) = 0.002) of ½: a false failure has probability below 1e-6.
 */
class DequantizationTest {
    @Test
    void integersMoveUniformlyIntoTheirCells() {
        int n = 10_000;
        double[] v = new double[2 * n];
        for (int i = 0; i < v.length; i++) {
            v[i] = i % 17;
        }
        Dataset d = Dataset.of("counts", List.of("a", "b"), Matrix.of(n, 2, v));
        double[] u = d.dequantized(new SplittableRandom(4)).values().toArray();
        double mean = 0;
        for (int i = 0; i < v.length; i++) {
            assertThat(u[i]).isGreaterThanOrEqualTo(v[i]).isLessThan(v[i] + 1);
            mean += (u[i] - v[i]) / v.length;
        }
        assertThat(Math.abs(mean - 0.5)).isLessThan(5 * Math.sqrt(1 / 12.0 / v.length));
        assertThat(d.dequantized(new SplittableRandom(4)).values().toArray()).as("same seed, same data").containsExactly(u);
    }

    @Test
    void nonIntegersAreRefusedByColumn() {
        Dataset d = Dataset.of("m.csv", List.of("a", "b"), Matrix.of(2, 2, 1, 2, 3, 4.5));
        assertThatThrownBy(() -> d.dequantized(new SplittableRandom(1))).isInstanceOf(ScorematchException.class)
                .hasMessageContaining("m.csv").hasMessageContaining("4.5").hasMessageContaining("column 'b'");
    }
}
