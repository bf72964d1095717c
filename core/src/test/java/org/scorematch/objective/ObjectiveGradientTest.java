package org.scorematch.objective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.scorematch.TestNetworks;
import org.scorematch.engine.Engine;
import org.scorematch.engine.Network;
import org.scorematch.engine.Op;
import org.scorematch.model.Architecture;
import org.scorematch.engine.Activation;

/**
 * The θ-gradient of every energy objective against central finite differences of its loss (with
 * the directions held fixed), over seeded random networks, inputs and directions; and the same
 * loss and gradient whatever the thread count and slab size (direction blocks included).
 */
class ObjectiveGradientTest {
    private static final double H = 1e-5;
    private static final Engine ONE = Engine.create(1);
    private static final Engine TINY_SLABS = Engine.create(2, 3);

    @AfterAll
    static void close() {
        ONE.close();
        TINY_SLABS.close();
    }

    private static ScoreMatching objective(ScoreMatching.Kind kind, int k) {
        return switch (kind) {
            case EXACT -> ScoreMatching.exact();
            case SLICED -> ScoreMatching.sliced(k, Projection.GAUSSIAN);
            case SLICED_VR -> ScoreMatching.slicedVarianceReduced(k, Projection.GAUSSIAN);
        };
    }

    /** A random problem on {@code net}: parameters, n ≤ maxN samples, k ≤ maxK directions each, the objective. */
    private record Problem(double[] theta, int n, ScoreMatching objective, double[] x, double[] v) {
        static Problem draw(RandomGenerator rng, ScoreMatching.Kind kind, Network net, int maxN, int maxK) {
            int dim = net.inputDim();
            double[] theta = TestNetworks.randomParameters(net, rng);
            int n = 1 + rng.nextInt(maxN);
            int k = 1 + rng.nextInt(maxK);
            double[] x = TestNetworks.gaussian(n * dim, rng);
            return new Problem(theta, n, ObjectiveGradientTest.objective(kind, k), x, TestNetworks.gaussian(n * k * dim, rng));
        }
    }

    @ParameterizedTest
    @EnumSource(ScoreMatching.Kind.class)
    void gradientMatchesFiniteDifferences(ScoreMatching.Kind kind) {
        RandomGenerator rng = TestNetworks.rng(100 + kind.ordinal());
        for (int trial = 0; trial < 40; trial++) {
            int dim = 1 + rng.nextInt(5);
            Network net = trial % 4 == 3 ? Network.quadratic(dim) : TestNetworks.randomMlp(dim, rng);
            Problem pr = Problem.draw(rng, kind, net, 4, 3);
            double[] theta = pr.theta();
            ScoreMatching obj = pr.objective();
            double[] x = pr.x();
            double[] v = pr.v();
            int n = pr.n();
            double[] grad = new double[theta.length];
            obj.lossAndGradientAlong(ONE, Architecture.energy(net), theta, x, n, v, grad);
            assertMatchesFiniteDifferences(obj, net, theta, x, n, v, grad, kind + " trial " + trial);
        }
    }

    @ParameterizedTest
    @EnumSource(ScoreMatching.Kind.class)
    void threadsAndSlabsDoNotChangeTheResult(ScoreMatching.Kind kind) {
        RandomGenerator rng = TestNetworks.rng(200 + kind.ordinal());
        for (int trial = 0; trial < 20; trial++) {
            int dim = 2 + rng.nextInt(6);
            Network net = TestNetworks.randomMlp(dim, rng);
            Problem pr = Problem.draw(rng, kind, net, 9, 4);
            double[] theta = pr.theta();
            double[] g1 = new double[theta.length];
            double[] g2 = new double[theta.length];
            double l1 = pr.objective().lossAndGradientAlong(ONE, Architecture.energy(net), theta, pr.x(), pr.n(), pr.v(), g1);
            double l2 = pr.objective().lossAndGradientAlong(TINY_SLABS, Architecture.energy(net), theta, pr.x(), pr.n(),
                    pr.v(), g2);
            assertThat(l2).isCloseTo(l1, org.assertj.core.data.Offset.offset(1e-12 * Math.max(1, Math.abs(l1))));
            for (int p = 0; p < theta.length; p++) {
                assertThat(Math.abs(g2[p] - g1[p])).isLessThanOrEqualTo(1e-12 * Math.max(1, Math.abs(g1[p])));
            }
        }
    }

