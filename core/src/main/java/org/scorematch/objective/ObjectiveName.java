package org.scorematch.objective;

import org.scorematch.ScorematchException;

/** The objectives by name, as settings spell them, and how each is made from its settings. */
public enum ObjectiveName {
    EXACT("exact"), SLICED("sliced"), SLICED_VR("sliced-vr"), DENOISING("denoising"), MULTISCALE("multiscale");

    private final String id;

    ObjectiveName(String id) {
        this.id = id;
    }

    /** The name used in settings. */
    public String id() {
        return id;
    }

    /** Parses {@link #id()}; the error lists the names. */
    public static ObjectiveName fromId(String id) {
        for (ObjectiveName o : values()) {
            if (o.id.equals(id)) {
                return o;
            }
        }
        throw new ScorematchException("unknown objective '" + id
                + "'; expected exact, sliced, sliced-vr, denoising or multiscale");
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
