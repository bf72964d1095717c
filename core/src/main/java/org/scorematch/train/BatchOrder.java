package org.scorematch.train;

/** How a trainer draws each step's rows from the training set. */
public enum BatchOrder implements org.scorematch.Identified {
    /**
     * Epochs: the rows in a fresh random order every pass, consumed B at a time (a batch that
     * crosses the end of a pass takes the rest from the next one), as PyTorch's
     * {@code DataLoader(shuffle=True)} does. Every row is seen once per pass, which halves the
     * sampling variance of a mean over the batch against drawing with replacement when B is a
     * sizeable share of n.
     */
    EPOCHS("epochs"),
    /** B rows drawn uniformly with replacement at every step. */
    WITH_REPLACEMENT("replacement");

    private final String id;

    BatchOrder(String id) {
        this.id = id;
    }

    /** The name used in settings. */
    public String id() {
        return id;
    }
    /** Parses {@link #id()}; the error lists the ids. */
    public static BatchOrder fromId(String id) {
        return org.scorematch.Identified.parse(BatchOrder.class, id, "batch order");
    }
}
