package org.scorematch.objective;

import org.scorematch.ScorematchException;
import org.scorematch.model.Sde;

/** The objectives by name, as settings spell them, and how each is made from its settings. */
public enum ObjectiveName implements org.scorematch.Identified {
    EXACT, SLICED, SLICED_VR, DENOISING, MULTISCALE, DIFFUSION;

    /** Parses {@link #id()}; the error lists the ids. */
    public static ObjectiveName fromId(String id) {
        return org.scorematch.Identified.parse(ObjectiveName.class, id, "objective");
    }

    /** {@link #create(int, Projection, double, Sde, Weighting)} for the objectives that need no SDE. */
    public Objective create(int projections, Projection projection, double sigma) {
        return create(projections, projection, sigma, null, Weighting.SIGMA2);
    }

    /**
     * The objective with its settings: {@code projections} directions of kind {@code projection}
     * for the sliced objectives, noise {@code sigma} for single-level denoising, the {@code sde}
     * of continuous-time denoising and its {@code weighting} (with
     * ε = {@link DenoisingScoreMatching#DEFAULT_EPSILON}); each ignores the settings of the others.
     */
    public Objective create(int projections, Projection projection, double sigma, Sde sde, Weighting weighting) {
        if (this == DIFFUSION && sde == null) {
            throw new ScorematchException("the diffusion objective needs an SDE (setting 'sde')");
        }
        return switch (this) {
            case EXACT -> ScoreMatching.exact();
            case SLICED -> ScoreMatching.sliced(projections, projection);
            case SLICED_VR -> ScoreMatching.slicedVarianceReduced(projections, projection);
            case DENOISING -> DenoisingScoreMatching.singleLevel(sigma);
            case MULTISCALE -> DenoisingScoreMatching.multiScale();
            case DIFFUSION -> DenoisingScoreMatching.continuous(sde, DenoisingScoreMatching.DEFAULT_EPSILON, weighting);
        };
    }
}
