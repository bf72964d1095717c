package org.scorematch.train;

import org.scorematch.ScorematchException;

/** Training stopped because the loss or the gradient stopped being finite. */
public final class TrainingDivergedException extends ScorematchException {
    private static final long serialVersionUID = 1L;
    private final int step;

    TrainingDivergedException(int step, String message) {
        super(message);
        this.step = step;
    }

    /** The step at which the loss or gradient became NaN or infinite. */
    public int step() {
        return step;
    }
}
