package org.scorematch.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The optimisers and schedules against their formulas written out step by step. */
class OptimizerTest {
    private static final double[][] GRADS = {{0.5, -2, 0}, {1, 1, -0.25}, {-3, 0.5, 2}};

    /** SGD with momentum: {@code u ← μu + g}, {@code θ ← θ − ηu}, three steps by hand. */
    @Test
    void sgdIsHeavyBall() {
        Sgd sgd = Sgd.of(0.1, 0.9);
        assertThat(sgd.state()).as("no velocity before the first step").isEmpty();
        double[] theta = {1, 2, 3};
        double[] u = new double[3];
        double[] expected = theta.clone();
        for (double[] g : GRADS) {
            sgd.step(theta, g, 0.05);
            for (int i = 0; i < 3; i++) {
                u[i] = 0.9 * u[i] + g[i];
                expected[i] -= 0.05 * u[i];
            }
            assertThat(theta).containsExactly(expected, within(1e-15));
        }
        assertThat(sgd.state().get("velocity")).containsExactly(u, within(1e-15));
        assertThat(sgd.id()).isEqualTo("sgd");
        assertThat(sgd.learningRate()).isEqualTo(0.1);
        assertThat(Sgd.of(0.1, 0)).isNotNull();
        assertThatThrownBy(() -> Sgd.of(0.1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Sgd.of(0, 0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Sgd.of(0.1, -1e-12)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Adam (Kingma &amp; Ba 2015): {@code m ← β₁m + (1−β₁)g}, {@code v ← β₂v + (1−β₂)g²},
     * {@code θ ← θ − η (m/(1−β₁ᵗ)) / (√(v/(1−β₂ᵗ)) + ε)}, three steps by hand with non-default β
     * and ε.
     */
    @Test
    void adamIsBiasCorrected() {
        Adam adam = Adam.of(0.1, 0.8, 0.95, 1e-3);
        double[] theta = {1, 2, 3};
        double[] m = new double[3];
        double[] v = new double[3];
        double[] expected = theta.clone();
        int t = 0;
        for (double[] g : GRADS) {
            adam.step(theta, g, 0.07);
            t++;
            for (int i = 0; i < 3; i++) {
                m[i] = 0.8 * m[i] + 0.2 * g[i];
                v[i] = 0.95 * v[i] + 0.05 * g[i] * g[i];
                expected[i] -= 0.07 * (m[i] / (1 - Math.pow(0.8, t))) / (Math.sqrt(v[i] / (1 - Math.pow(0.95, t))) + 1e-3);
            }
            assertThat(theta).containsExactly(expected, within(1e-14));
        }
        assertThat(adam.steps()).isEqualTo(3);
        assertThat(adam.id()).isEqualTo("adam");
        double[] atBase = {0};
        Adam.of(0.5).step(atBase, new double[] {2});
        assertThat(atBase[0]).as("the first step moves by the base rate").isCloseTo(-0.5, within(1e-8));
        assertThatThrownBy(() -> Adam.of(0.1, 1, 0.9, 1e-8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Adam.of(0.1, 0.9, 1, 1e-8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Adam.of(0.1, 0.9, 0.9, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Adam.of(0.1, 0, 0, 1e-8)).isNotNull();
    }

    /** Saved state continues exactly: two steps, save, restore into a fresh optimiser, one more. */
    @Test
    void stateRestoresExactly() {
        for (boolean adam : new boolean[] {true, false}) {
            Optimizer a = adam ? Adam.of(0.1) : Sgd.of(0.1, 0.9);
            Optimizer b = adam ? Adam.of(0.1) : Sgd.of(0.1, 0.9);
            double[] straight = {1, 2, 3};
            a.step(straight, GRADS[0], 0.1);
            a.step(straight, GRADS[1], 0.1);
            double[] resumed = straight.clone();
            Map<String, double[]> saved = a.state();
            b.restore(saved);
            a.step(straight, GRADS[2], 0.1);
            b.step(resumed, GRADS[2], 0.1);
            assertThat(resumed).as(adam ? "adam" : "sgd").containsExactly(straight);
            saved.values().forEach(s -> java.util.Arrays.fill(s, 99));
            assertThat(a.state()).as("state is copied out").allSatisfy((k, s) -> assertThat(s).doesNotContain(99.0));
        }
        Sgd fresh = Sgd.of(0.1, 0.9);
        fresh.restore(Map.of());
        double[] theta = {1};
        fresh.step(theta, new double[] {1}, 1);
        assertThat(theta[0]).as("no velocity restored: a first step").isEqualTo(0);
        assertThatThrownBy(() -> Adam.of(0.1).restore(Map.of())).hasMessageContaining("not an Adam state");
    }

    /** Schedules: cosine ½(1 + cos(π(t−1)/T)); step γ^⌊(t−1)/every⌋; their settings' bounds. */
    @Test
    void schedulesAndTheirBounds() {
        assertThat(Schedule.cosine().factor(3, 5)).isCloseTo(0.5 * (1 + Math.cos(Math.PI * 2 / 5)), within(1e-15));
        assertThat(Schedule.cosine().factor(1, 0)).isEqualTo(1);
        assertThat(Schedule.step(1, 0.5).factor(3, 10)).isEqualTo(0.25);
        assertThat(Schedule.step(3, 0.5).factor(3, 10)).isEqualTo(1);
        assertThat(Schedule.step(3, 0.5).factor(4, 10)).isEqualTo(0.5);
        assertThatThrownBy(() -> Schedule.step(0, 0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Schedule.step(1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Schedule.Kind.fromId("linear")).hasMessageContaining("unknown schedule 'linear'");
    }
}
