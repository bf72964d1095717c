package org.scorematch.train;

import java.util.SplittableRandom;
import org.scorematch.ScorematchException;
import org.scorematch.engine.Engine;
import org.scorematch.model.Architecture;
import org.scorematch.objective.Objective;

/**
 * A held-out evaluation of the current weights: the objective's loss on the validation rows (its
 * randomness seeded the same at every evaluation, so evaluations compare weights, not draws) and,
 * where the metric asks for it and it applies, the held-out log-likelihood; with the criterion
 * early stopping ranks by (the loss, or minus the log-likelihood).
 */
final class HeldOutEvaluation {
    /** One evaluation; the log-likelihood is NaN where it is not tracked. */
    record Result(double loss, double logLikelihood, double criterion) {
    }

    private final Architecture arch;
    private final Objective objective;
    private final double[] rows;
    private final int count;
    private final long seed;
    private final HeldOutLikelihood likelihood;

    HeldOutEvaluation(Architecture arch, Objective objective, TrainingRows rows, HeldOutMetric metric, long seed) {
        this.arch = arch;
        this.objective = objective;
        this.rows = rows.validation();
        this.count = rows.validationCount();
        this.seed = seed;
        boolean wanted = count > 0 && (metric == HeldOutMetric.LOG_LIKELIHOOD
                || (metric == HeldOutMetric.AUTO && HeldOutLikelihood.applies(arch)));
        if (wanted && !HeldOutLikelihood.applies(arch)) {
            throw new ScorematchException("the held-out log-likelihood needs an energy model with at most "
                    + HeldOutLikelihood.MAX_DIMENSION + " dimensions; this is a " + arch);
        }
        this.likelihood = wanted ? new HeldOutLikelihood(arch, rows.train(), rows.training()) : null;
    }

    /** Whether there are held-out rows at all. */
    boolean applies() {
        return count > 0;
    }

    /** Whether the log-likelihood is tracked (and then ranks the evaluations). */
    boolean tracksLikelihood() {
        return likelihood != null;
    }

    /** Evaluates {@code weights}. */
    Result of(Engine engine, double[] weights) {
        double loss = objective.lossAndGradient(engine, arch, weights, rows, count, new SplittableRandom(Seeds.heldOut(seed)),
                null);
        if (likelihood == null || !Double.isFinite(loss)) {
            return new Result(loss, Double.NaN, loss);
        }
        double ll = likelihood.mean(engine, weights, rows, count);
        // A density that puts (numerically) no mass on a held-out row ranks last, not NaN.
        return new Result(loss, ll, Double.isNaN(ll) ? Double.POSITIVE_INFINITY : -ll);
    }
}
