package org.scorematch.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.scorematch.TestNetworks;

/**
 * The slab view's seeding contract: seeds start at zero at every pass, whether or not the last
 * pass consumed its seeds, so a gradient never carries a stale seed (a plausible bug of reused
 * buffers), and repeated seeds of one entry add up.
 */
class JetSlabTest {
    @Test
    void seedsOfAPassWithoutReverseDoNotLeakIntoTheNext() {
        RandomGenerator rng = TestNetworks.rng(21);
        int dim = 4;
        Network net = Network.mlp(dim, new int[] {6, 5}, Activation.SILU, dim);
        double[] theta = TestNetworks.randomParameters(net, rng);
        double[] x = TestNetworks.gaussian(3 * dim, rng);
        double[] v = TestNetworks.gaussian(3 * 2 * dim, rng);

        JetWorkspace used = new JetWorkspace(net, 64, Precision.FLOAT64);
        JetSlab stale = used.forward(theta, x, 0, 3, Directions.perSample(v, 2), false);
        for (int b = 0; b < 3; b++) {
            for (int c = 0; c < dim; c++) {
                stale.addValueAdjoint(b, c, 100 + c);
                stale.addTangentAdjoint(b, 1, c, -50);
            }
        }
        double[] afterStale = gradient(used, theta, x, v);
        double[] fresh = gradient(new JetWorkspace(net, 64, Precision.FLOAT64), theta, x, v);
        assertThat(afterStale).containsExactly(fresh);
        // The seeds consumed by a reverse pass are gone too: the same gradient once more.
        assertThat(gradient(used, theta, x, v)).containsExactly(fresh);
    }

    /** Σ_b Σ_c (value + 2·tangent₀) seeded in two halves per entry, as the gradient of one pass. */
    private static double[] gradient(JetWorkspace ws, double[] theta, double[] x, double[] v) {
        JetSlab slab = ws.forward(theta, x, 0, 3, Directions.perSample(v, 2), false);
        for (int b = 0; b < slab.samples(); b++) {
            for (int c = 0; c < slab.width(); c++) {
                slab.addValueAdjoint(b, c, 0.5);
                slab.addValueAdjoint(b, c, 0.5);
                slab.addTangentAdjoint(b, 0, c, 2);
            }
        }
        double[] grad = new double[ws.network().parameterCount()];
        slab.backward(grad);
        double norm = 0;
        for (double g : grad) {
            norm += g * g;
        }
        assertThat(norm).isPositive();
        return grad;
    }
}
