package org.scorematch.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.scorematch.TestNetworks;

/**
 * The jets' first and second directional derivatives and the reverse pass's input gradient
 * against central finite differences, on seeded random networks, inputs and directions.
 * Second derivatives are differences of the analytic first-order jet (docs/DESIGN.md §5).
 */
class JetDerivativeTest {
    private static final double H = 1e-5;
    private static final double TOL = 1e-6;

    @Test
    void jetsAlongRandomDirectionsMatchFiniteDifferences() {
        RandomGenerator rng = TestNetworks.rng(11);
        for (int trial = 0; trial < 300; trial++) {
            int dim = 1 + rng.nextInt(6);
            Network net = trial % 5 == 4 ? Network.quadratic(dim) : TestNetworks.randomMlp(dim, rng);
            double[] theta = TestNetworks.randomParameters(net, rng);
            int nb = 1 + rng.nextInt(3);
            int k = 1 + rng.nextInt(3);
            double[] x = TestNetworks.gaussian(nb * dim, rng);
            double[] v = TestNetworks.gaussian(nb * k * dim, rng);
            JetWorkspace ws = new JetWorkspace(net, 64);
            JetSlab slab = ws.forward(theta, x, 0, nb, Directions.perSample(v, k), true);
            double[] tangents = new double[nb * k];
            double[] seconds = new double[nb];
            for (int b = 0; b < nb; b++) {
                seconds[b] = slab.second(b);
                for (int d = 0; d < k; d++) {
                    tangents[b * k + d] = slab.tangent(b, d);
                }
            }
            for (int b = 0; b < nb; b++) {
                double secondFd = 0;
                for (int d = 0; d < k; d++) {
                    double[] dir = slice(v, (b * k + d) * dim, dim);
                    double[] xb = slice(x, b * dim, dim);
                    double ePlus = value(ws, theta, shift(xb, dir, H));
                    double eMinus = value(ws, theta, shift(xb, dir, -H));
                    double firstFd = (ePlus - eMinus) / (2 * H);
                    assertClose(tangents[b * k + d], firstFd, "first-order jet, trial " + trial);
                    double tPlus = tangent(ws, theta, shift(xb, dir, H), dir);
                    double tMinus = tangent(ws, theta, shift(xb, dir, -H), dir);
                    secondFd += (tPlus - tMinus) / (2 * H);
                }
                assertClose(seconds[b], secondFd, "second-order jet, trial " + trial);
            }
        }
    }

    @Test
    void reverseInputGradientAndBasisLaplacianMatchFiniteDifferences() {
        RandomGenerator rng = TestNetworks.rng(12);
        for (int trial = 0; trial < 200; trial++) {
            int dim = 1 + rng.nextInt(6);
            Network net = trial % 5 == 4 ? Network.quadratic(dim) : TestNetworks.randomMlp(dim, rng);
            double[] theta = TestNetworks.randomParameters(net, rng);
            int nb = 1 + rng.nextInt(3);
            double[] x = TestNetworks.gaussian(nb * dim, rng);
            JetWorkspace ws = new JetWorkspace(net, 64);
            double[] g = new double[nb * dim];
            EnergyDerivatives.inputGradient(ws, theta, x, 0, nb, g, 0);
            JetSlab slab = ws.forward(theta, x, 0, nb, Directions.basis(dim), true);
            double[] lap = new double[nb];
            for (int b = 0; b < nb; b++) {
                lap[b] = slab.second(b);
            }
            for (int b = 0; b < nb; b++) {
                double[] xb = slice(x, b * dim, dim);
                double lapFd = 0;
                for (int c = 0; c < dim; c++) {
                    double[] e = new double[dim];
                    e[c] = 1;
                    double fd = (value(ws, theta, shift(xb, e, H)) - value(ws, theta, shift(xb, e, -H))) / (2 * H);
                    assertClose(g[b * dim + c], fd, "input gradient, trial " + trial);
                    lapFd += (tangent(ws, theta, shift(xb, e, H), e) - tangent(ws, theta, shift(xb, e, -H), e)) / (2 * H);
                }
                assertClose(lap[b], lapFd, "Laplacian, trial " + trial);
            }
        }
    }

    /** Basis jets on a block of columns agree with the same directions given explicitly. */
    @Test
    void basisBlocksEqualExplicitBasisDirections() {
        RandomGenerator rng = TestNetworks.rng(13);
        for (int trial = 0; trial < 50; trial++) {
            int dim = 2 + rng.nextInt(6);
            Network net = TestNetworks.randomMlp(dim, rng);
            double[] theta = TestNetworks.randomParameters(net, rng);
            int k0 = rng.nextInt(dim - 1);
            int kc = 1 + rng.nextInt(dim - k0 - 1);
            double[] x = TestNetworks.gaussian(2 * dim, rng);
            double[] v = new double[2 * kc * dim];
            for (int b = 0; b < 2; b++) {
                for (int d = 0; d < kc; d++) {
                    v[(b * kc + d) * dim + k0 + d] = 1;
                }
            }
            JetWorkspace ws = new JetWorkspace(net, 64);
            double[] basis = jets(ws.forward(theta, x, 0, 2, Directions.basis(dim), k0, kc, true));
            double[] explicit = jets(ws.forward(theta, x, 0, 2, Directions.perSample(v, kc), true));
            for (int r = 0; r < basis.length; r++) {
                assertThat(basis[r]).isCloseTo(explicit[r], org.assertj.core.data.Offset.offset(1e-12));
            }
        }
    }

    private static void assertClose(double actual, double expected, String what) {
        assertThat(Math.abs(actual - expected)).as("%s: %s vs %s", what, actual, expected)
                .isLessThanOrEqualTo(TOL * Math.max(1, Math.abs(expected)));
    }

    /** Every sample's value, tangents and second-order part, in that order. */
    private static double[] jets(JetSlab slab) {
        int k = slab.directions();
        double[] all = new double[slab.samples() * (k + 2)];
        for (int b = 0; b < slab.samples(); b++) {
            all[b * (k + 2)] = slab.value(b);
            for (int d = 0; d < k; d++) {
                all[b * (k + 2) + 1 + d] = slab.tangent(b, d);
            }
            all[b * (k + 2) + k + 1] = slab.second(b);
        }
        return all;
    }

    private static double value(JetWorkspace ws, double[] theta, double[] x) {
        return ws.forward(theta, x, 0, 1, Directions.none(), false).value(0);
    }

    private static double tangent(JetWorkspace ws, double[] theta, double[] x, double[] v) {
        return ws.forward(theta, x, 0, 1, Directions.perSample(v, 1), false).tangent(0, 0);
    }

    private static double[] slice(double[] a, int from, int len) {
        return java.util.Arrays.copyOfRange(a, from, from + len);
    }

    private static double[] shift(double[] x, double[] v, double h) {
        double[] y = x.clone();
        for (int i = 0; i < y.length; i++) {
            y[i] += h * v[i];
        }
        return y;
    }
}
