package org.scorematch.train;

import org.scorematch.engine.Engine;
import org.scorematch.metrics.LogLikelihood;
import org.scorematch.model.Architecture;
import org.scorematch.model.EnergyModel;
import org.scorematch.sample.ScoreFunction;

/**
 * The mean log-likelihood of held-out rows under an energy being trained, in the model's
 * (standardised) units: {@code mean(−E(x)) − log Z} with log Z by the midpoint rule over the
 * box of the training rows widened by 3 units on each side. The grid is coarser than
 * {@code eval}'s (it runs at every evaluation): 2000 points in 1-D, 120² in 2-D, 36³ in 3-D,
 * which on standardised data puts ~40 points per unit and keeps the rule's error far below
 * the differences between checkpoints it has to rank.
 */
final class HeldOutLikelihood {
    /** Largest dimension with a grid normaliser. */
    static final int MAX_DIMENSION = 3;

    private final Architecture arch;
    private final double[] lo;
    private final double[] hi;
    private final int points;

    HeldOutLikelihood(Architecture arch, double[] trainRows, int n) {
        int d = arch.dimension();
        if (arch.kind() != Architecture.Kind.ENERGY || d > MAX_DIMENSION) {
            throw new IllegalArgumentException("a held-out likelihood needs an energy model with D ≤ " + MAX_DIMENSION);
        }
        this.arch = arch;
        this.lo = new double[d];
        this.hi = new double[d];
        java.util.Arrays.fill(lo, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(hi, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                lo[c] = Math.min(lo[c], trainRows[i * d + c]);
                hi[c] = Math.max(hi[c], trainRows[i * d + c]);
            }
        }
        for (int c = 0; c < d; c++) {
            lo[c] -= 3;
            hi[c] += 3;
        }
        this.points = d == 1 ? 2000 : d == 2 ? 120 : 36;
    }

    static boolean applies(Architecture arch) {
        return arch.kind() == Architecture.Kind.ENERGY && arch.dimension() <= MAX_DIMENSION;
    }

    /** Mean log-likelihood of the {@code n} rows of {@code x} under the energy with parameters {@code theta}. */
    double mean(Engine engine, double[] theta, double[] x, int n) {
        ScoreFunction f = ScoreFunction.of(EnergyModel.of(arch, theta), engine);
        double sigma = arch.isConditional() ? arch.ladder().min() : 1.0;
        double logZ = LogLikelihood.logNormalizer(f, sigma, lo, hi, points);
        double[] e = f.energy(x, n, sigma);
        double sum = 0;
        for (double v : e) {
            sum -= v;
        }
        return sum / n - logZ;
    }
}
