package org.scorematch.metrics;

import org.scorematch.ScorematchException;
import org.scorematch.linalg.Cholesky;
import org.scorematch.linalg.Matrix;
import org.scorematch.model.TrainedModel;
import org.scorematch.sample.ScoreFunction;

/**
 * Log-likelihoods in low dimension (D ≤ 3), where the normalising constant of an energy model
 * can be computed numerically, beside two baselines fitted on training data: a Gaussian kernel
 * density estimate with Scott's bandwidth and a single Gaussian. All values are mean
 * log-densities of test points in the data's original units (nats).
 */
public final class LogLikelihood {
    /**
     * {@code log Z} over a box by the midpoint rule, with an estimate of its error against the
     * integral over all of ℝᴰ: {@code error = discretisation + truncation}.
     *
     * <ul>
     *   <li>discretisation {@code |log M − log T|}, M and T the midpoint and trapezoid sums at the
     *       same spacing h on the same box. Where the error is algebraic (Euler–Maclaurin, an
     *       integrand cut by the box) the midpoint error is −½ the trapezoid's, so the estimate is
     *       3× the midpoint error; where it is spectral (a smooth integrand that has decayed at the
     *       box's faces) the two errors are equal and opposite (the aliasing terms f̂(2πk/h)
     *       alternate in sign for the midpoint rule), so 2×. Halving the points instead would
     *       overestimate a spectral error by orders of magnitude.</li>
     *   <li>truncation {@code log((Z₂ + tail)/Z₁)}: Z₂ is the midpoint sum over the box doubled
     *       about its centre at the same spacing (its cells contain the box's own, so the shell
     *       Z₂ − Z₁ carries no discretisation difference), and the mass beyond it is extrapolated
     *       from the shell's inner and outer halves S₁, S₂ as a geometric series,
     *       {@code tail = S₂ r/(1 − r)}, r = S₂/S₁ (exact for exponential tails in one dimension,
     *       an overestimate for faster decay); r ≥ 1 means the box misses most of the mass and
     *       the error is infinite.</li>
     * </ul>
     *
     * {@code edgeMass} is the share of the box's mass in its outermost cells.
     */
    public record Normalizer(double logZ, double error, double discretisation, double truncation, double edgeMass,
                             int pointsPerDim) {
    }

    /** A model's mean test log-likelihood with the error of its normalising constant. */
    public record ModelResult(double meanLogLikelihood, Normalizer normalizer) {
    }

    private LogLikelihood() {
    }

    /**
     * {@code log ∫ exp(−E)} over the box {@code [lo, hi]} by the midpoint rule with {@code m}
     * points per dimension (rounded up to even, so that the doubled box's cells contain the box's),
     * with the error estimate described at {@link Normalizer}. Costs {@code (2m)ᴰ + (m+1)ᴰ}
     * energies, evaluated in blocks.
     */
    public static Normalizer normalizer(ScoreFunction f, double sigma, double[] lo, double[] hi, int m) {
        int d = f.dimension();
        if (d > 3) {
            throw new ScorematchException("numerical normalisation is for D ≤ 3; this model has D = " + d);
        }
        int even = m + (m & 1);
        Regions r = regions(f, sigma, lo, hi, even);
        double logBox = r.box.log() + r.logCell;
        double trapezoid = trapezoid(f, sigma, lo, hi, even);
        double discretisation = Math.abs(logBox - trapezoid);
        double inner = r.innerShell.value(r.box.max);
        double outer = r.outerShell.value(r.box.max);
        double ratio = outer / inner;
        double truncation;
        if (outer == 0) {
            truncation = Math.log1p(inner / r.box.value(r.box.max));
        } else if (ratio >= 1 || inner == 0) {
            truncation = Double.POSITIVE_INFINITY;
        } else {
            double beyond = inner + outer + outer * ratio / (1 - ratio);
            truncation = Math.log1p(beyond / r.box.value(r.box.max));
        }
        return new Normalizer(logBox, discretisation + truncation, discretisation, truncation,
                r.edge.value(r.box.max) / r.box.value(r.box.max), even);
    }

    /** {@code log ∫ exp(−E)} over the box {@code [lo, hi]} by the midpoint rule with {@code m} points per dimension. */
    public static double logNormalizer(ScoreFunction f, double sigma, double[] lo, double[] hi, int m) {
        Spacing grid = Spacing.of(lo, hi, m);
        LogSum sum = new LogSum();
        forEachNode(f, sigma, lo, grid.h(), m, 0.5, (k, e) -> sum.add(-e));
        return sum.log() + grid.logCell();
    }

