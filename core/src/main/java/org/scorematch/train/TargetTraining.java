package org.scorematch.train;

import java.util.random.RandomGenerator;
import org.scorematch.engine.Engine;
import org.scorematch.model.Model;
import org.scorematch.objective.Objective;
import org.scorematch.optim.Adam;
import org.scorematch.target.Target;

/**
 * A small training loop on a target that can be sampled: fresh mini-batches, an objective's loss and
 * gradient, one Adam step. The full trainer (data files, schedules, checkpoints) builds on it.
 */
public final class TargetTraining {
    /** Receives the loss after each step. */
    @FunctionalInterface
    public interface StepListener {
        void onStep(int step, double loss);
    }

    private TargetTraining() {
    }

    /**
     * Trains {@code model} for {@code steps} Adam steps on batches of {@code batch} draws from
     * {@code target}. Every random draw (data, directions) comes from {@code rng}, so the same
     * seed gives the same model for the same BLAS and engine thread count.
     */
    @SuppressWarnings("unchecked")
    public static <M extends Model> M train(M model, Objective objective, Target target, int steps, int batch, Adam adam,
                                            Engine engine, RandomGenerator rng, StepListener listener) {
        if (target.dimension() != model.dimension()) {
            throw new IllegalArgumentException("target has dimension " + target.dimension() + ", model "
                    + model.dimension());
        }
        double[] theta = model.parameters();
        double[] grad = new double[theta.length];
        for (int step = 1; step <= steps; step++) {
            double[] x = target.sample(batch, rng);
            double loss = objective.lossAndGradient(engine, model.architecture(), theta, x, batch, rng, grad);
            if (!Double.isFinite(loss)) {
                throw new ArithmeticException("loss is " + loss + " at step " + step
                        + ": lower the learning rate or use a sliced objective");
            }
            adam.step(theta, grad);
            if (listener != null) {
                listener.onStep(step, loss);
            }
        }
        return (M) model.withParameters(theta);
    }
}
