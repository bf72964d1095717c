package org.scorematch.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scorematch.ScorematchException;
import org.scorematch.datasets.BuiltinDataset;
import org.scorematch.data.Dataset;
import org.scorematch.data.Standardization;
import org.scorematch.io.ModelFile;
import org.scorematch.linalg.Matrix;
import org.scorematch.engine.Activation;
import org.scorematch.model.Architecture;
import org.scorematch.model.TrainedModel;
import org.scorematch.objective.DenoisingScoreMatching;
import org.scorematch.objective.Objective;
import org.scorematch.objective.ScoreMatching;
import org.scorematch.optim.Schedule;

class TrainerTest {
    private static final Dataset FAITHFUL = BuiltinDataset.FAITHFUL.load(0, null);

    private static Trainer.Builder small(Objective objective) {
        return Trainer.builder()
                .architecture(Architecture.mlp(Architecture.Kind.ENERGY, 2, new int[] {16, 16}, Activation.SILU, null))
                .objective(objective).adam(3e-3).batch(64).seed(5).threads(2).validationFraction(0.2).evaluateEvery(10);
    }

    /** N steps, a checkpoint, and N resumed steps give the same model as 2N straight, bit for bit. */
    @Test
    void resumeEqualsStraightRunBitwise(@TempDir Path dir) {
        Objective dsm = DenoisingScoreMatching.singleLevel(0.3);
        Path ckpt = dir.resolve("ckpt.safetensors");
        small(dsm).ema(0.9).steps(40).checkpoint(ckpt, 40).build().fit(FAITHFUL);
        TrainedModel resumed = small(dsm).ema(0.9).steps(80).checkpoint(dir.resolve("other.safetensors"), 40).build()
                .resume(ckpt, FAITHFUL);
        TrainedModel straight = small(dsm).ema(0.9).steps(80).checkpoint(dir.resolve("third.safetensors"), 40).build()
                .fit(FAITHFUL);
        assertThat(resumed.model().parameters()).containsExactly(straight.model().parameters());
        assertThat(resumed.info().get("held_out_loss")).isEqualTo(straight.info().get("held_out_loss"));
    }

    /** The same for continuous-time denoising: its times and noise come from the step's own stream. */
    @Test
    void diffusionResumeEqualsStraightRunBitwise(@TempDir Path dir) {
        org.scorematch.model.Sde sde = org.scorematch.model.Sde.vp(0.1, 20);
        Objective objective = DenoisingScoreMatching.continuous(sde, DenoisingScoreMatching.DEFAULT_EPSILON,
                org.scorematch.objective.Weighting.LIKELIHOOD);
        Architecture arch = Architecture.diffusion(Architecture.Kind.SCORE, 2, new int[] {16, 16}, Activation.SILU, sde,
                DenoisingScoreMatching.DEFAULT_EPSILON);
        Path ckpt = dir.resolve("d.safetensors");
        Trainer.builder().architecture(arch).objective(objective).adam(3e-3).batch(64).seed(5).threads(2).ema(0.9)
                .steps(40).checkpoint(ckpt, 40).build().fit(FAITHFUL);
        TrainedModel straight = Trainer.builder().architecture(arch).objective(objective).adam(3e-3).batch(64).seed(5)
                .threads(2).ema(0.9).steps(80).build().fit(FAITHFUL);
        TrainedModel resumed = Trainer.builder().architecture(arch).objective(objective).adam(3e-3).batch(64).seed(5)
                .threads(2).ema(0.9).steps(80).build().resume(ckpt, FAITHFUL);
        assertThat(resumed.model().parameters()).containsExactly(straight.model().parameters());
        // The weighting is part of the settings a resume must match.
        assertThatThrownBy(() -> Trainer.builder().architecture(arch)
                .objective(DenoisingScoreMatching.continuous(sde, DenoisingScoreMatching.DEFAULT_EPSILON)).adam(3e-3)
                .batch(64).seed(5).threads(2).ema(0.9).steps(80).build().resume(ckpt, FAITHFUL))
                .hasMessageContaining("weighting=likelihood");
    }

    @Test
    void resumeWithOtherSettingsIsRefused(@TempDir Path dir) {
        Path ckpt = dir.resolve("ckpt.safetensors");
        small(ScoreMatching.exact()).steps(10).checkpoint(ckpt, 10).build().fit(FAITHFUL);
        assertThatThrownBy(() -> small(ScoreMatching.exact()).batch(32).steps(20).build().resume(ckpt, FAITHFUL))
                .isInstanceOf(ScorematchException.class).hasMessageContaining("other settings");
    }

