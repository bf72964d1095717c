package org.scorematch.objective;

import java.util.random.RandomGenerator;
import org.scorematch.engine.Engine;
import org.scorematch.model.Architecture;
import org.scorematch.model.ScoreView;
import org.scorematch.target.Target;

/**
 * Explicit score matching {@code ½‖s_θ(x) − ∇ₓ log p(x)‖²} against a target whose score is known
 * (built-in targets): the Fisher divergence itself, usable when the answer is known.
 */
public final class ExplicitScoreMatching implements Objective {
    private final Target target;

    private ExplicitScoreMatching(Target target) {
        this.target = target;
    }

    public static ExplicitScoreMatching against(Target target) {
        return new ExplicitScoreMatching(target);
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
        double[] truth = target.score(x, n);
        double scale = 1.0 / n;
        double total = engine.run(arch.network(), n, 2, (ws, first, count, g) ->
                ScoreView.lossAndBackprop(arch, ws, theta, x, null, first, count, (s, sBar) -> {
                    double loss = 0;
                    for (int e = 0; e < count * d; e++) {
                        double r = s[e] - truth[first * d + e];
                        loss += 0.5 * r * r;
                        sBar[e] = r * scale;
                    }
                    return loss;
                }, g), grad);
        return total * scale;
    }
}
