package org.scorematch.objective;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.scorematch.TestNetworks;
import org.scorematch.engine.Activation;
import org.scorematch.engine.Engine;
import org.scorematch.engine.Initialization;
import org.scorematch.engine.Precision;
import org.scorematch.model.Architecture;
import org.scorematch.model.NoiseLadder;
import org.scorematch.model.Sde;

/**
 * The single-precision engine against the double-precision one on the same inputs, noise and
 * directions: the loss and θ-gradient of every objective, for energies and score networks, over
 * seeded random networks (every smooth activation, 1–3 hidden layers of width 8–40, the D &gt; H
 * path of the exact loss included). No finite differences in float32: the double engine is the
 * reference, itself checked against finite differences, PyTorch and closed forms elsewhere.
 *
 * <p>The bound: with u = 2⁻²⁴, each quantity q must satisfy {@code |q₃₂ − q₆₄| ≤ k·u·κ} with
 * κ = ‖q₆₄‖∞ (the loss's or gradient's own scale: weights and inputs of order one keep every
 * intermediate of the order of the output, so the output's scale bounds the scale of the
 * rounding errors) and k = 2¹²: the worst-case rounding of a dot product of n terms is n·u
 * relative, and a step goes through at most three hidden layers (width ≤ 40, ≤ 120·u), SiLU's
 * exponential (≤ 2⁹·u per layer, its eight squarings, {@code VectorExp}), and a slab's gradient
 * summed over at most 2048 rows in the GEMM (≤ 2¹¹·u): (120 + 3·2⁹ + 2¹¹)·u &lt; 2¹²·u.
 * The observed worst ratio is printed; a wrong float32 rule misses by orders of magnitude,
 * and the float32 path must differ from the float64 one (else it is not float32).
 */
class Float32Test {
    private static final double U = Math.ulp(1.0f) / 2;
    private static final double K = 1 << 12;
    private static final Engine F64 = Engine.create(2, Precision.FLOAT64);
    private static final Engine F32 = Engine.create(2, Precision.FLOAT32);
    private static final Activation[] SMOOTH = {Activation.SILU, Activation.SOFTPLUS, Activation.TANH,
            Activation.GELU};

    @AfterAll
    static void close() {
        F64.close();
        F32.close();
    }

    private record Case(String name, Architecture arch, Objective objective) {
    }

    private static int[] hidden(RandomGenerator rng) {
        int[] h = new int[1 + rng.nextInt(3)];
        for (int i = 0; i < h.length; i++) {
            h[i] = 8 + rng.nextInt(33);
        }
        return h;
    }