    @Test
    void sameSeedSameModelOtherSeedOtherModel() {
        double[] a = small(ScoreMatching.exact()).steps(30).build().fit(FAITHFUL).model().parameters();
        double[] b = small(ScoreMatching.exact()).steps(30).build().fit(FAITHFUL).model().parameters();
        double[] c = small(ScoreMatching.exact()).steps(30).seed(6).build().fit(FAITHFUL).model().parameters();
        assertThat(b).containsExactly(a);
        assertThat(c).isNotEqualTo(a);
    }

    /** A divergent run stops with the step named and remedies, and the last good checkpoint survives. */
    @Test
    void divergenceStopsWithRemediesAndKeepsTheCheckpoint(@TempDir Path dir) {
        Path ckpt = dir.resolve("ckpt.safetensors");
        Trainer t = Trainer.builder()
                .architecture(Architecture.mlp(Architecture.Kind.ENERGY, 2, new int[] {16}, Activation.SILU, null))
                .objective(ScoreMatching.exact()).sgd(1e3, 0.9).steps(200).batch(64).seed(1).threads(1)
                .checkpoint(ckpt, 1).build();
        TrainingDivergedException e = org.junit.jupiter.api.Assertions.assertThrows(TrainingDivergedException.class,
                () -> t.fit(FAITHFUL));
        assertThat(e.step()).isGreaterThan(1);
        assertThat(e.getMessage()).contains("diverged at step " + e.step()).contains("setting 'lr'").contains("setting 'clip-norm'")
                .contains("sliced or denoising").contains("step " + (e.step() - 1) + ") is kept");
        TrainedModel kept = ModelFile.load(ckpt);
        for (double p : kept.model().parameters()) {
            assertThat(Double.isFinite(p)).isTrue();
        }
    }

    /** Early stopping halts once the held-out loss stops improving and returns the best weights. */
    @Test
    void earlyStoppingReturnsTheBestHeldOutModel() {
        Trainer t = Trainer.builder()
                .architecture(Architecture.mlp(Architecture.Kind.ENERGY, 2, new int[] {64, 64}, Activation.SILU, null))
                .objective(ScoreMatching.exact()).adam(1e-2).steps(2000).batch(64).seed(3).threads(2)
                .validationFraction(0.3).evaluateEvery(20).patience(3).build();
        TrainedModel m = t.fit(FAITHFUL);
        int steps = Integer.parseInt(m.info().get("steps"));
        assertThat(steps).isLessThan(2000);
        assertThat(steps % 20).as("stops at an evaluation").isZero();
        // Returned are the best weights, not the last: re-running without early stopping to the
        // same step must end elsewhere.
        double[] last = Trainer.builder()
                .architecture(Architecture.mlp(Architecture.Kind.ENERGY, 2, new int[] {64, 64}, Activation.SILU, null))
                .objective(ScoreMatching.exact()).adam(1e-2).steps(steps).batch(64).seed(3).threads(2)
                .validationFraction(0.3).evaluateEvery(20).heldOutMetric(HeldOutMetric.LOSS).build().fit(FAITHFUL)
                .model().parameters();
        assertThat(m.model().parameters()).isNotEqualTo(last);
    }

    /**
     * Exact score matching on ~200 rows overfits within a few hundred steps: the held-out
     * log-likelihood peaks and then falls by nats as the density grows spikes on the training
     * rows. Tracking it keeps the weights of the peak: the reported value is the log's maximum,
     * and recomputing the likelihood of the returned weights on the same rows gives it again.
     */
    @Test
    void heldOutLikelihoodKeepsTheWeightsBeforeTheSpikes(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("log.csv");
        TrainedModel m = Trainer.builder()
                .architecture(Architecture.mlp(Architecture.Kind.ENERGY, 2, new int[] {64, 64}, Activation.SILU, null))
                .objective(ScoreMatching.exact()).adam(3e-3).steps(1200).batch(128).seed(4).threads(2)
                .validationFraction(0.25).evaluateEvery(40).log(log).build().fit(FAITHFUL);
        TrainingLog curve = TrainingLog.read(log);
        assertThat(curve.steps()).hasSize(1200);
        double best = Double.NEGATIVE_INFINITY;
        double last = Double.NaN;
        int evaluations = 0;
        for (int i = 0; i < curve.steps().length; i++) {
            assertThat(curve.steps()[i]).isEqualTo(i + 1);
            double ll = curve.heldOutLogLikelihood()[i];
            assertThat(Double.isNaN(ll)).as("evaluated at step %d", i + 1).isEqualTo((i + 1) % 40 != 0);
            assertThat(Double.isNaN(curve.heldOutLoss()[i])).isEqualTo(Double.isNaN(ll));
            if (!Double.isNaN(ll)) {
                evaluations++;
                last = ll;
                best = Math.max(best, last);
            }
        }
        assertThat(evaluations).isEqualTo(30);
        assertThat(Double.parseDouble(m.info().get("held_out_log_likelihood"))).isEqualTo(best);
        assertThat(last).as("the last weights overfit").isLessThan(best - 1);
    }

