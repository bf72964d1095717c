package org.scorematch.train;

import org.scorematch.optim.Optimizer;
import org.scorematch.optim.Schedule;

/**
 * One step's change of the weights from a finite gradient, in the order the trainer documents:
 * the gradient clipped to norm {@code clipNorm} (when positive), the learning rate
 * {@code lr·schedule(t, T)}, decoupled weight decay {@code θ ← (1 − lr·λ)θ}, the optimiser's step,
 * and the weight average {@code ā ← dā + (1 − d)θ} with {@code d = min(β, (1+t)/(10+t))}.
 */
public final class ParameterUpdate {
    private final Optimizer optimizer;
    private final Schedule schedule;
    private final int totalSteps;
    private final double clipNorm;
    private final double weightDecay;
    private final double emaDecay;

    private ParameterUpdate(Optimizer optimizer, Schedule schedule, int totalSteps, double clipNorm, double weightDecay,
                            double emaDecay) {
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.totalSteps = totalSteps;
        this.clipNorm = clipNorm;
        this.weightDecay = weightDecay;
        this.emaDecay = emaDecay;
    }

    /**
     * The update of a run of {@code totalSteps} steps by {@code optimizer} (its learning rate the
     * schedule's base), clipping at {@code clipNorm} (0: off), decoupled weight decay
     * {@code weightDecay} and weight averaging with decay {@code emaDecay} (0: off).
     */
    public static ParameterUpdate of(Optimizer optimizer, Schedule schedule, int totalSteps, double clipNorm,
                                     double weightDecay, double emaDecay) {
        return new ParameterUpdate(optimizer, schedule, totalSteps, clipNorm, weightDecay, emaDecay);
    }

    /** The Euclidean norm ‖g‖₂ the clipping compares with. */
    public static double norm(double[] g) {
        double s = 0;
        for (double v : g) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    /**
     * Applies step {@code step} (1-based) to {@code theta} and {@code ema} (null without an
     * average) with gradient {@code grad} of norm {@code norm} (scaled in place when clipped);
     * returns the learning rate used.
     */
    public double apply(double[] theta, double[] grad, double norm, int step, double[] ema) {
        if (clipNorm > 0 && norm > clipNorm) {
            double s = clipNorm / norm;
            for (int i = 0; i < grad.length; i++) {
                grad[i] *= s;
            }
        }
        double lr = optimizer.learningRate() * schedule.factor(step, totalSteps);
        if (weightDecay > 0) {
            double keep = 1 - lr * weightDecay;
            for (int i = 0; i < theta.length; i++) {
                theta[i] *= keep;
            }
        }
        optimizer.step(theta, grad, lr);
        if (ema != null) {
            average(theta, step, ema);
        }
        return lr;
    }

    /**
     * Moves the weight average {@code ema} towards {@code theta} after step {@code step}:
     * {@code ā ← dā + (1 − d)θ} with {@code d = min(β, (1+t)/(10+t))}.
     */
    public void average(double[] theta, int step, double[] ema) {
        // The decay ramps up as min(β, (1+t)/(10+t)) (TensorFlow's num_updates rule), so the
        // average soon forgets the random initial weights instead of keeping β^t of them.
        double decay = Math.min(emaDecay, (1.0 + step) / (10.0 + step));
        for (int i = 0; i < theta.length; i++) {
            ema[i] = decay * ema[i] + (1 - decay) * theta[i];
        }
    }
}
