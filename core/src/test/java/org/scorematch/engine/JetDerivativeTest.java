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
            Trial c = Trial.draw(rng, trial);
            int dim = c.dim();
            int k = 1 + rng.nextInt(3);
            double[] v = TestNetworks.gaussian(c.nb() * k * dim, rng);
            // Copied: the finite differences below run passes on the same workspace.
            double[] jets = jets(c.ws().forward(c.theta(), c.x(), 0, c.nb(), Directions.perSample(v, k), true));
            for (int b = 0; b < c.nb(); b++) {
                assertJetsMatchDifferences(c.ws(), c.theta(), slice(c.x(), b * dim, dim),
                        slice(v, b * k * dim, k * dim), slice(jets, b * (k + 2) + 1, k),
                        jets[b * (k + 2) + k + 1], "trial " + trial);
            }
        }
    }

    @Test
    void reverseInputGradientAndBasisLaplacianMatchFiniteDifferences() {
        RandomGenerator rng = TestNetworks.rng(12);
        for (int trial = 0; trial < 200; trial++) {
            Trial drawn = Trial.draw(rng, trial);
            int dim = drawn.dim();
            int nb = drawn.nb();
            double[] x = drawn.x();
            double[] theta = drawn.theta();
            JetWorkspace ws = drawn.ws();
            double[] g = new double[nb * dim];
            EnergyDerivatives.inputGradient(ws, theta, x, 0, nb, g, 0);
            double[] jets = jets(ws.forward(theta, x, 0, nb, Directions.basis(dim), true));
            double[] basis = new double[dim * dim];
            for (int c = 0; c < dim; c++) {
                basis[c * dim + c] = 1;
            }
            for (int b = 0; b < nb; b++) {
                // Along e_c the slope is ∂E/∂x_c (the reverse pass) and the summed curvature is ΔE.
                assertJetsMatchDifferences(ws, theta, slice(x, b * dim, dim), basis, slice(g, b * dim, dim),
                        jets[b * (dim + 2) + dim + 1], "input gradient and Laplacian, trial " + trial);
            }
        }
    }

    /**
     * A value pass skips the activations' σ″ and σ‴; a jet pass that reuses it adds them, so the
     * θ-gradient along u through the reused pass is bit for bit that of a fresh jet pass (both
     * precisions, every activation the random networks draw).
     */
    @Test
    void reusedValuePassGivesTheGradientOfAFreshJetPass() {
        RandomGenerator rng = TestNetworks.rng(13);
        for (int trial = 0; trial < 200; trial++) {
            Trial c = Trial.draw(rng, trial);
            Precision precision = trial % 2 == 0 ? Precision.FLOAT64 : Precision.FLOAT32;
            Network net = c.ws().network();
            JetWorkspace reused = new JetWorkspace(net, 64, precision);
            double[] u = TestNetworks.gaussian(c.nb() * c.dim(), rng);
            double[] g = new double[c.nb() * c.dim()];
            double[] viaReuse = new double[net.parameterCount()];
            EnergyDerivatives.inputGradient(reused, c.theta(), c.x(), 0, c.nb(), g, 0);
            EnergyDerivatives.addGradientAlong(reused, u, 0.5, viaReuse);
            JetWorkspace fresh = new JetWorkspace(net, 64, precision);
            JetSlab slab = fresh.forward(c.theta(), c.x(), 0, c.nb(), Directions.perSample(u, 1), false);
            for (int b = 0; b < c.nb(); b++) {
                slab.addTangentAdjoint(b, 0, 0.5);
            }
            double[] viaFresh = new double[net.parameterCount()];
            slab.backward(viaFresh);
            assertThat(viaReuse).as("trial %d, %s", trial, precision).containsExactly(viaFresh);
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
            JetWorkspace ws = new JetWorkspace(net, 64, Precision.FLOAT64);
            double[] basis = jets(ws.forward(theta, x, 0, 2, Directions.basis(dim), k0, kc, true));
            double[] explicit = jets(ws.forward(theta, x, 0, 2, Directions.perSample(v, kc), true));
            for (int r = 0; r < basis.length; r++) {
                assertThat(basis[r]).isCloseTo(explicit[r], org.assertj.core.data.Offset.offset(1e-12));
            }
        }
    }

    /** A seeded random case: a network (every fifth a quadratic), its parameters and 1–3 inputs. */
    private record Trial(int dim, double[] theta, int nb, double[] x, JetWorkspace ws) {
        static Trial draw(RandomGenerator rng, int trial) {
            int dim = 1 + rng.nextInt(6);
            Network net = trial % 5 == 4 ? Network.quadratic(dim) : TestNetworks.randomMlp(dim, rng);
            double[] theta = TestNetworks.randomParameters(net, rng);
            int nb = 1 + rng.nextInt(3);
            return new Trial(dim, theta, nb, TestNetworks.gaussian(nb * dim, rng), new JetWorkspace(net, 64, Precision.FLOAT64));
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

    /**
     * At {@code x}, the slopes along the K directions (rows of {@code dirs}) equal {@code slopes}
     * and the sum of the curvatures along them equals {@code second}, by central differences.
     */
    private static void assertJetsMatchDifferences(JetWorkspace ws, double[] theta, double[] x, double[] dirs,
                                                   double[] slopes, double second, String what) {
        int dim = x.length;
        double secondFd = 0;
        for (int d = 0; d < slopes.length; d++) {
            double[] dir = slice(dirs, d * dim, dim);
            assertClose(slopes[d], valueSlope(ws, theta, x, dir), "first order, " + what);
            secondFd += tangentSlope(ws, theta, x, dir);
        }
        assertClose(second, secondFd, "second order, " + what);
    }

    /** Central difference of the value along {@code dir}: {@code dir·∇E(x)}. */
    private static double valueSlope(JetWorkspace ws, double[] theta, double[] x, double[] dir) {
        return (value(ws, theta, shift(x, dir, H)) - value(ws, theta, shift(x, dir, -H))) / (2 * H);
    }

    /** Central difference of the analytic tangent along {@code dir}: {@code dirᵀ∇²E(x) dir}. */
    private static double tangentSlope(JetWorkspace ws, double[] theta, double[] x, double[] dir) {
        return (tangent(ws, theta, shift(x, dir, H), dir) - tangent(ws, theta, shift(x, dir, -H), dir)) / (2 * H);
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
