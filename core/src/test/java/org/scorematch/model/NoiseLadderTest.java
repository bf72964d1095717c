package org.scorematch.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.numbers.gamma.Erfc;
import org.junit.jupiter.api.Test;
import org.scorematch.TestNetworks;

class NoiseLadderTest {
    private static double phi(double x) {
        return 0.5 * Erfc.value(-x / Math.sqrt(2));
    }

    /**
     * γ solves Song &amp; Ermon's (2020) overlap condition, and shrinks towards 1 as D grows; for
     * D ≤ 4 the condition has no solution.
     */
    @Test
    void ratioSolvesTheOverlapCondition() {
        assertThat(NoiseLadder.ratioFor(2)).isNaN();
        assertThat(NoiseLadder.ratioFor(4)).isNaN();
        double previous = Double.POSITIVE_INFINITY;
        for (int d : new int[] {5, 10, 64, 784, 3072}) {
            double g = NoiseLadder.ratioFor(d);
            double c = Math.sqrt(2.0 * d);
            assertThat(phi(c * (g - 1) + 3 * g) - phi(c * (g - 1) - 3 * g)).isCloseTo(0.5, within(1e-9));
            assertThat(g).isLessThan(previous).isGreaterThan(1);
            previous = g;
        }
    }

    @Test
    void suggestionStartsAtTheLargestPairwiseDistance() {
        double[] x = {0, 0, 3, 4, 1, 1, -1, 0};
        NoiseLadder ladder = NoiseLadder.suggest(x, 4, 2, 0.01, TestNetworks.rng(1));
        assertThat(ladder.max()).isCloseTo(Math.sqrt(16 + 16), within(1e-12));
        assertThat(ladder.min()).isCloseTo(0.01, within(1e-15));
        assertThat(ladder.size()).isGreaterThanOrEqualTo(NoiseLadder.MIN_LEVELS);
        double ratio = ladder.sigma(0) / ladder.sigma(1);
        for (int i = 1; i < ladder.size(); i++) {
            assertThat(ladder.sigma(i - 1) / ladder.sigma(i)).isCloseTo(ratio, within(1e-9));
        }
    }

    @Test
    void highDimensionalDataGetsMoreLevelsThanTheFloor() {
        int d = 784;
        double[] x = TestNetworks.gaussian(200 * d, TestNetworks.rng(2));
        NoiseLadder ladder = NoiseLadder.suggest(x, 200, d, 0.01, TestNetworks.rng(3));
        double expected = Math.ceil(Math.log(ladder.max() / 0.01) / Math.log(NoiseLadder.ratioFor(d))) + 1;
        assertThat(ladder.size()).isEqualTo((int) expected).isGreaterThan(NoiseLadder.MIN_LEVELS);
    }

    @Test
    void badLaddersAreRefused() {
        assertThatThrownBy(() -> NoiseLadder.of(1, 2)).hasMessageContaining("decreasing");
        assertThatThrownBy(() -> NoiseLadder.geometric(1, 2, 3)).hasMessageContaining("σ_max > σ_min");
        assertThatThrownBy(() -> NoiseLadder.suggest(new double[] {1, 1}, 2, 1, 0.1, TestNetworks.rng(1)))
                .hasMessageContaining("largest pairwise distance");
    }
}
