package org.scorematch.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scorematch.ScorematchException;
import org.scorematch.datasets.BuiltinDataset;
import org.scorematch.data.Dataset;
import org.scorematch.engine.Engine;
import org.scorematch.engine.Initialization;
import org.scorematch.io.ModelFile;
import org.scorematch.linalg.Matrix;
import org.scorematch.metrics.LogLikelihood;
import org.scorematch.engine.Activation;
import org.scorematch.model.Architecture;
import org.scorematch.model.EnergyModel;
import org.scorematch.model.TrainedModel;
import org.scorematch.objective.DenoisingScoreMatching;
import org.scorematch.objective.ScoreMatching;
import org.scorematch.optim.Adam;
import org.scorematch.sample.ScoreFunction;
import org.scorematch.target.AnalyticTargets;

/** The trainer's parts, each against what its documentation says it computes. */
class TrainingPartsTest {
    private static final Engine ENGINE = Engine.create(1);
    private static final Dataset FAITHFUL = BuiltinDataset.FAITHFUL.load(0, null);

    @AfterAll
    static void close() {
        ENGINE.close();
    }

    /**
     * {@code Seeds.mix} is the SplitMix64 finaliser of {@code seed·γ + salt·0xBF58476D1CE4E5B9}: the
     * JDK's SplittableRandom applies the same finaliser to its state after adding γ, so
     * {@code new SplittableRandom(z − γ).nextLong()} is the finaliser of z. Checked on seeds and
     * salts of every size; and SplitMix64 seeded with 0 begins 0xE220A8397B1DCDAF,
     * 0x6E789E6AA1B965F4 (Steele, Lea &amp; Flood 2014; the published reference outputs).
     */
    @Test
    void mixIsTheSplitMix64Finaliser() {
        long gamma = 0x9E3779B97F4A7C15L;
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 100; i++) {
            long seed = i < 50 ? r.nextLong() : r.nextInt(100);
            long salt = i % 3 == 0 ? 0 : r.nextLong();
            long z = seed * gamma + salt * 0xBF58476D1CE4E5B9L;
            assertThat(Seeds.mix(seed, salt)).isEqualTo(new SplittableRandom(z - gamma).nextLong());
        }
        assertThat(Seeds.mix(1, 0)).isEqualTo(0xE220A8397B1DCDAFL);
        assertThat(Seeds.mix(2, 0)).isEqualTo(0x6E789E6AA1B965F4L);
        assertThat(MiniBatch.stepSeed(5, 7)).isEqualTo(Seeds.mix(5, 7)).isNotEqualTo(MiniBatch.stepSeed(5, 8));
    }

    /**
     * Epoch batches: the positions of every pass are a permutation of the rows, consecutive passes
     * differ, and a batch crossing the end of a pass takes the rest from the next; the permutation
     * is Fisher–Yates (for i from n−1 down to 1, swap i with nextInt(i + 1)), replayed by hand.
     */
    @Test
    void epochBatchesArePermutationsOfTheRows() {
        int n = 10;
        EpochBatches batches = new EpochBatches(4, n);
        int batch = 4;
        int[] all = new int[5 * batch];
        int[] out = new int[batch];
        for (int t = 1; t <= 5; t++) {
            batches.indices(t, batch, out);
            System.arraycopy(out, 0, all, (t - 1) * batch, batch);
        }
        int[] first = java.util.Arrays.copyOfRange(all, 0, n);
        int[] second = java.util.Arrays.copyOfRange(all, n, 2 * n);
        assertThat(java.util.Arrays.stream(first).sorted().toArray()).isEqualTo(java.util.stream.IntStream.range(0, n).toArray());
        assertThat(java.util.Arrays.stream(second).sorted().toArray()).isEqualTo(java.util.stream.IntStream.range(0, n).toArray());
        assertThat(first).isNotEqualTo(second);
        EpochBatches fresh = new EpochBatches(4, n);
        fresh.indices(3, batch, out);
        assertThat(out).as("a pure function of the step").isEqualTo(java.util.Arrays.copyOfRange(all, 8, 12));

        int[] p = EpochBatches.permutation(7, new SplittableRandom(9));
        SplittableRandom replay = new SplittableRandom(9);
        int[] q = java.util.stream.IntStream.range(0, 7).toArray();
        for (int i = 6; i > 0; i--) {
            int j = replay.nextInt(i + 1);
            int t = q[i];
            q[i] = q[j];
            q[j] = t;
        }
        assertThat(p).isEqualTo(q);
    }

    /**
     * A mini-batch is the rows it names (or draws with replacement, one nextInt(n) per row), and
     * its loss is the objective's on them with the rest of the same generator: equal bit for bit.
     */
    @Test
    void miniBatchesAreTheirRows() {
        Architecture arch = Architecture.mlp(Architecture.Kind.ENERGY, 2, new int[] {6}, Activation.TANH, null);
        double[] theta = Initialization.PYTORCH.draw(arch.network(), new SplittableRandom(1));
        double[] rows = new SplittableRandom(2).doubles(40).toArray();
        DenoisingScoreMatching dsm = DenoisingScoreMatching.singleLevel(0.5);
        double[] buffer = new double[3 * 2];
        double[] grad = new double[theta.length];
        double drawn = MiniBatch.lossAndGradient(ENGINE, arch, dsm, theta, rows, 20, 3, new SplittableRandom(6), buffer,
                grad);
        SplittableRandom replay = new SplittableRandom(6);
        double[] expected = new double[6];
        for (int i = 0; i < 3; i++) {
            System.arraycopy(rows, replay.nextInt(20) * 2, expected, i * 2, 2);
        }
        assertThat(buffer).isEqualTo(expected);
        double[] g = new double[theta.length];
        assertThat(drawn).isEqualTo(dsm.lossAndGradient(ENGINE, arch, theta, expected, 3, replay, g));
        assertThat(grad).isEqualTo(g);

        double named = MiniBatch.lossAndGradient(ENGINE, arch, dsm, theta, rows, new int[] {7, 0, 19}, 3,
                new SplittableRandom(8), buffer, grad);
        assertThat(buffer).containsExactly(rows[14], rows[15], rows[0], rows[1], rows[38], rows[39]);
        assertThat(named).isEqualTo(dsm.lossAndGradient(ENGINE, arch, theta, buffer.clone(), 3, new SplittableRandom(8),
                g));
    }

    /** Names round-trip and unknown names are refused with the list of valid ones. */
    @Test
    void namesParse() {
        for (BatchOrder o : BatchOrder.values()) {
            assertThat(BatchOrder.fromId(o.id().toUpperCase(java.util.Locale.ROOT))).isSameAs(o);
        }
        for (HeldOutMetric m : HeldOutMetric.values()) {
            assertThat(HeldOutMetric.fromId(m.id())).isSameAs(m);
        }
        assertThat(BatchOrder.WITH_REPLACEMENT.id()).isEqualTo("replacement");
        assertThat(HeldOutMetric.LOG_LIKELIHOOD.id()).isEqualTo("likelihood");
        assertThatThrownBy(() -> BatchOrder.fromId("shuffle")).hasMessageContaining("epochs or replacement");
        assertThatThrownBy(() -> HeldOutMetric.fromId("kl")).isInstanceOf(org.scorematch.ScorematchException.class);
    }

    /**
     * The held-out log-likelihood normalises on the box of the training rows widened by 3 on each
     * side: for a Gaussian energy it equals the closed-form mean log-density within the error
     * bound of that box's normaliser (below 1e-6 here); it applies to energies with D ≤ 3 only.
     */
    @Test
    void heldOutLikelihoodIsTheNormalisedDensity() {
        double[] k = {1.5, 0.4, 0.4, 0.8};
        EnergyModel gaussian = EnergyModel.gaussian(new double[] {0.3, -0.2}, Matrix.of(2, 2, k));
        double[] cov = {0.8 / 1.04, -0.4 / 1.04, -0.4 / 1.04, 1.5 / 1.04};
        double[] train = AnalyticTargets.correlatedGaussian(2, 0).sample(300, new SplittableRandom(3));
        double[] lo = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
        double[] hi = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int i = 0; i < 300; i++) {
            for (int c = 0; c < 2; c++) {
                lo[c] = Math.min(lo[c], train[2 * i + c] - 3);
                hi[c] = Math.max(hi[c], train[2 * i + c] + 3);
            }
        }
        HeldOutLikelihood likelihood = new HeldOutLikelihood(gaussian.architecture(), train, 300);
        double[] x = {0, 0, 1, -1, 0.5, 0.5};
        double expected = 0;
        double det = cov[0] * cov[3] - cov[1] * cov[2];
        for (int i = 0; i < 3; i++) {
            double u = x[2 * i] - 0.3;
            double v = x[2 * i + 1] + 0.2;
            expected += (-Math.log(2 * Math.PI) - 0.5 * Math.log(det) - 0.5 * (k[0] * u * u + 2 * k[1] * u * v
                    + k[3] * v * v)) / 3;
        }
        double bound = LogLikelihood.normalizer(ScoreFunction.of(gaussian, ENGINE), 1, lo, hi, 120).error();
        assertThat(bound).isLessThan(1e-6);
        assertThat(likelihood.mean(ENGINE, gaussian.parameters(), x, 3)).isCloseTo(expected, within(bound));

        Architecture three = Architecture.mlp(Architecture.Kind.ENERGY, 3, new int[] {4}, Activation.SILU, null);
        Architecture four = Architecture.mlp(Architecture.Kind.ENERGY, 4, new int[] {4}, Activation.SILU, null);
        Architecture score = Architecture.mlp(Architecture.Kind.SCORE, 2, new int[] {4}, Activation.SILU, null);
        assertThat(HeldOutLikelihood.applies(three)).isTrue();
        assertThat(HeldOutLikelihood.applies(four)).isFalse();
        assertThat(HeldOutLikelihood.applies(score)).isFalse();
        assertThatThrownBy(() -> new HeldOutLikelihood(four, new double[4], 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HeldOutLikelihood(score, new double[2], 1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static Trainer.Builder small() {
        return Trainer.builder()
                .architecture(Architecture.mlp(Architecture.Kind.ENERGY, 2, new int[] {8}, Activation.SOFTPLUS, null))
                .objective(ScoreMatching.exact()).adam(0.01).batch(32).seed(2).threads(1);
    }

    /**
     * Evaluations come every {@code evaluateEvery} steps and at the last step; with early
     * stopping (patience) the answer is the best evaluation's weights and its held-out loss, the
     * minimum of those reported; without it (and without a likelihood) the last weights' average;
     * a held-out likelihood is reported only when tracked; the info says how many rows went
     * where.
     */
    @Test
    void evaluationsAndTheWeightsReturned() {
        List<Trainer.Progress> evaluations = new ArrayList<>();
        Trainer.Listener listener = new Trainer.Listener() {
            @Override
            public void onStep(Trainer.Progress p) {
            }

            @Override
            public void onEvaluation(Trainer.Progress p) {
                evaluations.add(p);
            }
        };
        TrainedModel best = small().validationFraction(0.25).evaluateEvery(10).steps(25).patience(100)
                .heldOutMetric(HeldOutMetric.LOSS).listener(listener).build().fit(FAITHFUL);
        assertThat(evaluations).extracting(Trainer.Progress::step).containsExactly(10, 20, 25);
        assertThat(evaluations).allMatch(p -> Double.isNaN(p.heldOutLogLikelihood()));
        double lowest = evaluations.stream().mapToDouble(Trainer.Progress::heldOutLoss).min().orElseThrow();
        assertThat(best.info()).containsEntry("held_out_loss", Double.toString(lowest))
                .containsEntry("rows_validation", "68").containsEntry("rows_training", "204")
                .doesNotContainKey("held_out_log_likelihood");

        evaluations.clear();
        TrainedModel last = small().validationFraction(0.25).evaluateEvery(10).steps(25)
                .heldOutMetric(HeldOutMetric.LOSS).listener(listener).build().fit(FAITHFUL);
        assertThat(last.info()).containsEntry("held_out_loss", Double.toString(evaluations.get(2).heldOutLoss()));

        evaluations.clear();
        TrainedModel tracked = small().validationFraction(0.25).evaluateEvery(10).steps(20).listener(listener).build()
                .fit(FAITHFUL);
        assertThat(evaluations).allMatch(p -> Double.isFinite(p.heldOutLogLikelihood()));
        assertThat(tracked.info()).containsKey("held_out_log_likelihood");

        TrainedModel none = small().steps(5).build().fit(FAITHFUL);
        assertThat(none.info()).doesNotContainKey("held_out_loss").containsEntry("rows_validation", "0");
    }

    /**
     * The model inside a checkpoint is the one training would return at that step (here the
     * weight average), and a resumed run appends to its log: one header, one row per step.
     */
    @Test
    void checkpointsHoldTheReturnedModelAndLogsAppend(@TempDir Path dir) throws Exception {
        Path ckpt = dir.resolve("c.safetensors");
        Path log = dir.resolve("log.csv");
        TrainedModel straight = small().ema(0.9).steps(10).checkpoint(ckpt, 10).log(log).build().fit(FAITHFUL);
        assertThat(ModelFile.load(ckpt).model().parameters()).containsExactly(straight.model().parameters());
        small().ema(0.9).steps(20).checkpoint(dir.resolve("d.safetensors"), 10).log(log).build().resume(ckpt, FAITHFUL);
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).hasSize(21);
        assertThat(lines.get(0)).isEqualTo(Trainer.LOG_HEADER);
        assertThat(lines.get(20)).startsWith("20,");
        assertThat(lines.stream().filter(l -> l.equals(Trainer.LOG_HEADER))).hasSize(1);
        assertThat(TrainingLog.read(log).steps()).hasSize(20);
    }

    /** The edges of the settings: the smallest legal values pass, one step beyond is refused. */
    @Test
    void settingsAtTheirBounds() {
        assertThat(small().steps(1).batch(1).patience(0).ema(0).weightDecay(0).clipNorm(0).evaluateEvery(1).build())
                .isNotNull();
        assertThatThrownBy(() -> small().steps(0).build()).isInstanceOf(ScorematchException.class);
        assertThatThrownBy(() -> small().batch(0).build()).isInstanceOf(ScorematchException.class);
        assertThatThrownBy(() -> small().evaluateEvery(0).build()).isInstanceOf(ScorematchException.class);
        assertThatThrownBy(() -> small().patience(-1).build()).isInstanceOf(ScorematchException.class);
        assertThatThrownBy(() -> small().validationFraction(1).build()).isInstanceOf(ScorematchException.class);
        assertThatThrownBy(() -> small().ema(1).build()).isInstanceOf(ScorematchException.class);
        assertThatThrownBy(() -> small().weightDecay(-1e-9).build()).isInstanceOf(ScorematchException.class);
        assertThatThrownBy(() -> small().clipNorm(-1e-9).build()).isInstanceOf(ScorematchException.class);
        // One validation row of 272 (0.002 × 272 rounds to 1) is enough; 0.001 rounds to none.
        assertThat(small().steps(1).validationFraction(0.002).build().fit(FAITHFUL).info())
                .containsEntry("rows_validation", "1");
        assertThatThrownBy(() -> small().steps(1).validationFraction(0.001).build().fit(FAITHFUL))
                .isInstanceOf(ScorematchException.class).hasMessageContaining("leaves 0 of 272 rows");
        assertThatThrownBy(() -> small().steps(1).validationFraction(0.5)
                .architecture(Architecture.mlp(Architecture.Kind.ENERGY, 4, new int[] {4}, Activation.SILU, null))
                .heldOutMetric(HeldOutMetric.LOG_LIKELIHOOD).build().fit(BuiltinDataset.IRIS.load(0, null)))
                .isInstanceOf(ScorematchException.class).hasMessageContaining("at most 3 dimensions");
        assertThat(small().steps(3).initialization(Initialization.GLOROT).batchOrder(BatchOrder.WITH_REPLACEMENT)
                .build().fit(FAITHFUL).info()).containsEntry("initialization", Initialization.GLOROT.id())
                .containsEntry("batch_order", "replacement");
        assertThat(Adam.of(0.01).learningRate()).isEqualTo(0.01);
    }
}
