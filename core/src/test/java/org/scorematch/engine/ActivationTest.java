package org.scorematch.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.scorematch.TestNetworks;

class ActivationTest {
    private static final double H = 1e-5;

    /** Each derivative against a central difference of the one below it, at 2000 seeded points. */
    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"SILU", "SOFTPLUS", "TANH", "GELU"})
    void derivativesMatchCentralDifferences(Activation act) {
        RandomGenerator rng = TestNetworks.rng(act.ordinal());
        double[] lo = new double[4];
        double[] hi = new double[4];
        double[] at = new double[4];
        for (int trial = 0; trial < 2000; trial++) {
            double x = 6 * rng.nextGaussian();
            act.derivatives(x, at);
            act.derivatives(x + H, hi);
            act.derivatives(x - H, lo);
            for (int order = 1; order <= 3; order++) {
                double fd = (hi[order - 1] - lo[order - 1]) / (2 * H);
                assertThat(Math.abs(at[order] - fd))
                        .as("%s order %d at x=%s", act, order, x)
                        .isLessThanOrEqualTo(1e-6 * Math.max(1, Math.abs(fd)));
            }
        }
    }

    @Test
    void knownValues() {
        double[] d = new double[4];
        Activation.SILU.derivatives(0, d);
        assertThat(d).usingComparatorWithPrecision(0.0).containsExactly(0, 0.5, 0.5, 0);
        Activation.TANH.derivatives(0, d);
        assertThat(d).usingComparatorWithPrecision(0.0).containsExactly(0, 1, 0, -2);
        Activation.SOFTPLUS.derivatives(0, d);
        assertThat(d[0]).isEqualTo(Math.log(2));
        assertThat(d[1]).isEqualTo(0.5);
        Activation.GELU.derivatives(1, d);
        // Φ(1) = 0.8413447460685429 (standard normal tables to 16 digits).
        assertThat(d[0]).isCloseTo(0.8413447460685429, org.assertj.core.data.Offset.offset(1e-15));
        Activation.SOFTPLUS.derivatives(800, d);
        assertThat(d[0]).isEqualTo(800);
    }

    @Test
    void idsRoundTripAndUnknownIsExplained() {
        for (Activation a : Activation.values()) {
            assertThat(Activation.fromId(a.id())).isSameAs(a);
        }
        assertThatThrownBy(() -> Activation.fromId("swish2")).hasMessageContaining("silu");
        assertThat(Activation.RELU.isSmooth()).isFalse();
    }
}
