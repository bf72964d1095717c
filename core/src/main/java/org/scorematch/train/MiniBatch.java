package org.scorematch.train;

import java.util.random.RandomGenerator;
import org.scorematch.engine.Engine;
import org.scorematch.model.Architecture;
import org.scorematch.objective.Objective;

/**
 * One mini-batch's loss and gradient from rows held in memory: {@code batch} row indices drawn
 * uniformly with replacement from {@code rng}, then the objective, which draws its own directions
 * or noise from the same generator. The trainer and each Spark partition call this one function,
 * so a single partition reproduces single-machine training.
 */
public final class MiniBatch {
    /** Fewest rows per thread of a batch's copy: below, the hand-off costs more than the copies. */
    private static final int MIN_GATHER_ROWS = 64;

    private MiniBatch() {
    }

    /**
     * Mean loss over the batch; writes the gradient of the mean into {@code grad}. {@code buffer}
     * holds at least {@code batch × d} values and receives the batch.
     */
    public static double lossAndGradient(Engine engine, Architecture arch, Objective objective, double[] theta,
                                         double[] rows, int n, int batch, RandomGenerator rng, double[] buffer,
                                         double[] grad) {
        int d = arch.dimension();
        for (int i = 0; i < batch; i++) {
            System.arraycopy(rows, rng.nextInt(n) * d, buffer, i * d, d);
        }
        return objective.lossAndGradient(engine, arch, theta, buffer, batch, rng, grad);
    }

    /**
     * As above for the given row indices ({@code index[0..batch)}); the objective draws from
     * {@code rng}. The rows are copied on the engine's threads, a contiguous range of the batch
     * each: the copies wait on cache misses (random rows of a table larger than a core's own
     * caches), and two cores overlap twice as many (a training step 1–3 % faster at B = 256, D = 784 and at
     * B = 1024, D = 50, BENCHMARKS.md). The draws above cannot be split so: they come from
     * {@code rng} in order.
     */
    public static double lossAndGradient(Engine engine, Architecture arch, Objective objective, double[] theta,
                                         double[] rows, int[] index, int batch, RandomGenerator rng, double[] buffer,
                                         double[] grad) {
        int d = arch.dimension();
        engine.forRanges(batch, MIN_GATHER_ROWS, (from, to) -> {
            for (int i = from; i < to; i++) {
                System.arraycopy(rows, index[i] * d, buffer, i * d, d);
            }
        });
        return objective.lossAndGradient(engine, arch, theta, buffer, batch, rng, grad);
    }

    /** Seed of step {@code step}'s generator: every step draws from its own stream, which makes resumes exact. */
    public static long stepSeed(long seed, long step) {
        return Seeds.step(seed, step);
    }
}