    /** Cell widths {@code (hi − lo)/m} per dimension and the log of the cell volume. */
    private record Spacing(double[] h, double logCell) {
        static Spacing of(double[] lo, double[] hi, int m) {
            double[] h = new double[lo.length];
            double logCell = 0;
            for (int c = 0; c < lo.length; c++) {
                h[c] = (hi[c] - lo[c]) / m;
                logCell += Math.log(h[c]);
            }
            return new Spacing(h, logCell);
        }
    }

    /** Sums of exp(logw) kept as max + log Σ exp(logw − max), so no term overflows. */
    private static final class LogSum {
        private double max = Double.NEGATIVE_INFINITY;
        private double sum;

        void add(double logw) {
            if (logw > max) {
                sum = sum * Math.exp(max - logw) + 1;
                max = logw;
            } else {
                sum += Math.exp(logw - max);
            }
        }

        double log() {
            return max + Math.log(sum);
        }

        /** The sum relative to exp(reference). */
        double value(double reference) {
            return sum == 0 ? 0 : sum * Math.exp(max - reference);
        }
    }

    /** The midpoint sums of the doubled box, split by region; {@code logCell} is log of the cell volume. */
    private record Regions(LogSum box, LogSum edge, LogSum innerShell, LogSum outerShell, double logCell) {
    }

    private static Regions regions(ScoreFunction f, double sigma, double[] lo, double[] hi, int m) {
        int d = f.dimension();
        Spacing grid = Spacing.of(lo, hi, m);
        double[] h = grid.h();
        double[] wideLo = new double[d];
        for (int c = 0; c < d; c++) {
            wideLo[c] = lo[c] - 0.5 * (hi[c] - lo[c]);
        }
        Regions r = new Regions(new LogSum(), new LogSum(), new LogSum(), new LogSum(), grid.logCell());
        // Cell k of 2m per dimension: the box is k in [m/2, 3m/2), the shell's inner half (to 1.5×
        // the box) k in [m/4, 7m/4) outside the box, its outer half the rest.
        forEachNode(f, sigma, wideLo, h, 2 * m, 0.5, (k, e) -> {
            int ring = 0;
            boolean edge = false;
            for (int c = 0; c < d; c++) {
                double offCentre = Math.abs(k[c] + 0.5 - m);
                ring = Math.max(ring, offCentre < 0.5 * m ? 0 : offCentre < 0.75 * m ? 1 : 2);
                edge |= k[c] == m / 2 || k[c] == 3 * m / 2 - 1;
            }
            switch (ring) {
                case 0 -> {
                    r.box.add(-e);
                    if (edge) {
                        r.edge.add(-e);
                    }
                }
                case 1 -> r.innerShell.add(-e);
                default -> r.outerShell.add(-e);
            }
        });
        return r;
    }

    /** log of the product trapezoid rule on the box with m intervals per dimension. */
    private static double trapezoid(ScoreFunction f, double sigma, double[] lo, double[] hi, int m) {
        int d = f.dimension();
        Spacing grid = Spacing.of(lo, hi, m);
        LogSum sum = new LogSum();
        forEachNode(f, sigma, lo, grid.h(), m + 1, 0, (k, e) -> {
            double logWeight = 0;
            for (int c = 0; c < d; c++) {
                if (k[c] == 0 || k[c] == m) {
                    logWeight -= Math.log(2);
                }
            }
            sum.add(logWeight - e);
        });
        return sum.log() + grid.logCell();
    }

    private interface NodeEnergy {
        void accept(int[] index, double energy);
    }

    /** Nodes per block: bounds the memory of a (2m)³ grid. */
    private static final int BLOCK = 1 << 16;

    /**
     * Calls {@code visit} with the grid index and energy of every node {@code lo + (k + offset)·h},
     * k in [0, count)ᴰ, evaluating the energies in blocks.
     */
    private static void forEachNode(ScoreFunction f, double sigma, double[] lo, double[] h, int count, double offset,
                                    NodeEnergy visit) {
        int d = f.dimension();
        long total = 1;
        for (int c = 0; c < d; c++) {
            total *= count;
        }
        int[] index = new int[d];
        for (long start = 0; start < total; start += BLOCK) {
            int n = (int) Math.min(BLOCK, total - start);
            double[] x = new double[n * d];
            for (int p = 0; p < n; p++) {
                long rest = start + p;
                for (int c = 0; c < d; c++) {
                    x[p * d + c] = lo[c] + (rest % count + offset) * h[c];
                    rest /= count;
                }
            }
            double[] e = f.energy(x, n, sigma);
            for (int p = 0; p < n; p++) {
                long rest = start + p;
                for (int c = 0; c < d; c++) {
                    index[c] = (int) (rest % count);
                    rest /= count;
                }
                visit.accept(index, e[p]);
            }
        }
    }

