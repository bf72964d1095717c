package org.scorematch.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.scorematch.TestNetworks;

class VectorExpTest {
    /** Within 3e-13 relative of Math.exp over the whole range, edges, overflow and NaN included. */
    @Test
    void agreesWithMathExp() {
        RandomGenerator rng = TestNetworks.rng(1);
        double[] z = new double[20000];
        for (int i = 0; i < z.length; i++) {
            z[i] = switch (i % 4) {
                case 0 -> rng.nextGaussian();
                case 1 -> 30 * rng.nextGaussian();
                default -> rng.nextDouble(-710, 710);
            };
        }
        double[] special = {0, -0.0, 700, -700, 700.5, -700.5, 745, -745, 1e6, -1e6, Double.NaN,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e-300};
        System.arraycopy(special, 0, z, 0, special.length);
        double[] out = new double[z.length];
        VectorExp.negExp(z, 0, z.length, out);
        for (int i = 0; i < z.length; i++) {
            double expected = Math.exp(-z[i]);
            if (Double.isNaN(expected)) {
                assertThat(out[i]).as("z=%s", z[i]).isNaN();
            } else if (Double.isInfinite(expected) || expected == 0) {
                assertThat(out[i]).as("z=%s", z[i]).isEqualTo(expected);
            } else {
                assertThat(Math.abs(out[i] - expected) / expected).as("z=%s", z[i]).isLessThan(3e-13);
            }
        }
    }

    @Test
    void subrangeLeavesTheRestAlone() {
        double[] z = {1, 2, 3, 4};
        double[] out = {-1, -1, -1, -1};
        VectorExp.negExp(z, 1, 3, out);
        assertThat(out[0]).isEqualTo(-1);
        assertThat(out[3]).isEqualTo(-1);
        assertThat(Math.abs(out[1] - Math.exp(-2)) / Math.exp(-2)).isLessThan(3e-13);
    }
}
