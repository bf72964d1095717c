package org.scorematch.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.scorematch.TestEngines;
import org.scorematch.engine.Engine;
import org.scorematch.metrics.FisherDivergence;
import org.scorematch.engine.Activation;
import org.scorematch.model.Architecture;
import org.scorematch.model.EnergyModel;
import org.scorematch.model.Model;
import org.scorematch.model.NoiseLadder;
import org.scorematch.model.ScoreModel;
import org.scorematch.objective.DenoisingScoreMatching;
import org.scorematch.optim.Adam;
import org.scorematch.target.GaussianMixture;
import org.scorematch.target.Target;

/**
 * Denoising training of 3×128 SiLU models (Adam lr 2e-3, batch 256, seed 1) on docs/DESIGN.md's ring
 * and 10-D mixture. Fisher divergence on 5000 fresh samples: for a single σ against the score of
 * the noised target (the data convolved with N(0, σ²I)), for multi-scale against the clean target
 * at the smallest σ. Measured with native OpenBLAS and 2 engine threads over seeds 1–8 (range);
 * each bound sits above the worst seed, so a change of the noise stream does not decide the
 * test, and far below the untrained values:
 *
 * <pre>
 * ring, score net, σ = 0.3, 2000 steps        0.12 – 0.21   (untrained 2.74)   bound 0.5
 * ring, score net, multi-scale, 5000 steps    0.38 – 0.74   (untrained 3.92)   bound 1.0
 * mixture10, score net, σ = 0.5, 1000 steps   0.14 – 0.23                      bound 0.35
 * mixture10, energy, σ = 0.5, 1000 steps      0.057 – 0.072                    bound 0.15
 * mixture10, energy, multi-scale, 2000 steps  0.15 – 0.35   (untrained 6.27)   bound 0.5
 * </pre>
 *
 * Seeds decide more than noise for two settings left out: the ring's score network at σ = 0.3
 * after 1000 steps (0.25 – 1.27: some seeds have not yet carved the ring's hole) and an energy on
 * the ring at σ = 0.3, which converges bimodally even after 4000 steps (six of eight seeds at
 * 0.05 – 0.09, two at 1.26 – 1.29), an optimisation property of that target rather than of the
 * objective's gradient, which the mixture's energy rows test.
 *
 * <p>Multi-scale ladders are the data-driven defaults (NoiseLadder.suggest on 2000 samples) down to
 * σ_min = 0.2: at σ = 0.1 the denoising target is so noisy that 3000 steps leave the ring at a
 * Fisher divergence near 2 (docs/DESIGN.md §7, noise-level choice).
 */
class DenoisingTrainingTest {
    private static final Engine ENGINE = TestEngines.TWO_THREADS;
    private static final int[] HIDDEN = {128, 128, 128};

    private static double train(GaussianMixture data, Architecture.Kind kind, double sigma, boolean multiscale,
                                int steps) {
        NoiseLadder ladder = multiscale
                ? NoiseLadder.suggest(data.sample(2000, new SplittableRandom(3)), 2000, data.dimension(), sigma,
                new SplittableRandom(4))
                : null;
        SplittableRandom rng = new SplittableRandom(1);
        Architecture arch = Architecture.mlp(kind, data.dimension(), HIDDEN, Activation.SILU, ladder);
        Model model = kind == Architecture.Kind.ENERGY ? EnergyModel.of(arch, rng) : ScoreModel.of(arch, rng);
        DenoisingScoreMatching objective = multiscale ? DenoisingScoreMatching.multiScale()
                : DenoisingScoreMatching.singleLevel(sigma);
        Model trained = TargetTraining.train(model, objective, data, steps, 256, Adam.of(2e-3), ENGINE, rng, null);
        ScoreSign.assertPointsInward(trained);
        Target reference = multiscale ? data : data.convolved(sigma);
        return FisherDivergence.estimate(trained, reference, 5000, new SplittableRandom(99), ENGINE);
    }

    @Test
    void ringScoreNetworkSingleLevel() {
        assertThat(train(GaussianMixture.ring(), Architecture.Kind.SCORE, 0.3, false, 2000)).isLessThan(0.5);
    }

    @Test
    void mixtureEnergySingleLevel() {
        assertThat(train(GaussianMixture.mixture10(), Architecture.Kind.ENERGY, 0.5, false, 1000)).isLessThan(0.15);
    }

    @Test
    void ringScoreNetworkMultiScale() {
        assertThat(train(GaussianMixture.ring(), Architecture.Kind.SCORE, 0.2, true, 5000)).isLessThan(1.0);
    }

    @Test
    void mixtureScoreNetworkSingleLevel() {
        assertThat(train(GaussianMixture.mixture10(), Architecture.Kind.SCORE, 0.5, false, 1000)).isLessThan(0.35);
    }

    @Test
    void mixtureEnergyMultiScale() {
        assertThat(train(GaussianMixture.mixture10(), Architecture.Kind.ENERGY, 0.2, true, 2000)).isLessThan(0.5);
    }
}
