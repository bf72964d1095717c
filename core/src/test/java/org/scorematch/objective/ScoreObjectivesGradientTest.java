package org.scorematch.objective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.ToDoubleFunction;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.scorematch.TestNetworks;
import org.scorematch.engine.Engine;
import org.scorematch.engine.Activation;
import org.scorematch.model.Architecture;
import org.scorematch.model.NoiseLadder;
import org.scorematch.target.GaussianMixture;

/**
 * θ-gradients of the score-network objectives and of every denoising and explicit objective
 * (on energies and score networks, unconditional and noise-conditional) against central finite
 * differences of the loss with noise and directions held fixed, over seeded random models; and
 * their invariance to the thread count and slab size.
 */
class ScoreObjectivesGradientTest {
    private static final double H = 1e-5;
    private static final Engine ONE = Engine.create(1);
    private static final Engine TINY_SLABS = Engine.create(2, 3);
    private static final Activation[] SMOOTH = {Activation.SILU, Activation.SOFTPLUS, Activation.TANH, Activation.GELU};

    @AfterAll
    static void close() {
        ONE.close();
        TINY_SLABS.close();
    }

    private static Architecture randomArchitecture(Architecture.Kind kind, int dim, NoiseLadder ladder,
                                                   RandomGenerator rng) {
        int depth = 1 + rng.nextInt(2);
        int[] hidden = new int[depth];
        for (int i = 0; i < depth; i++) {
            hidden[i] = 2 + rng.nextInt(5);
        }
        return Architecture.mlp(kind, dim, hidden, SMOOTH[rng.nextInt(SMOOTH.length)], ladder);
    }

    private static void assertGradientMatches(double[] theta, double[] grad, ToDoubleFunction<double[]> loss,
                                              String what) {
        for (int p = 0; p < theta.length; p++) {
            double[] tp = theta.clone();
            tp[p] += H;
            double lp = loss.applyAsDouble(tp);
            tp[p] -= 2 * H;
            double lm = loss.applyAsDouble(tp);
            double fd = (lp - lm) / (2 * H);
            assertThat(Math.abs(grad[p] - fd)).as("%s parameter %d: %s vs %s", what, p, grad[p], fd)
                    .isLessThanOrEqualTo(1e-6 * Math.max(1, Math.abs(fd)));
        }
    }

