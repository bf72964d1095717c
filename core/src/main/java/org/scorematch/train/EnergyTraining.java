package org.scorematch.train;

import java.util.random.RandomGenerator;
import org.scorematch.engine.Engine;
import org.scorematch.model.EnergyModel;
import org.scorematch.objective.EnergyObjective;
import org.scorematch.optim.Adam;
import org.scorematch.target.GaussianMixture;

/**
 * A small training loop: fresh mini-batches from a target sampler, an objective's loss and
 * gradient, one Adam step. The full trainer (data files, schedules, checkpoints) builds on it.
 */
public final class EnergyTraining {
    /** Receives the loss after each step. */
    @FunctionalInterface
    public interface StepListener {
        void onStep(int step, double loss);
    }

    private EnergyTraining() {
    }

    /**
     * Trains {@code model} for {@code steps} Adam steps on batches of {@code batch} draws from
     * {@code target}. Every random draw (data, directions) comes from {@code rng}, so the same
     * seed gives the same model for the same BLAS and engine thread count.
     */
    public static EnergyModel train(EnergyModel model, EnergyObjective objective, GaussianMixture target, int steps,
                                    int batch, Adam adam, Engine engine, RandomGenerator rng, StepListener listener) {
        if (target.dimension() != model.dimension()) {
            throw new IllegalArgumentException("target has dimension " + target.dimension() + ", model "
                    + model.dimension());
        }
        double[] theta = model.parameters();
        double[] grad = new double[theta.length];
        for (int step = 1; step <= steps; step++) {
            double[] x = target.sample(batch, rng);
            double loss = objective.lossAndGradient(engine, model.network(), theta, x, batch, rng, grad);
            if (!Double.isFinite(loss)) {
                throw new ArithmeticException("loss is " + loss + " at step " + step
                        + ": lower the learning rate or use a sliced objective");
            }
            adam.step(theta, grad);
            if (listener != null) {
                listener.onStep(step, loss);
            }
        }
        return model.withParameters(theta);
    }
}
