package org.scorematch.objective;

import org.scorematch.ScorematchException;

/** The objectives by name, as settings spell them, and how each is made from its settings. */
public enum ObjectiveName implements org.scorematch.Identified {
    EXACT, SLICED, SLICED_VR, DENOISING, MULTISCALE;

    /** Parses {@link #id()}; the error lists the ids. */
    public static ObjectiveName fromId(String id) {
        return org.scorematch.Identified.parse(ObjectiveName.class, id, "objective");
    }

    /**
     * The objective with its settings: {@code projections} directions of kind {@code projection}
     * for the sliced objectives, noise {@code sigma} for single-level denoising; each ignores the
     * settings of the others.
     */
    public Objective create(int projections, Projection projection, double sigma) {
        return switch (this) {
            case EXACT -> ScoreMatching.exact();
            case SLICED -> ScoreMatching.sliced(projections, projection);
            case SLICED_VR -> ScoreMatching.slicedVarianceReduced(projections, projection);
            case DENOISING -> DenoisingScoreMatching.singleLevel(sigma);
            case MULTISCALE -> DenoisingScoreMatching.multiScale();
        };
    }
}
