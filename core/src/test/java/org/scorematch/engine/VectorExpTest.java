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

    /**
     * Where SiLU takes the Vector API's exponential ({@link Kernels#VECTOR_EXP}), it is within a few
     * ulps of {@code Math.exp} (4·2⁻⁵² relative in double, 4·2⁻²³ in float; SVML promises about 1),
     * overflow, underflow and NaN included. Skipped where that path does not run (no module, or not
     * Linux x86-64); the polynomial above serves those runs.
     */
    @Test
    void vectorExponentialAgreesWithMathExp() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Kernels.VECTOR_EXP, "the Vector API's exponential is not used here");
        RandomGenerator rng = TestNetworks.rng(2);
        double[] z = new double[4099];
        float[] zf = new float[z.length];
        for (int i = 0; i < z.length; i++) {
            z[i] = i % 3 == 0 ? rng.nextGaussian() * 5 : rng.nextDouble(-750, 750);
            zf[i] = (float) (i % 3 == 0 ? z[i] : rng.nextDouble(-105, 105));
        }
        double[] special = {0, -0.0, 700, -700, 745, -745, 1e6, -1e6, Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY};
        for (int i = 0; i < special.length; i++) {
            z[i] = special[i];
            zf[i] = (float) special[i];
        }
        double[] out = new double[z.length];
        float[] outf = new float[z.length];
        int bound = VectorLoops64.negExp(z, z.length, out);
        int boundf = VectorLoops32.negExp(zf, zf.length, outf);
        assertThat(bound).isGreaterThan(z.length - 16);
        for (int i = 0; i < bound; i++) {
            assertClose(out[i], Math.exp(-z[i]), 4 * Math.ulp(1.0), Double.MIN_NORMAL, Double.MIN_VALUE, "z=" + z[i]);
        }
        for (int i = 0; i < boundf; i++) {
            assertClose(outf[i], (float) Math.exp(-zf[i]), 4 * Math.ulp(1f), Float.MIN_NORMAL, Float.MIN_VALUE,
                    "float z=" + zf[i]);
        }
    }

    private static void assertClose(double actual, double expected, double relative, double minNormal,
                                    double minValue, String what) {
        if (Double.isNaN(expected)) {
            assertThat(actual).as(what).isNaN();
        } else if (Double.isInfinite(expected) || expected == 0) {
            assertThat(actual).as(what).isEqualTo(expected);
        } else if (expected >= minNormal) {
            assertThat(Math.abs(actual - expected) / expected).as(what).isLessThanOrEqualTo(relative);
        } else {
            // Subnormal results keep fewer bits: compare in units of the smallest subnormal step.
            assertThat(Math.abs(actual - expected)).as(what).isLessThanOrEqualTo(4 * minValue);
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
