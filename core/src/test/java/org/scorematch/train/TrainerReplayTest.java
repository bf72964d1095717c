package org.scorematch.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scorematch.datasets.BuiltinDataset;
import org.scorematch.data.Dataset;
import org.scorematch.data.Standardization;
import org.scorematch.engine.Engine;
import org.scorematch.engine.Activation;
import org.scorematch.model.Architecture;
import org.scorematch.model.TrainedModel;
import org.scorematch.objective.Objective;
import org.scorematch.objective.ScoreMatching;
import org.scorematch.optim.Adam;
import org.scorematch.optim.Schedule;

/**
 * The trainer is the composition its Javadoc describes, step by step: replayed here by hand from
 * a checkpoint's state (θ, Adam's moments, the weight average) with the documented parts — the
 * step's own generator {@code MiniBatch.stepSeed(seed, t)}, epoch batches, the objective on
 * standardised rows, gradient-norm clipping, the learning rate {@code lr·schedule(t, T)}, decoupled
 * weight decay {@code θ ← (1 − lr·λ)θ} before the Adam step, and the average with decay
 * {@code min(β, (1+t)/(10+t))} — the final weights agree bit for bit (the same arithmetic in the
 * same order, one thread). A changed order, a wrong clipping test, a schedule read at the wrong
 * step or a different decay ramp would each break the equality.
 */
class TrainerReplayTest {
    private static final Dataset FAITHFUL = BuiltinDataset.FAITHFUL.load(0, null);

    @Test
    void trainerIsItsLoopReplayedByHand(@TempDir Path dir) throws Exception {
        Architecture arch = Architecture.mlp(Architecture.Kind.ENERGY, 2, new int[] {8}, Activation.SOFTPLUS, null);
        Objective objective = ScoreMatching.exact();
        int steps = 30;
        int batch = 16;
        long seed = 5;
        double lr = 0.02;
        double weightDecay = 0.05;
        double clip = 0.5;
        double beta = 0.9;
        Path ckpt = dir.resolve("c.safetensors");
        Trainer.Builder settings = Trainer.builder().architecture(arch).objective(objective).adam(lr)
                .schedule(Schedule.cosine()).weightDecay(weightDecay).clipNorm(clip).ema(beta).steps(steps)
                .batch(batch).seed(seed).threads(1);
        Path kept = dir.resolve("at10.safetensors");
        // The checkpoint of step 10 is overwritten at 20; the listener keeps a copy during step 11.
        TrainedModel trained = settings.checkpoint(ckpt, 10).listener(p -> {
            if (p.step() == 11) {
                try {
                    Files.copy(ckpt, kept);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }).build().fit(FAITHFUL);
        Checkpoint at10 = CheckpointFile.read(kept).checkpoint();
        assertThat(at10.step()).isEqualTo(10);
        double[] theta = at10.theta();
        double[] ema = at10.ema();
        Adam adam = Adam.of(lr);
        adam.restore(at10.optimizerState());

        int n = FAITHFUL.rows();
        Standardization st = Standardization.fit(FAITHFUL);
        double[] rows = st.apply(FAITHFUL.values().toArray(), n);
        EpochBatches epochs = new EpochBatches(seed, n);
        int[] index = new int[batch];
        double[] buffer = new double[batch * 2];
        double[] grad = new double[theta.length];
        int clipped = 0;
        try (Engine engine = Engine.create(1, TrainingDefaults.PRECISION)) {
            for (int t = 11; t <= steps; t++) {
                SplittableRandom rng = new SplittableRandom(MiniBatch.stepSeed(seed, t));
                epochs.indices(t, batch, index);
                MiniBatch.lossAndGradient(engine, arch, objective, theta, rows, index, batch, rng, buffer, grad);
                double norm = ParameterUpdate.norm(grad);
                if (norm > clip) {
                    clipped++;
                    for (int i = 0; i < grad.length; i++) {
                        grad[i] *= clip / norm;
                    }
                }
                double rate = lr * Schedule.cosine().factor(t, steps);
                for (int i = 0; i < theta.length; i++) {
                    theta[i] *= 1 - rate * weightDecay;
                }
                adam.step(theta, grad, rate);
                double decay = Math.min(beta, (1.0 + t) / (10.0 + t));
                for (int i = 0; i < theta.length; i++) {
                    ema[i] = decay * ema[i] + (1 - decay) * theta[i];
                }
            }
        }
        assertThat(clipped).as("clipping is exercised, and not on every step").isBetween(1, 19);
        assertThat(trained.model().parameters()).containsExactly(ema);
        assertThat(trained.standardization()).isEqualTo(st);
        assertThat(trained.info()).containsEntry("steps", "30").containsEntry("rows_training", Integer.toString(n))
                .containsEntry("rows_validation", "0").containsEntry("batch", "16").containsEntry("seed", "5")
                .containsEntry("objective", "exact").containsEntry("schedule", "cosine")
                .containsEntry("standardized", "true").containsEntry("batch_order", "epochs");
    }
}
