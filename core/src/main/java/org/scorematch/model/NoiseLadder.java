package org.scorematch.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * A geometric ladder of noise levels {@code σ₁ > σ₂ > … > σ_L} for noise-conditional models
 * (NCSN, Song &amp; Ermon 2019), and the data-driven defaults of Song &amp; Ermon (2020,
 * "Improved techniques for training score-based generative models"): σ₁ near the largest
 * pairwise distance of the data (technique 1), a ratio γ = σᵢ/σᵢ₊₁ with
 * {@code Φ(√(2D)(γ−1) + 3γ) − Φ(√(2D)(γ−1) − 3γ) ≈ ½} (technique 2) but at least
 * {@link #MIN_LEVELS} levels, and σ_L small.
 *
 * <p>A noise-conditional network sees the level through one extra input, {@code log σ}
 * (its embedding), and its output is divided by σ: {@code s(x, σ) = net(x, log σ)/σ}.
 */
public final class NoiseLadder implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** Fewest levels {@link #suggest} proposes. */
    public static final int MIN_LEVELS = 10;

    private final double[] sigmas;

    private NoiseLadder(double[] sigmas) {
        if (sigmas.length < 1) {
            throw new IllegalArgumentException("a noise ladder needs at least one level");
        }
        for (int i = 0; i < sigmas.length; i++) {
            if (!(sigmas[i] > 0) || !Double.isFinite(sigmas[i]) || (i > 0 && !(sigmas[i] < sigmas[i - 1]))) {
                throw new IllegalArgumentException("noise levels must be positive, finite and decreasing: "
                        + Arrays.toString(sigmas));
            }
        }
        this.sigmas = sigmas;
    }

    /** The given levels, largest first. */
    public static NoiseLadder of(double... sigmas) {
        return new NoiseLadder(sigmas.clone());
    }

    /** {@code levels} geometrically spaced levels from {@code max} down to {@code min}. */
    public static NoiseLadder geometric(double max, double min, int levels) {
        if (levels < 1 || !(max > 0) || !(min > 0) || (levels > 1 && !(max > min))) {
            throw new IllegalArgumentException("need levels ≥ 1 and σ_max > σ_min > 0, got " + levels + " levels from "
                    + max + " to " + min);
        }
        double[] s = new double[levels];
        for (int i = 0; i < levels; i++) {
            s[i] = levels == 1 ? max : max * Math.pow(min / max, (double) i / (levels - 1));
        }
        return new NoiseLadder(s);
    }

    /**
     * Defaults from data ({@code n × dim}, row-major, typically standardised): σ₁ = the largest
     * pairwise distance among at most 2000 rows drawn from {@code rng}, σ_L = {@code sigmaMin},
     * and L from Song &amp; Ermon's ratio for this dimension.
     */
    public static NoiseLadder suggest(double[] x, int n, int dim, double sigmaMin, RandomGenerator rng) {
        double max = largestPairwiseDistance(x, n, dim, rng);
        if (!(max > sigmaMin)) {
            throw new IllegalArgumentException("the data's largest pairwise distance " + max
                    + " is not above σ_min = " + sigmaMin);
        }
        double gamma = ratioFor(dim);
        // The ratio rule targets high dimensions; in low ones it allows very few levels or none,
        // so keep at least MIN_LEVELS (more levels cost nothing per step: one σ per sample).
        int byRatio = Double.isNaN(gamma) ? 0 : (int) Math.ceil(Math.log(max / sigmaMin) / Math.log(gamma)) + 1;
        int levels = Math.max(MIN_LEVELS, byRatio);
        return geometric(max, sigmaMin, levels);
    }

    /**
     * The default smallest noise level (and single-level denoising's σ) for data {@code x}
     * (n × dim, row-major): 0.1 × the root-mean-square of the columns' (population) standard
     * deviations, so 0.1 on standardised data: small enough that the smoothed density keeps the
     * data's shape, large enough that the denoising target's variance stays moderate.
     */
    public static double defaultMinimum(double[] x, int n, int dim) {
        double total = 0;
        for (int c = 0; c < dim; c++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += x[i * dim + c];
            }
            mean /= n;
            double var = 0;
            for (int i = 0; i < n; i++) {
                double dv = x[i * dim + c] - mean;
                var += dv * dv;
            }
            total += var / n;
        }
        return 0.1 * Math.sqrt(total / dim);
    }

    /** Largest Euclidean distance between rows, over a subsample of at most 2000 rows. */
    static double largestPairwiseDistance(double[] x, int n, int dim, RandomGenerator rng) {
        int m = Math.min(n, 2000);
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        for (int i = 0; i < m; i++) {
            int j = i + rng.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        double best = 0;
        for (int a = 0; a < m; a++) {
            for (int b = a + 1; b < m; b++) {
                double d2 = 0;
                for (int c = 0; c < dim; c++) {
                    double diff = x[idx[a] * dim + c] - x[idx[b] * dim + c];
                    d2 += diff * diff;
                }
                best = Math.max(best, d2);
            }
        }
        return Math.sqrt(best);
    }

    /**
     * γ solving {@code Φ(√(2D)(γ−1) + 3γ) − Φ(√(2D)(γ−1) − 3γ) = ½} by bisection, or NaN where
     * there is none: for D ≤ 4 ({@code √(2D) ≤ 3}) the mass never falls to ½.
     */
    static double ratioFor(int dim) {
        double lo = 1.0;
        double hi = 1e3;
        double c = Math.sqrt(2.0 * dim);
        if (overlap(c, hi) > 0.5) {
            return Double.NaN;
        }
        for (int it = 0; it < 200; it++) {
            double mid = 0.5 * (lo + hi);
            double mass = overlap(c, mid);
            if (mass > 0.5) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    private static double overlap(double c, double gamma) {
        return normalCdf(c * (gamma - 1) + 3 * gamma) - normalCdf(c * (gamma - 1) - 3 * gamma);
    }

    private static double normalCdf(double x) {
        return 0.5 * org.apache.commons.numbers.gamma.Erfc.value(-x / Math.sqrt(2));
    }

    /** Number of levels L. */
    public int size() {
        return sigmas.length;
    }

    /** Level {@code i}, 0 the largest. */
    public double sigma(int i) {
        return sigmas[i];
    }

    /** The largest level σ₁. */
    public double max() {
        return sigmas[0];
    }

    /** The smallest level σ_L, at which noise-conditional models are scored and sampled by default. */
    public double min() {
        return sigmas[sigmas.length - 1];
    }

    /** A copy of the levels, largest first. */
    public double[] sigmas() {
        return sigmas.clone();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d levels from σ_max = %.4g to σ_min = %.4g (ratio %.4g)", sigmas.length,
                max(), min(), sigmas.length > 1 ? sigmas[0] / sigmas[1] : 1.0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NoiseLadder l && Arrays.equals(l.sigmas, sigmas);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sigmas);
    }
}
