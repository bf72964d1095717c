package org.scorematch.train;

/** What the trainer measures on the held-out rows to pick the best weights and to stop early. */
public enum HeldOutMetric implements org.scorematch.Identified {
    /**
     * The log-likelihood for energies in D ≤ 3 (where the normalising constant is a grid sum),
     * the training objective otherwise.
     */
    AUTO("auto"),
    /** The training objective on the held-out rows (lower is better). */
    LOSS("loss"),
    /**
     * The mean held-out log-likelihood, normalised on a grid (energies with D ≤ 3; higher is
     * better). Score matching's loss can keep falling while the density grows spikes on the
     * training rows; the likelihood sees them.
     */
    LOG_LIKELIHOOD("likelihood");

    private final String id;

    HeldOutMetric(String id) {
        this.id = id;
    }

    /** The name used in settings. */
    public String id() {
        return id;
    }
    /** Parses {@link #id()}; the error lists the ids. */
    public static HeldOutMetric fromId(String id) {
        return org.scorematch.Identified.parse(HeldOutMetric.class, id, "held-out metric");
    }
}
