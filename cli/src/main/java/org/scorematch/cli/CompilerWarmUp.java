package org.scorematch.cli;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.scorematch.data.Dataset;
import org.scorematch.engine.Activation;
import org.scorematch.engine.Precision;
import org.scorematch.linalg.Matrix;
import org.scorematch.model.Architecture;
import org.scorematch.objective.DenoisingScoreMatching;
import org.scorematch.objective.Objective;
import org.scorematch.objective.ObjectiveName;
import org.scorematch.objective.Projection;
import org.scorematch.train.Trainer;

/**
 * Trains a small model of the requested kind on synthetic data on a second thread while
 * {@code train} reads its data file, so that the JIT has compiled the engine's code by the time the
 * real steps start; stopped and joined when the file is read.
 *
 * <p>A fresh JVM runs a training run's first steps interpreted while C2 compiles them on the same
 * cores: on two cores the first hundred steps of issue 15's whole process took 0.4 s against 0.15 s
 * in the steady state, while reading its CSV left the second core idle. With the warm-up that
 * command finished about 0.15 s sooner, and a 300-step run 0.3 s (BENCHMARKS.md, whole process).
 * The run's results do not depend on it: the warm-up shares no state with the real run, and the
 * engine computes the same bits interpreted and compiled (docs/DESIGN.md §3: only basic
 * arithmetic in SIMD lanes).
 */
final class CompilerWarmUp implements AutoCloseable {
    /** Ends the warm-up's training from its step listener. */
    private static final class Stop extends RuntimeException {
        Stop() {
            super(null, null, false, false);
        }
    }

    private static final int DIMENSION = 8;
    private static final int ROWS = 256;
    private static final int BATCH = 64;

    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;

    private CompilerWarmUp(Architecture architecture, Objective objective, Precision precision) {
        double[] values = new double[ROWS * DIMENSION];
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < values.length; i++) {
            values[i] = rng.nextGaussian();
        }
        Dataset synthetic = Dataset.of("warm-up", List.of("x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8"),
                Matrix.of(ROWS, DIMENSION, values));
        Trainer trainer = Trainer.builder().architecture(architecture).objective(objective).precision(precision)
                .steps(Integer.MAX_VALUE).batch(BATCH).threads(1).validationFraction(0)
                .listener(progress -> {
                    if (stop.get()) {
                        throw new Stop();
                    }
                }).build();
        thread = new Thread(() -> {
            try {
                trainer.fit(synthetic);
            } catch (RuntimeException ended) {
                // Stopped, or a setting the real run will report in its own words.
            }
        }, "scorematch-warm-up");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
    }

    /**
     * Starts warming up the code of a {@code kind} network with these hidden widths, activation
     * and precision under {@code objective} (single-level denoising stands in for the objectives
     * whose settings come from the data); a no-op on one core or for settings that do not parse.
     */
    static CompilerWarmUp start(Architecture.Kind kind, int[] hidden, String activation, String precision,
                                ObjectiveName objective) {
        if (Runtime.getRuntime().availableProcessors() < 2) {
            return none();
        }
        CompilerWarmUp warmUp;
        try {
            Objective o = switch (objective) {
                case EXACT, SLICED, SLICED_VR -> objective.create(1, Projection.GAUSSIAN, 0.5);
                case DENOISING, MULTISCALE, DIFFUSION -> DenoisingScoreMatching.singleLevel(0.5);
            };
            warmUp = new CompilerWarmUp(Architecture.mlp(kind, DIMENSION, hidden, Activation.fromId(activation), null),
                    o, Precision.fromId(precision));
        } catch (RuntimeException unparsed) {
            return none();
        }
        warmUp.thread.start();
        return warmUp;
    }

    /** A warm-up that does nothing (one core, or settings that do not parse). */
    static CompilerWarmUp none() {
        return new CompilerWarmUp();
    }

    private CompilerWarmUp() {
        thread = null;
    }

    /** Whether its thread is training (for the tests). */
    boolean running() {
        return thread != null && thread.isAlive();
    }

    /** Stops the warm-up and waits for its thread to end (within one of its small steps). */
    @Override
    public void close() {
        if (thread == null) {
            return;
        }
        stop.set(true);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