    @ParameterizedTest
    @EnumSource(ScoreMatching.Kind.class)
    void scoreNetworkScoreMatchingGradients(ScoreMatching.Kind kind) {
        RandomGenerator rng = TestNetworks.rng(300 + kind.ordinal());
        for (int trial = 0; trial < 30; trial++) {
            int dim = 1 + rng.nextInt(4);
            Architecture arch = trial % 5 == 4 ? Architecture.linearScore(dim)
                    : randomArchitecture(Architecture.Kind.SCORE, dim, null, rng);
            double[] theta = TestNetworks.randomParameters(arch.network(), rng);
            int n = 1 + rng.nextInt(4);
            int k = 1 + rng.nextInt(3);
            ScoreMatching obj = switch (kind) {
                case EXACT -> ScoreMatching.exact();
                case SLICED -> ScoreMatching.sliced(k, Projection.GAUSSIAN);
                case SLICED_VR -> ScoreMatching.slicedVarianceReduced(k, Projection.GAUSSIAN);
            };
            double[] x = TestNetworks.gaussian(n * dim, rng);
            double[] v = TestNetworks.gaussian(n * k * dim, rng);
            double[] grad = new double[theta.length];
            double l1 = obj.lossAndGradientAlong(ONE, arch, theta, x, n, v, grad);
            assertGradientMatches(theta, grad, t -> obj.lossAndGradientAlong(ONE, arch, t, x, n, v, null),
                    "score net " + kind + " trial " + trial);
            double[] g2 = new double[theta.length];
            double l2 = obj.lossAndGradientAlong(TINY_SLABS, arch, theta, x, n, v, g2);
            assertThat(Math.abs(l2 - l1)).isLessThanOrEqualTo(1e-12 * Math.max(1, Math.abs(l1)));
            for (int p = 0; p < theta.length; p++) {
                assertThat(Math.abs(g2[p] - grad[p])).isLessThanOrEqualTo(1e-12 * Math.max(1, Math.abs(grad[p])));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.Kind.class)
    void denoisingGradients(Architecture.Kind kind) {
        RandomGenerator rng = TestNetworks.rng(400 + kind.ordinal());
        for (int trial = 0; trial < 40; trial++) {
            int dim = 1 + rng.nextInt(4);
            boolean multiscale = trial % 2 == 1;
            NoiseLadder ladder = multiscale ? NoiseLadder.geometric(3.0, 0.1, 2 + rng.nextInt(4)) : null;
            Architecture arch = randomArchitecture(kind, dim, ladder, rng);
            double[] theta = TestNetworks.randomParameters(arch.network(), rng);
            int n = 1 + rng.nextInt(5);
            double[] x = TestNetworks.gaussian(n * dim, rng);
            double[] eps = TestNetworks.gaussian(n * dim, rng);
            double[] sigmas = new double[n];
            for (int i = 0; i < n; i++) {
                sigmas[i] = multiscale ? ladder.sigma(rng.nextInt(ladder.size())) : 0.7;
            }
            DenoisingScoreMatching obj = multiscale ? DenoisingScoreMatching.multiScale()
                    : DenoisingScoreMatching.singleLevel(0.7);
            double[] grad = new double[theta.length];
            double l1 = obj.lossAndGradientWith(ONE, arch, theta, x, n, sigmas, eps, grad);
            assertGradientMatches(theta, grad, t -> obj.lossAndGradientWith(ONE, arch, t, x, n, sigmas, eps, null),
                    kind + " " + obj.id() + " trial " + trial);
            double[] g2 = new double[theta.length];
            double l2 = obj.lossAndGradientWith(TINY_SLABS, arch, theta, x, n, sigmas, eps, g2);
            assertThat(Math.abs(l2 - l1)).isLessThanOrEqualTo(1e-12 * Math.max(1, Math.abs(l1)));
            for (int p = 0; p < theta.length; p++) {
                assertThat(Math.abs(g2[p] - grad[p])).isLessThanOrEqualTo(1e-12 * Math.max(1, Math.abs(grad[p])));
            }
        }
    }

    /** A noise-conditional energy's score is −∇ₓ net(x, log σ)/σ: checked by differences of the energy. */
    @Test
    void conditionalEnergyScoreIsMinusGradientOverSigma() {
        RandomGenerator rng = TestNetworks.rng(5);
        NoiseLadder ladder = NoiseLadder.geometric(2, 0.2, 3);
        Architecture arch = randomArchitecture(Architecture.Kind.ENERGY, 3, ladder, rng);
        org.scorematch.model.EnergyModel model = org.scorematch.model.EnergyModel.of(arch, rng);
        org.scorematch.linalg.Matrix x = org.scorematch.linalg.Matrix.of(2, 3, TestNetworks.gaussian(6, rng));
        org.scorematch.linalg.Matrix s = model.score(x);
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 3; c++) {
                double[] p = x.row(r);
                double[] m = x.row(r);
                p[c] += H;
                m[c] -= H;
                double fd = (model.energy(org.scorematch.linalg.Matrix.ofRows(p))[0]
                        - model.energy(org.scorematch.linalg.Matrix.ofRows(m))[0]) / (2 * H);
                assertThat(Math.abs(s.get(r, c) + fd)).isLessThanOrEqualTo(1e-6 * Math.max(1, Math.abs(fd)));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.Kind.class)
    void explicitGradients(Architecture.Kind kind) {
        RandomGenerator rng = TestNetworks.rng(500 + kind.ordinal());
        GaussianMixture target = GaussianMixture.ring();
        ExplicitScoreMatching obj = ExplicitScoreMatching.against(target);
        for (int trial = 0; trial < 20; trial++) {
            Architecture arch = randomArchitecture(kind, 2, null, rng);
            double[] theta = TestNetworks.randomParameters(arch.network(), rng);
            int n = 1 + rng.nextInt(5);
            double[] x = target.sample(n, rng);
            double[] grad = new double[theta.length];
            obj.lossAndGradient(ONE, arch, theta, x, n, rng, grad);
            assertGradientMatches(theta, grad, t -> obj.lossAndGradient(ONE, arch, t, x, n, rng, null),
                    kind + " explicit trial " + trial);
        }
    }

    @Test
    void misuseIsExplained() {
        Architecture plain = Architecture.mlp(Architecture.Kind.SCORE, 2, new int[] {4}, Activation.SILU, null);
        double[] theta = new double[plain.network().parameterCount()];
        assertThatThrownBy(() -> DenoisingScoreMatching.multiScale().lossAndGradient(ONE, plain, theta, new double[2], 1,
                TestNetworks.rng(1), null)).hasMessageContaining("noise-conditional");
        Architecture conditional = Architecture.mlp(Architecture.Kind.SCORE, 2, new int[] {4}, Activation.SILU,
                NoiseLadder.geometric(1, 0.1, 3));
        double[] theta2 = new double[conditional.network().parameterCount()];
        assertThatThrownBy(() -> ScoreMatching.exact().lossAndGradient(ONE, conditional, theta2, new double[2], 1,
                TestNetworks.rng(1), null)).hasMessageContaining("multiscale denoising");
        assertThatThrownBy(() -> DenoisingScoreMatching.singleLevel(0)).hasMessageContaining("positive");
    }
}
