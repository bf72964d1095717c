package org.scorematch.model;

import org.scorematch.engine.Activation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.scorematch.TestNetworks;
import org.scorematch.linalg.Matrix;

class EnergyModelTest {
    @Test
    void gaussianEnergyScoreAndLaplacianAreClosedForm() {
        double[] k = {2.0, 0.5, 0.0, 0.5, 1.5, 0.3, 0.0, 0.3, 1.0};
        double[] mu = {1, -1, 0.5};
        EnergyModel model = EnergyModel.gaussian(mu, Matrix.of(3, 3, k));
        Matrix x = Matrix.ofRows(new double[] {0.3, 0.2, -1}, new double[] {1, -1, 0.5}, new double[] {4, 0, 2});
        double[] e = model.energy(x);
        Matrix s = model.score(x);
        double[] lap = model.laplacian(x);
        for (int r = 0; r < 3; r++) {
            double quad = 0;
            for (int i = 0; i < 3; i++) {
                double kx = 0;
                for (int j = 0; j < 3; j++) {
                    kx += k[i * 3 + j] * (x.get(r, j) - mu[j]);
                }
                quad += (x.get(r, i) - mu[i]) * kx;
                assertThat(s.get(r, i)).isCloseTo(-kx, within(1e-12));
            }
            assertThat(e[r]).isCloseTo(0.5 * quad, within(1e-12));
            assertThat(lap[r]).isCloseTo(4.5, within(1e-12));
        }
    }

    /** The score is minus the energy's gradient: checked by central differences of the energy. */
    @Test
    void mlpScoreIsMinusEnergyGradient() {
        RandomGenerator rng = TestNetworks.rng(4);
        EnergyModel model = EnergyModel.mlp(3, new int[] {16, 16}, Activation.GELU, rng);
        Matrix x = Matrix.of(5, 3, TestNetworks.gaussian(15, rng));
        Matrix s = model.score(x);
        double h = 1e-5;
        for (int r = 0; r < 5; r++) {
            for (int c = 0; c < 3; c++) {
                double[] plus = x.row(r);
                double[] minus = x.row(r);
                plus[c] += h;
                minus[c] -= h;
                double fd = (model.energy(Matrix.ofRows(plus))[0] - model.energy(Matrix.ofRows(minus))[0]) / (2 * h);
                assertThat(s.get(r, c)).isCloseTo(-fd, within(1e-6 * Math.max(1, Math.abs(fd))));
            }
        }
    }

    @Test
    void dimensionMismatchIsExplained() {
        EnergyModel model = EnergyModel.mlp(3, new int[] {4}, Activation.TANH, TestNetworks.rng(1));
        assertThatThrownBy(() -> model.energy(Matrix.of(1, 2, 0, 0)))
                .hasMessageContaining("2 columns").hasMessageContaining("expects 3");
    }
}