    /**
     * The narrow path (r ≤ H first-layer directions, D &gt; H) gives the loss and gradient of the
     * same function written with a first layer as wide as the input (extra units with zero weights
     * in and out, so no narrowing and the D basis directions), on random networks whose W₁ is
     * generic, has a zero row, a repeated row, a row that is a combination of two others, or is
     * zero: 1e-10 relative (two summation orders of the same terms, through a triangular solve
     * whose pivots are at least 1e-6 of the largest; measured below 2e-15). A diverged (NaN) model
     * gives a NaN loss, not an exception.
     */
    @Test
    void narrowPathEqualsBasisDirections() {
        RandomGenerator rng = TestNetworks.rng(151);
        String[] defects = {"none", "zero row", "repeated row", "dependent row", "zero layer"};
        for (int trial = 0; trial < 25; trial++) {
            int dim = 4 + rng.nextInt(5);
            int h = 3 + rng.nextInt(dim - 3);
            Activation act = rng.nextBoolean() ? Activation.SILU : Activation.TANH;
            Network narrow = Network.mlp(dim, new int[] {h, 4}, act);
            Network wide = Network.mlp(dim, new int[] {dim, 4}, act);
            String defect = defects[trial % defects.length];
            double[] theta = TestNetworks.randomParameters(narrow, rng);
            int w = ((Op.Affine) narrow.ops().get(0)).weightOffset();
            for (int c = 0; c < dim; c++) {
                double row0 = theta[w + c];
                double row2 = theta[w + 2 * dim + c];
                switch (defect) {
                    case "zero row" -> theta[w + dim + c] = 0;
                    case "repeated row" -> theta[w + dim + c] = row0;
                    case "dependent row" -> theta[w + dim + c] = 0.7 * row0 - 1.3 * row2;
                    case "zero layer" -> {
                        for (int j = 0; j < h; j++) {
                            theta[w + j * dim + c] = 0;
                        }
                    }
                    default -> {
                    }
                }
            }
            double[] padded = pad(narrow, theta, wide);
            int[] narrowIndex = indexMap(narrow, wide);
            int n = 1 + rng.nextInt(6);
            double[] x = TestNetworks.gaussian(n * dim, rng);
            ScoreMatching obj = ScoreMatching.exact();
            double[] g = new double[theta.length];
            double[] gWide = new double[padded.length];
            double l = obj.lossAndGradientAlong(ONE, Architecture.energy(narrow), theta, x, n, null, g);
            double reference = obj.lossAndGradientAlong(ONE, Architecture.energy(wide), padded, x, n, null, gWide);
            assertThat(l).as("%s, trial %d", defect, trial)
                    .isCloseTo(reference, within(1e-10 * Math.max(1, Math.abs(reference))));
            double gScale = java.util.Arrays.stream(gWide).map(Math::abs).max().orElse(0);
            for (int q = 0; q < gWide.length; q++) {
                if (narrowIndex[q] >= 0) {
                    assertThat(g[narrowIndex[q]]).as("%s, trial %d, parameter %d", defect, trial, narrowIndex[q])
                            .isCloseTo(gWide[q], within(1e-10 * Math.max(1, gScale)));
                }
            }
        }
        Network narrow = Network.mlp(7, new int[] {3, 4}, Activation.SILU);
        double[] diverged = TestNetworks.randomParameters(narrow, rng);
        diverged[0] = Double.NaN;
        assertThat(ScoreMatching.exact().lossAndGradientAlong(ONE, Architecture.energy(narrow), diverged,
                TestNetworks.gaussian(2 * 7, rng), 2, null, new double[diverged.length])).isNaN();
    }

    /** {@code grad} against central differences of the loss in every parameter, to 1e-6 relative. */
    private static void assertMatchesFiniteDifferences(ScoreMatching obj, Network net, double[] theta, double[] x, int n,
                                                       double[] v, double[] grad, String what) {
        for (int p = 0; p < theta.length; p++) {
            double[] tp = theta.clone();
            tp[p] += H;
            double lp = obj.lossAndGradientAlong(ONE, Architecture.energy(net), tp, x, n, v, null);
            tp[p] -= 2 * H;
            double lm = obj.lossAndGradientAlong(ONE, Architecture.energy(net), tp, x, n, v, null);
            double fd = (lp - lm) / (2 * H);
            assertThat(Math.abs(grad[p] - fd)).as("%s parameter %d: %s vs %s", what, p, grad[p], fd)
                    .isLessThanOrEqualTo(1e-6 * Math.max(1, Math.abs(fd)));
        }
    }