    /**
     * Mean log-likelihood of the rows of {@code test} (data units) under an energy model, its
     * normaliser computed in the model's standardised units over the box of {@code box} rows
     * widened by 3 standard units on each side.
     */
    public static ModelResult model(TrainedModel trained, ScoreFunction f, Matrix test, Matrix box, int m) {
        int d = trained.dimension();
        double sigma = f.ladder() == null ? 1.0 : f.ladder().min();
        double[] z = trained.standardization().applyInPlace(box.toArray(), box.rows());
        double[] lo = new double[d];
        double[] hi = new double[d];
        java.util.Arrays.fill(lo, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(hi, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < box.rows(); i++) {
            for (int c = 0; c < d; c++) {
                lo[c] = Math.min(lo[c], z[i * d + c]);
                hi[c] = Math.max(hi[c], z[i * d + c]);
            }
        }
        for (int c = 0; c < d; c++) {
            lo[c] -= 3;
            hi[c] += 3;
        }
        Normalizer norm = normalizer(f, sigma, lo, hi, m);
        double[] energy = trained.energy(test);
        double mean = 0;
        for (double e : energy) {
            mean += (-e - norm.logZ()) / energy.length;
        }
        return new ModelResult(mean, norm);
    }

    /**
     * Gaussian KDE fitted on {@code train} with Scott's rule, mean log-density on {@code test}:
     * kernel covariance = the unbiased sample covariance (divisor n − 1) × n^(−2/(D+4)), exactly
     * scipy's {@code gaussian_kde} with its default bandwidth.
     */
    public static double kde(Matrix train, Matrix test) {
        int n = train.rows();
        int d = train.cols();
        if (n < 2) {
            throw new org.scorematch.ScorematchException("a KDE needs at least 2 training rows, got " + n);
        }
        double factor = Math.pow(n, -1.0 / (d + 4));
        double[] cov = covariance(train);
        for (int i = 0; i < cov.length; i++) {
            // covariance() divides by n; scipy's np.cov by n − 1.
            cov[i] *= factor * factor * n / (n - 1.0);
        }
        double[] l = Cholesky.lower(cov, d);
        double logNorm = -0.5 * d * Math.log(2 * Math.PI) - logDet(l, d) - Math.log(n);
        double[] tr = train.toArray();
        double[] te = test.toArray();
        double[] diff = new double[d];
        double[] terms = new double[n];
        double total = 0;
        for (int q = 0; q < test.rows(); q++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < d; c++) {
                    diff[c] = te[q * d + c] - tr[i * d + c];
                }
                terms[i] = -0.5 * mahalanobis(l, diff, d);
                max = Math.max(max, terms[i]);
            }
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += Math.exp(terms[i] - max);
            }
            total += logNorm + max + Math.log(s);
        }
        return total / test.rows();
    }

    /** A single Gaussian with the training mean and (1/n) covariance, mean log-density on {@code test}. */
    public static double gaussian(Matrix train, Matrix test) {
        int d = train.cols();
        double[] mean = mean(train);
        double[] l = Cholesky.lower(covariance(train), d);
        double logNorm = -0.5 * d * Math.log(2 * Math.PI) - logDet(l, d);
        double[] te = test.toArray();
        double[] diff = new double[d];
        double total = 0;
        for (int q = 0; q < test.rows(); q++) {
            for (int c = 0; c < d; c++) {
                diff[c] = te[q * d + c] - mean[c];
            }
            total += logNorm - 0.5 * mahalanobis(l, diff, d);
        }
        return total / test.rows();
    }

    private static double[] mean(Matrix x) {
        int d = x.cols();
        double[] m = new double[d];
        double[] v = x.toArray();
        for (int i = 0; i < x.rows(); i++) {
            for (int c = 0; c < d; c++) {
                m[c] += v[i * d + c] / x.rows();
            }
        }
        return m;
    }

    private static double[] covariance(Matrix x) {
        int d = x.cols();
        int n = x.rows();
        double[] m = mean(x);
        double[] v = x.toArray();
        double[] cov = new double[d * d];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    cov[a * d + b] += (v[i * d + a] - m[a]) * (v[i * d + b] - m[b]) / n;
                }
            }
        }
        return cov;
    }

    /** {@code ½ log det(LLᵀ)}. */
    private static double logDet(double[] l, int d) {
        double s = 0;
        for (int i = 0; i < d; i++) {
            s += Math.log(l[i * d + i]);
        }
        return s;
    }

    /** {@code vᵀ(LLᵀ)⁻¹v} by forward substitution. */
    private static double mahalanobis(double[] l, double[] v, int d) {
        double q = 0;
        double[] y = new double[d];
        for (int i = 0; i < d; i++) {
            double s = v[i];
            for (int p = 0; p < i; p++) {
                s -= l[i * d + p] * y[p];
            }
            y[i] = s / l[i * d + i];
            q += y[i] * y[i];
        }
        return q;
    }
}
