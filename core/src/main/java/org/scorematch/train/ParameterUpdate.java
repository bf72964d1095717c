package org.scorematch.train;

import org.scorematch.engine.Engine;
import org.scorematch.engine.RangeTask;
import org.scorematch.linalg.Vectors;
import org.scorematch.optim.Optimizer;
import org.scorematch.optim.Schedule;

/**
 * One step's change of the weights from a finite gradient, in the order the trainer documents:
 * the gradient clipped to norm {@code clipNorm} (when positive), the learning rate
 * {@code lr·schedule(t, T)}, decoupled weight decay {@code θ ← (1 − lr·λ)θ}, the optimiser's step,
 * and the weight average {@code ā ← dā + (1 − d)θ} with {@code d = min(β, (1+t)/(10+t))}.
 */
public final class ParameterUpdate {
    /** Values per block of the norm's sum. */
    private static final int BLOCK = 4096;
    /** Key of the norm's block sums in {@link Engine#scratch}. */
    private static final Object BLOCK_SUMS = new Object();
    /** Fewest parameters per thread of an update: below, a hand-off costs more than the pass. */
    private static final int MIN_RANGE = 8192;
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

    /**
     * The Euclidean norm ‖g‖₂ the clipping compares with, summed in blocks of {@value #BLOCK}
     * (each by {@link Vectors#sumOfSquares}, the blocks' sums then in order), so that
     * {@link #norm(Engine, double[])} gives the same value on any number of threads.
     */
    public static double norm(double[] g) {
        return norm(null, g);
    }

    /** {@link #norm(double[])} with the blocks summed on {@code engine}'s threads (null: the caller's). */
    public static double norm(Engine engine, double[] g) {
        int blocks = (g.length + BLOCK - 1) / BLOCK;
        double[] sums = engine == null ? new double[blocks] : engine.scratch(BLOCK_SUMS, blocks);
        RangeTask task = (from, to) -> {
            for (int b = from; b < to; b++) {
                sums[b] = Vectors.sumOfSquares(g, b * BLOCK, Math.min(g.length, (b + 1) * BLOCK));
            }
        };
        if (engine == null) {
            task.run(0, blocks);
        } else {
            engine.forRanges(blocks, 1, task);
        }
        double s = 0;
        for (double b : sums) {
            s += b;
        }
        return Math.sqrt(s);
    }

    /**
     * Applies step {@code step} (1-based) to {@code theta} and {@code ema} (null without an
     * average) with gradient {@code grad} of norm {@code norm} (scaled in place when clipped);
     * returns the learning rate used.
     */
    public double apply(double[] theta, double[] grad, double norm, int step, double[] ema) {
        return apply(null, theta, grad, norm, step, ema);
    }

    /**
     * {@link #apply(double[], double[], double, int, double[])} in one pass over the parameters
     * (clip, decay, optimiser step and average per element), cut into ranges on {@code engine}'s
     * threads (null: the caller's); each element's arithmetic is the serial pass's, so the result
     * does not depend on the thread count.
     */
    public double apply(Engine engine, double[] theta, double[] grad, double norm, int step, double[] ema) {
        double clip = clipNorm > 0 && norm > clipNorm ? clipNorm / norm : 1;
        double lr = optimizer.learningRate() * schedule.factor(step, totalSteps);
        double keep = weightDecay > 0 ? 1 - lr * weightDecay : 1;
        double decay = ema == null ? 0 : averageDecay(step);
        optimizer.begin(theta.length);
        RangeTask task = (from, to) -> {
            if (clip != 1) {
                for (int i = from; i < to; i++) {
                    grad[i] *= clip;
                }
            }
            if (keep != 1) {
                for (int i = from; i < to; i++) {
                    theta[i] *= keep;
                }
            }
            optimizer.update(theta, grad, lr, from, to);
            if (ema != null) {
                average(theta, decay, ema, from, to);
            }
        };
        if (engine == null) {
            task.run(0, theta.length);
        } else {
            engine.forRanges(theta.length, MIN_RANGE, task);
        }
        return lr;
    }

    /**
     * Moves the weight average {@code ema} towards {@code theta} after step {@code step}:
     * {@code ā ← dā + (1 − d)θ} with {@code d = min(β, (1+t)/(10+t))}.
     */
    public void average(double[] theta, int step, double[] ema) {
        average(theta, averageDecay(step), ema, 0, theta.length);
    }

    private double averageDecay(int step) {
        // The decay ramps up as min(β, (1+t)/(10+t)) (TensorFlow's num_updates rule), so the
        // average soon forgets the random initial weights instead of keeping β^t of them.
        return Math.min(emaDecay, (1.0 + step) / (10.0 + step));
    }

    private static void average(double[] theta, double decay, double[] ema, int from, int to) {
        for (int i = from; i < to; i++) {
            ema[i] = decay * ema[i] + (1 - decay) * theta[i];
        }
    }
}