    private static List<Case> cases(RandomGenerator rng) {
        int dim = 1 + rng.nextInt(6);
        Activation act = SMOOTH[rng.nextInt(SMOOTH.length)];
        Architecture energy = Architecture.mlp(Architecture.Kind.ENERGY, dim, hidden(rng), act, null);
        Architecture score = Architecture.mlp(Architecture.Kind.SCORE, dim, hidden(rng), act, null);
        // D > H: the exact loss runs its jets from the first layer (Directions.firstLayer).
        Architecture narrow = Architecture.mlp(Architecture.Kind.ENERGY, 12, new int[] {8, 8}, act, null);
        NoiseLadder ladder = NoiseLadder.geometric(3, 0.1, 10);
        Sde sde = Sde.vp(0.1, 20);
        List<Case> c = new ArrayList<>();
        c.add(new Case("exact", energy, ScoreMatching.exact()));
        c.add(new Case("exact, D > H", narrow, ScoreMatching.exact()));
        c.add(new Case("exact, score net", score, ScoreMatching.exact()));
        c.add(new Case("sliced", energy, ScoreMatching.sliced(2, Projection.GAUSSIAN)));
        c.add(new Case("sliced-vr, score net", score, ScoreMatching.slicedVarianceReduced(2, Projection.RADEMACHER)));
        c.add(new Case("denoising, energy", energy, DenoisingScoreMatching.singleLevel(0.5)));
        c.add(new Case("denoising, score net", score, DenoisingScoreMatching.singleLevel(0.5)));
        c.add(new Case("multiscale", Architecture.mlp(Architecture.Kind.SCORE, dim, hidden(rng), act, ladder),
                DenoisingScoreMatching.multiScale()));
        c.add(new Case("diffusion", Architecture.diffusion(Architecture.Kind.SCORE, dim, hidden(rng), act, sde, 1e-5),
                DenoisingScoreMatching.continuous(sde, 1e-5, Weighting.SIGMA2)));
        c.add(new Case("diffusion, energy", Architecture.diffusion(Architecture.Kind.ENERGY, dim, hidden(rng), act, sde,
                1e-5), DenoisingScoreMatching.continuous(sde, 1e-5, Weighting.LIKELIHOOD)));
        return c;
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    @Test
    void lossesAndGradientsMatchDoublePrecision() {
        RandomGenerator rng = TestNetworks.rng(15);
        double worst = 0;
        double smallestDifference = Double.POSITIVE_INFINITY;
        for (int trial = 0; trial < 12; trial++) {
            for (Case c : cases(rng)) {
                int dim = c.arch().dimension();
                int n = 1 + rng.nextInt(300);
                double[] x = TestNetworks.gaussian(n * dim, rng);
                double[] theta = Initialization.PYTORCH.draw(c.arch().network(), rng);
                long seed = rng.nextLong();
                double[] g64 = new double[theta.length];
                double[] g32 = new double[theta.length];
                double l64 = c.objective().lossAndGradient(F64, c.arch(), theta, x, n, new SplittableRandom(seed), g64);
                double l32 = c.objective().lossAndGradient(F32, c.arch(), theta, x, n, new SplittableRandom(seed), g32);
                String what = c.name() + ", trial " + trial;
                double lossScale = Math.max(Math.abs(l64), Double.MIN_NORMAL);
                assertThat(Math.abs(l32 - l64)).as("loss, " + what).isLessThanOrEqualTo(K * U * lossScale);
                double gradScale = maxAbs(g64);
                double diff = 0;
                for (int i = 0; i < theta.length; i++) {
                    diff = Math.max(diff, Math.abs(g32[i] - g64[i]));
                }
                assertThat(diff).as("gradient, " + what).isLessThanOrEqualTo(K * U * gradScale);
                worst = Math.max(worst, Math.max(Math.abs(l32 - l64) / lossScale, diff / gradScale) / U);
                smallestDifference = Math.min(smallestDifference, diff / gradScale);
            }
        }
        System.out.printf("float32 against float64: worst |q32 − q64| / ‖q64‖∞ = %.0f u (bound %.0f u)%n", worst, K);
        assertThat(smallestDifference).as("float32 rounds differently from float64").isGreaterThan(0);
    }

    @Test
    void activationsMatchDoublePrecision() {
        RandomGenerator rng = TestNetworks.rng(16);
        double[] d64 = new double[4];
        double[] d32 = new double[4];
        for (Activation act : Activation.values()) {
            for (int i = 0; i < 2000; i++) {
                // Inputs representable in float, so that only the arithmetic differs.
                double x = (float) (rng.nextGaussian() * 6);
                act.derivatives(Precision.FLOAT64, x, d64);
                act.derivatives(Precision.FLOAT32, x, d32);
                for (int j = 0; j < 4; j++) {
                    // σ's derivatives are at most of order one; SiLU's e^(−x) is within 2⁹ u (VectorExp).
                    assertThat(Math.abs(d32[j] - d64[j])).as(act + " derivative " + j + " at " + x)
                            .isLessThanOrEqualTo((1 << 10) * U * Math.max(1, Math.abs(d64[j])));
                }
            }
        }
    }
}