    /** For each parameter of the wide network, the narrow parameter {@link #pad} copies there (−1: none). */
    private static int[] indexMap(Network narrow, Network wide) {
        double[] ids = new double[narrow.parameterCount()];
        for (int q = 0; q < ids.length; q++) {
            ids[q] = q + 1;
        }
        double[] placed = pad(narrow, ids, wide);
        int[] map = new int[placed.length];
        for (int q = 0; q < placed.length; q++) {
            map[q] = (int) placed[q] - 1;
        }
        return map;
    }

    /** {@code theta} of an MLP with first layer H written into one with a first layer of width H' ≥ H, extra units zero. */
    private static double[] pad(Network narrow, double[] theta, Network wide) {
        double[] out = new double[wide.parameterCount()];
        Op.Affine a1 = (Op.Affine) narrow.ops().get(0);
        Op.Affine b1 = (Op.Affine) wide.ops().get(0);
        for (int j = 0; j < a1.out(); j++) {
            System.arraycopy(theta, a1.weightOffset() + j * a1.in(), out, b1.weightOffset() + j * b1.in(), a1.in());
            out[b1.biasOffset() + j] = theta[a1.biasOffset() + j];
        }
        List<Op.Affine> as = affines(narrow);
        List<Op.Affine> bs = affines(wide);
        Op.Affine a2 = as.get(1);
        Op.Affine b2 = bs.get(1);
        for (int r = 0; r < a2.out(); r++) {
            System.arraycopy(theta, a2.weightOffset() + r * a2.in(), out, b2.weightOffset() + r * b2.in(), a2.in());
            out[b2.biasOffset() + r] = theta[a2.biasOffset() + r];
        }
        for (int i = 2; i < as.size(); i++) {
            Op.Affine a = as.get(i);
            Op.Affine b = bs.get(i);
            System.arraycopy(theta, a.weightOffset(), out, b.weightOffset(), a.in() * a.out());
            System.arraycopy(theta, a.biasOffset(), out, b.biasOffset(), a.out());
        }
        return out;
    }

    private static List<Op.Affine> affines(Network net) {
        List<Op.Affine> out = new java.util.ArrayList<>();
        for (Op op : net.ops()) {
            if (op instanceof Op.Affine a) {
                out.add(a);
            }
        }
        return out;
    }

    /**
     * When the first layer narrows (D &gt; H) the exact loss runs through H directions at the first
     * pre-activation and chains ∂L/∂U back to W₁: its gradient against finite differences, and the
     * same result with tiny slabs (direction blocks) and two threads.
     */
    @Test
    void exactLossWithANarrowFirstLayer() {
        RandomGenerator rng = TestNetworks.rng(150);
        Activation[] acts = {Activation.SILU, Activation.TANH, Activation.GELU, Activation.SOFTPLUS};
        for (int trial = 0; trial < 20; trial++) {
            int dim = 6 + rng.nextInt(7);
            int h = 2 + rng.nextInt(4);
            Network net = Network.mlp(dim, new int[] {h, 2 + rng.nextInt(5)}, acts[trial % acts.length]);
            double[] theta = TestNetworks.randomParameters(net, rng);
            int n = 1 + rng.nextInt(4);
            double[] x = TestNetworks.gaussian(n * dim, rng);
            ScoreMatching obj = ScoreMatching.exact();
            double[] grad = new double[theta.length];
            double loss = obj.lossAndGradientAlong(ONE, Architecture.energy(net), theta, x, n, null, grad);
            assertMatchesFiniteDifferences(obj, net, theta, x, n, null, grad, "trial " + trial);
            double[] g2 = new double[theta.length];
            double l2 = obj.lossAndGradientAlong(TINY_SLABS, Architecture.energy(net), theta, x, n, null, g2);
            assertThat(Math.abs(l2 - loss)).isLessThanOrEqualTo(1e-12 * Math.max(1, Math.abs(loss)));
            for (int p = 0; p < theta.length; p++) {
                assertThat(Math.abs(g2[p] - grad[p])).isLessThanOrEqualTo(1e-11 * Math.max(1, Math.abs(grad[p])));
            }
        }
    }

    @Test
    void reluIsRefusedWithAClearMessage() {
        Network net = Network.mlp(2, new int[] {4}, Activation.RELU);
        double[] theta = new double[net.parameterCount()];
        assertThatThrownBy(() -> ScoreMatching.exact().lossAndGradient(ONE, Architecture.energy(net), theta, new double[2], 1,
                TestNetworks.rng(1), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("smooth activation")
                .hasMessageContaining("relu");
    }
}