    /**
     * Explicit score matching through the trainer, which standardises the rows: against N(μ, 5²I)
     * with μ = (10, −5), far from standard units, a linear score model (exact for a Gaussian)
     * reaches the target's score in data units, s(x) = −(x − μ)/25, to 1e-3 on fresh points
     * (scores are about 0.2 in size; comparing in mixed units would leave errors of order 1).
     */
    @Test
    void explicitScoreMatchingTrainsInTheDataUnits() {
        var target = org.scorematch.target.GaussianMixture.of("g", new double[] {1}, new double[][] {{10, -5}},
                new double[] {5});
        Dataset data = Dataset.of("g", List.of("a", "b"),
                Matrix.of(4000, 2, target.sample(4000, new java.util.SplittableRandom(1))));
        TrainedModel m = Trainer.builder().architecture(Architecture.linearScore(2))
                .objective(org.scorematch.objective.ExplicitScoreMatching.against(target)).adam(1e-2).steps(1500)
                .batch(256).seed(2).threads(1).ema(0).build().fit(data);
        double[] points = target.sample(200, new java.util.SplittableRandom(3));
        double[] truth = target.score(points, 200);
        double[] s = m.score(Matrix.of(200, 2, points)).toArray();
        for (int i = 0; i < s.length; i++) {
            assertThat(s[i]).isCloseTo(truth[i], org.assertj.core.data.Offset.offset(1e-3));
        }
    }

    /** Scores in the data's units equal central differences of minus the energy in the data's units. */
    @Test
    void scoresInOriginalUnitsAreMinusEnergyGradients() {
        TrainedModel m = small(ScoreMatching.exact()).steps(50).build().fit(FAITHFUL);
        assertThat(m.standardization().scale()[1]).isGreaterThan(5);
        Matrix x = Matrix.of(3, 2, 2.0, 60, 3.5, 75, 4.5, 85);
        Matrix s = m.score(x);
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 2; c++) {
                double h = 1e-5 * m.standardization().scale()[c];
                double[] p = x.row(r);
                double[] q = x.row(r);
                p[c] += h;
                q[c] -= h;
                double fd = -(m.energy(Matrix.ofRows(p))[0] - m.energy(Matrix.ofRows(q))[0]) / (2 * h);
                assertThat(s.get(r, c)).isCloseTo(fd, org.assertj.core.data.Offset.offset(1e-6 * Math.max(1, Math.abs(fd))));
            }
        }
    }

    @Test
    void zeroVarianceColumnsAreNamed() {
        Dataset d = Dataset.of("flat.csv", List.of("a", "const"), Matrix.of(3, 2, 1, 5, 2, 5, 3, 5));
        assertThatThrownBy(() -> Standardization.fit(d)).isInstanceOf(ScorematchException.class)
                .hasMessageContaining("flat.csv: column [const] has zero variance");
    }

    @Test
    void badSettingsAreExplained() {
        assertThatThrownBy(() -> small(ScoreMatching.exact()).validationFraction(1.5).build())
                .hasMessageContaining("validation fraction");
        Dataset three = Dataset.of("tiny", List.of("a", "b"), Matrix.of(2, 2, 1, 2, 3, 4));
        assertThatThrownBy(() -> small(ScoreMatching.exact()).validationFraction(0.1).build().fit(three))
                .hasMessageContaining("need at least one on each side");
        Dataset wrong = Dataset.of("wide", List.of("a", "b", "c"), Matrix.of(2, 3, 1, 2, 3, 4, 5, 6));
        assertThatThrownBy(() -> small(ScoreMatching.exact()).build().fit(wrong))
                .hasMessageContaining("the data have 3 columns, the model expects 2");
    }

    @Test
    void schedulesFollowTheirFormulas() {
        assertThat(Schedule.constant().factor(7, 10)).isEqualTo(1);
        assertThat(Schedule.cosine().factor(1, 10)).isEqualTo(1);
        assertThat(Schedule.cosine().factor(6, 10)).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(Schedule.step(100, 0.5).factor(250, 1000)).isEqualTo(0.25);
    }

    @Test
    void lossCurveLogIsWritten(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("log.csv");
        small(ScoreMatching.sliced(1, org.scorematch.objective.Projection.GAUSSIAN)).steps(25).log(log).build()
                .fit(FAITHFUL);
        List<String> lines = Files.readAllLines(log);
        assertThat(lines.get(0)).isEqualTo("step,loss,held_out_loss,held_out_log_likelihood,learning_rate,seconds");
        assertThat(lines).hasSize(26);
        assertThat(lines.get(10).split(",")[2]).isNotEmpty();
    }
}
