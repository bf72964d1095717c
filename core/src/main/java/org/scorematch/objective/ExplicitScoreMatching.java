package org.scorematch.objective;

import java.util.random.RandomGenerator;
import org.scorematch.engine.Engine;
import org.scorematch.model.Architecture;
import org.scorematch.target.Target;

/**
 * Explicit score matching {@code ½‖s_θ(x) − ∇ₓ log p(x)‖²} against a target whose score is known
 * (built-in targets): the Fisher divergence itself, usable when the answer is known. On rows
 * standardised as {@code z = (x − μ)/c} (see {@link #forStandardizedRows}) the target's score is
 * taken in those units, {@code ∇_z log p = c ⊙ ∇ₓ log p(μ + c ⊙ z)}, so that the trained model's
 * scores in data units approach the target's.
 */
public final class ExplicitScoreMatching implements Objective {
    private final Target target;
    private final double[] mean;
    private final double[] scale;

    private ExplicitScoreMatching(Target target, double[] mean, double[] scale) {
        this.target = target;
        this.mean = mean;
        this.scale = scale;
    }

    /** Against {@code target}'s score, with rows in the target's own units. */
    public static ExplicitScoreMatching against(Target target) {
        return new ExplicitScoreMatching(target, null, null);
    }

    @Override
    public ExplicitScoreMatching forStandardizedRows(double[] mean, double[] scale) {
        if (mean.length != target.dimension() || scale.length != target.dimension()) {
            throw new IllegalArgumentException("a standardisation of " + mean.length + " columns for target "
                    + target.name() + " of dimension " + target.dimension());
        }
        return new ExplicitScoreMatching(target, mean.clone(), scale.clone());
    }

    @Override
    public String id() {
        return "explicit";
    }

    @Override
    public double lossAndGradient(Engine engine, Architecture arch, double[] theta, double[] x, int n,
                                  RandomGenerator rng, double[] grad) {
        if (arch.isConditional()) {
            throw new IllegalArgumentException("explicit score matching takes an unconditional model");
        }
        if (arch.dimension() != target.dimension()) {
            throw new IllegalArgumentException("target " + target.name() + " has dimension " + target.dimension()
                    + ", the model " + arch.dimension());
        }
        int d = arch.dimension();
        double[] truth = mean == null ? target.score(x, n) : targetScoreOfStandardized(x, n, d);
        double perRow = 1.0 / n;
        double total = engine.run(arch.network(), n, 2, (ws, first, count, g) ->
                ScoreLoss.lossAndBackprop(arch, ws, theta, x, null, first, count, (s, sBar) -> {
                    double loss = 0;
                    for (int e = 0; e < count * d; e++) {
                        double r = s[e] - truth[first * d + e];
                        loss += 0.5 * r * r;
                        sBar[e] = r * perRow;
                    }
                    return loss;
                }, g), grad);
        return total * perRow;
    }

    private double[] targetScoreOfStandardized(double[] z, int n, int d) {
        double[] x = new double[n * d];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                x[i * d + c] = mean[c] + scale[c] * z[i * d + c];
            }
        }
        double[] s = target.score(x, n);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                s[i * d + c] *= scale[c];
            }
        }
        return s;
    }
}
