package org.scorematch.objective;

/**
 * The weighting λ(t) of continuous-time denoising score matching (docs/DESIGN.md §4):
 * {@code SIGMA2} is λ = σ(t)² with t ~ U(ε, 1) (Song et al., ICLR 2021), whose per-time losses are
 * all of order one; {@code LIKELIHOOD} is λ = g(t)², whose objective bounds the negative
 * log-likelihood (Song, Durkan, Murray &amp; Ermon, NeurIPS 2021), with t drawn by importance
 * sampling from p(t) ∝ g²/σ² ({@link ImportanceTimes}) to keep its variance finite.
 */
public enum Weighting implements org.scorematch.Identified {
    /** λ = σ(t)², uniform times. */
    SIGMA2,
    /** λ = g(t)², importance-sampled times. */
    LIKELIHOOD;

    /** Parses {@link #id()}; the error lists the ids. */
    public static Weighting fromId(String id) {
        return org.scorematch.Identified.parse(Weighting.class, id, "weighting");
    }
}
