package org.scorematch.train;

import org.scorematch.model.Architecture;
import org.scorematch.objective.ObjectiveName;
import org.scorematch.optim.Schedule;

/**
 * The settings a training run takes when none is given, by objective: an energy, Adam at 1e-3
 * with a constant rate and batches of 256 for the score-matching objectives; for diffusion a
 * score network (the time-conditional field the samplers and the likelihood integrate), batches
 * of {@value #DIFFUSION_BATCH} and a rate of 2e-3 decayed by a cosine. Measured on random 5-D
 * anisotropic three-component mixtures (BENCHMARKS.md, "Diffusion"): against the energy at
 * 256 / 1e-3 / constant, these settings raise the held-out probability-flow log-likelihood by
 * about 0.05 nats per row and bring it within 0.08 nats of the true density's in 10 000 steps
 * (batches of 256 and 512 left it 0.09–0.12 and 0.08–0.10 nats below).
 */
public record TrainingDefaults(Architecture.Kind kind, double learningRate, Schedule.Kind schedule, int batch) {
    /**
     * The precision of every objective's jets when none is asked for (docs/DESIGN.md §3 and
     * BENCHMARKS.md, "Float32").
     */
    public static final org.scorematch.engine.Precision PRECISION = org.scorematch.engine.Precision.FLOAT32;

    /** The diffusion objective's default batch. */
    public static final int DIFFUSION_BATCH = 1024;

    /** The defaults for {@code objective}; {@code null} (not yet chosen) takes the common ones. */
    public static TrainingDefaults forObjective(ObjectiveName objective) {
        return objective == ObjectiveName.DIFFUSION
                ? new TrainingDefaults(Architecture.Kind.SCORE, 2e-3, Schedule.Kind.COSINE, DIFFUSION_BATCH)
                : new TrainingDefaults(Architecture.Kind.ENERGY, 1e-3, Schedule.Kind.CONSTANT, 256);
    }
}
