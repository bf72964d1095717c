package org.scorematch.train;

import java.util.Map;

/**
 * Early stopping's memory: the weights of the evaluation with the lowest criterion (held-out loss,
 * or minus the held-out log-likelihood), that evaluation's held-out loss and log-likelihood, and
 * the evaluations since without improvement; it says when {@code patience} of them have passed.
 * Its state travels in checkpoints as {@code checkpoint.best} and {@code checkpoint.best_*}.
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

    /** Writes this state into a checkpoint's tensors and metadata. */
    void save(Map<String, double[]> tensors, Map<String, String> meta) {
        if (weights != null) {
            tensors.put("checkpoint.best", weights);
        }
        // The ranking criterion, and the held-out loss and log-likelihood at the best evaluation.
        meta.put("checkpoint.best_loss", Double.toString(criterion));
        meta.put("checkpoint.best_held_out_loss", Double.toString(heldOutLoss));
        meta.put("checkpoint.best_log_likelihood", Double.toString(logLikelihood));
        meta.put("checkpoint.bad_evaluations", Integer.toString(sinceBest));
    }

    /** Restores the state {@link #save} wrote. */
    void restore(Map<String, double[]> tensors, Map<String, String> meta) {
        weights = tensors.containsKey("checkpoint.best") ? tensors.get("checkpoint.best").clone() : null;
        criterion = Double.parseDouble(meta.get("checkpoint.best_loss"));
        logLikelihood = Double.parseDouble(meta.getOrDefault("checkpoint.best_log_likelihood", "NaN"));
        heldOutLoss = Double.parseDouble(meta.getOrDefault("checkpoint.best_held_out_loss", "NaN"));
        sinceBest = Integer.parseInt(meta.get("checkpoint.bad_evaluations"));
    }
}
