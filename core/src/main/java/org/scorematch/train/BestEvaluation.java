package org.scorematch.train;

/**
 * Early stopping's memory: the weights of the evaluation with the lowest criterion (held-out loss,
 * or minus the held-out log-likelihood), that evaluation's held-out loss and log-likelihood, and
 * the evaluations since without improvement; it says when {@code patience} of them have passed.
 * Its {@link State} travels in checkpoints ({@link CheckpointFile}).
 */
final class BestEvaluation {
    private final int patience;
    private double[] weights;
    private double criterion = Double.POSITIVE_INFINITY;
    private double heldOutLoss = Double.NaN;
    private double logLikelihood = Double.NaN;
    private int sinceBest;

    BestEvaluation(int patience) {
        this.patience = patience;
    }

    /**
     * Records an evaluation of {@code current} (copied when it is the best so far); returns whether
     * training should stop: patience is positive and that many evaluations have not improved.
     */
    boolean offer(double criterion, double heldOutLoss, double logLikelihood, double[] current) {
        if (criterion < this.criterion) {
            this.criterion = criterion;
            this.heldOutLoss = heldOutLoss;
            this.logLikelihood = logLikelihood;
            this.weights = current.clone();
            sinceBest = 0;
            return false;
        }
        sinceBest++;
        return patience > 0 && sinceBest >= patience;
    }

    /** The best weights, or null before the first evaluation. */
    double[] weights() {
        return weights;
    }

    double heldOutLoss() {
        return heldOutLoss;
    }

    double logLikelihood() {
        return logLikelihood;
    }

    /** The state a checkpoint keeps. */
    State state() {
        return new State(weights, criterion, heldOutLoss, logLikelihood, sinceBest);
    }

    /** Continues from a checkpoint's state. */
    void restore(State state) {
        weights = state.weights() == null ? null : state.weights().clone();
        criterion = state.criterion();
        heldOutLoss = state.heldOutLoss();
        logLikelihood = state.logLikelihood();
        sinceBest = state.sinceBest();
    }

    /**
     * Early stopping's memory: the best weights (null before the first evaluation), the ranking
     * criterion, the held-out loss and log-likelihood at the best evaluation, and the evaluations
     * since without improvement.
     */
    record State(double[] weights, double criterion, double heldOutLoss, double logLikelihood, int sinceBest) {
    }
}
