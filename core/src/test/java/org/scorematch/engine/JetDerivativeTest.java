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
            ws.forwardAlong(theta, x, 0, nb, v, 0, k, true);
            double[] out = ws.output().clone();
            int[] tanRows = new int[nb * k];
            int[] secRows = new int[nb];
            for (int b = 0; b < nb; b++) {
                secRows[b] = ws.secondRow(b);
                for (int d = 0; d < k; d++) {
                    tanRows[b * k + d] = ws.tangentRow(b, d);
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
                    assertClose(out[tanRows[b * k + d]], firstFd, "first-order jet, trial " + trial);
                    double tPlus = tangent(ws, theta, shift(xb, dir, H), dir);
                    double tMinus = tangent(ws, theta, shift(xb, dir, -H), dir);
                    secondFd += (tPlus - tMinus) / (2 * H);
                }
                assertClose(out[secRows[b]], secondFd, "second-order jet, trial " + trial);
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
            ws.forwardBasis(theta, x, 0, nb, 0, dim, true);
            double[] out = ws.output().clone();
            double[] lap = new double[nb];
            for (int b = 0; b < nb; b++) {
                lap[b] = out[ws.secondRow(b)];
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
            ws.forwardBasis(theta, x, 0, 2, k0, kc, true);
            double[] basis = ws.output().clone();
            ws.forwardAlong(theta, x, 0, 2, v, 0, kc, true);
            double[] explicit = ws.output();
            for (int r = 0; r < JetWorkspace.rowsFor(2, kc, true); r++) {
                assertThat(basis[r]).isCloseTo(explicit[r], org.assertj.core.data.Offset.offset(1e-12));
            }
        }
    }

    private static void assertClose(double actual, double expected, String what) {
        assertThat(Math.abs(actual - expected)).as("%s: %s vs %s", what, actual, expected)
                .isLessThanOrEqualTo(TOL * Math.max(1, Math.abs(expected)));
    }

    private static double value(JetWorkspace ws, double[] theta, double[] x) {
        ws.forwardValue(theta, x, 0, 1);
        return ws.output()[0];
    }

    private static double tangent(JetWorkspace ws, double[] theta, double[] x, double[] v) {
        ws.forwardAlong(theta, x, 0, 1, v, 0, 1, false);
        return ws.output()[ws.tangentRow(0, 0)];
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
