package org.scorematch.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.scorematch.engine.Activation;
import org.scorematch.engine.Engine;
import org.scorematch.engine.Initialization;
import org.scorematch.model.Architecture;
import org.scorematch.model.Sde;
import org.scorematch.objective.DenoisingScoreMatching;
import org.scorematch.objective.Objective;
import org.scorematch.objective.Projection;
import org.scorematch.objective.ScoreMatching;
import org.scorematch.objective.Weighting;
import org.scorematch.optim.Adam;
import org.scorematch.optim.Schedule;

/**
 * A warm training step allocates (almost) nothing: the bytes allocated by the calling thread and
 * the engine's threads ({@code ThreadMXBean.getThreadAllocatedBytes}) over 50 steps of batch 256
 * (D = 10, 3×128 SiLU, two engine threads, in each precision; Adam with a cosine schedule, clipping, weight decay
 * and a weight average), after 30 warm-up steps, at most 1 KiB a step (issue 15's bound). Measured
 * on this JVM: 460–710 bytes, the slab tasks' lambdas, the u-jet's directions and the step's
 * generator (the engine's hand-off to its helper, a future and its task from an executor, took
 * another 250 before {@code Crew}); one buffer of the batch would be 20 KiB, and
 * before the buffers were reused a step allocated 21 KiB (sliced) to 130 KiB (diffusion). After
 * 30 steps the per-step methods have run too few times for the optimising compiler (its
 * thresholds count calls, not time), so this is the unoptimised count, which escape analysis can
 * only lower — except in the Vector API's loops, which allocate a box per vector until the
 * optimising compiler has compiled them: it compiles a long loop after a few thousand iterations,
 * but in the background, so on a busy machine a compilation can still be queued in the first
 * window. The step is therefore measured in up to four windows of 50 steps and the fewest bytes
 * count: an allocation the step makes every time shows in every window. The native BLAS only: the
 * pure-Java fallback allocates inside its kernels.
 */
class StepAllocationTest {
    /** Windows of 50 steps measured at most; the fewest bytes a step of any window count. */
    private static final int WINDOWS = 4;
    private static final int D = 10;
    private static final int[] HIDDEN = {128, 128, 128};

    private static long allocatedByEngineAndCaller() {
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = bean.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("scorematch-engine")) {
                sum += bean.getThreadAllocatedBytes(t.getId());
            }
        }
        return sum;
    }

    private static double bytesPerStep(Architecture arch, Objective objective, org.scorematch.engine.Precision precision) {
        int n = 5000;
        int batch = 256;
        double[] x = new double[n * D];
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian();
        }
        double[] theta = Initialization.PYTORCH.draw(arch.network(), new SplittableRandom(2));
        double[] grad = new double[theta.length];
        double[] buffer = new double[batch * D];
        double[] ema = theta.clone();
        ParameterUpdate update = ParameterUpdate.of(Adam.of(1e-3), Schedule.cosine(), 1000, 1.0, 1e-4, 0.999);
        try (Engine engine = Engine.create(2, precision)) {
            int warm = 30;
            int timed = 50;
            double fewest = Double.POSITIVE_INFINITY;
            int step = 0;
            while (step < warm) {
                step++;
                step(engine, arch, objective, theta, x, n, batch, buffer, grad, update, step, ema);
            }
            for (int window = 0; window < WINDOWS && fewest > 1024; window++) {
                long before = allocatedByEngineAndCaller();
                for (int i = 0; i < timed; i++) {
                    step++;
                    step(engine, arch, objective, theta, x, n, batch, buffer, grad, update, step, ema);
                }
                fewest = Math.min(fewest, (allocatedByEngineAndCaller() - before) / (double) timed);
            }
            return fewest;
        }
    }

    private static void step(Engine engine, Architecture arch, Objective objective, double[] theta, double[] x, int n,
                             int batch, double[] buffer, double[] grad, ParameterUpdate update, int step, double[] ema) {
        SplittableRandom stepRng = new SplittableRandom(step);
        MiniBatch.lossAndGradient(engine, arch, objective, theta, x, n, batch, stepRng, buffer, grad);
        update.apply(engine, theta, grad, ParameterUpdate.norm(engine, grad), step, ema);
    }

    private static Architecture energy() {
        return Architecture.mlp(Architecture.Kind.ENERGY, D, HIDDEN, Activation.SILU, null);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(org.scorematch.engine.Precision.class)
    void warmStepsAllocateAtMostOneKibibyte(org.scorematch.engine.Precision precision) {
        org.junit.jupiter.api.Assumptions.assumeFalse("java".equals(System.getProperty("scorematch.blas")),
                "the pure-Java BLAS allocates inside its kernels");
        Sde sde = Sde.vp(0.1, 20);
        assertThat(bytesPerStep(energy(), ScoreMatching.exact(), precision)).as("exact").isLessThanOrEqualTo(1024);
        assertThat(bytesPerStep(energy(), ScoreMatching.sliced(1, Projection.RADEMACHER), precision)).as("sliced")
                .isLessThanOrEqualTo(1024);
        assertThat(bytesPerStep(energy(), DenoisingScoreMatching.singleLevel(0.1), precision)).as("denoising, energy")
                .isLessThanOrEqualTo(1024);
        assertThat(bytesPerStep(Architecture.mlp(Architecture.Kind.SCORE, D, HIDDEN, Activation.SILU, null),
                DenoisingScoreMatching.singleLevel(0.1), precision)).as("denoising, score network").isLessThanOrEqualTo(1024);
        assertThat(bytesPerStep(Architecture.diffusion(Architecture.Kind.SCORE, D, HIDDEN, Activation.SILU, sde, 1e-5),
                DenoisingScoreMatching.continuous(sde, 1e-5, Weighting.SIGMA2), precision)).as("diffusion")
                .isLessThanOrEqualTo(1024);
    }
}
