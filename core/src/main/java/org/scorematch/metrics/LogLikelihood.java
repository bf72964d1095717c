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
     * log Z by the midpoint rule on a grid; the error estimate adds the change from half the
     * points per dimension (discretisation) and from a box twice as wide (mass cut off by the
     * box); {@code edgeMass} is the share of the mass in the outermost cells.
     */
    public record Normalizer(double logZ, double error, double edgeMass, int pointsPerDim) {
    }

    /** A model's mean test log-likelihood with the error of its normalising constant. */
    public record ModelResult(double meanLogLikelihood, Normalizer normalizer) {
    }

    private LogLikelihood() {
    }

    /**
     * {@code log ∫ exp(−E)} over the box {@code [lo, hi]} by the midpoint rule with {@code m}
     * points per dimension, with the error estimate described at {@link Normalizer}.
     */
    public static Normalizer normalizer(ScoreFunction f, double sigma, double[] lo, double[] hi, int m) {
        int d = f.dimension();
        if (d > 3) {
            throw new ScorematchException("numerical normalisation is for D ≤ 3; this model has D = " + d);
        }
        double[] fine = grid(f, sigma, lo, hi, m);
        double[] coarse = grid(f, sigma, lo, hi, m / 2);
        double[] wideLo = new double[d];
        double[] wideHi = new double[d];
        for (int c = 0; c < d; c++) {
            double half = hi[c] - lo[c];
            double mid = 0.5 * (lo[c] + hi[c]);
            wideLo[c] = mid - half;
            wideHi[c] = mid + half;
        }
        double[] wide = grid(f, sigma, wideLo, wideHi, m);
        double error = Math.abs(fine[0] - coarse[0]) + Math.abs(wide[0] - fine[0]);
        return new Normalizer(fine[0], error, fine[1], m);
    }

    /** {@code log ∫ exp(−E)} over the box {@code [lo, hi]} by the midpoint rule with {@code m} points per dimension. */
    public static double logNormalizer(ScoreFunction f, double sigma, double[] lo, double[] hi, int m) {
        return grid(f, sigma, lo, hi, m)[0];
    }

    /** {log Z, edge mass share} on an m^D midpoint grid. */
    private static double[] grid(ScoreFunction f, double sigma, double[] lo, double[] hi, int m) {
        int d = f.dimension();
        int total = (int) Math.pow(m, d);
        double[] x = new double[total * d];
        double logVolume = 0;
        for (int c = 0; c < d; c++) {
            logVolume += Math.log((hi[c] - lo[c]) / m);
        }
        boolean[] edge = new boolean[total];
        for (int p = 0; p < total; p++) {
            int rest = p;
            for (int c = 0; c < d; c++) {
                int k = rest % m;
                rest /= m;
                x[p * d + c] = lo[c] + (k + 0.5) * (hi[c] - lo[c]) / m;
                edge[p] |= k == 0 || k == m - 1;
            }
        }
        double[] e = f.energy(x, total, sigma);
        double max = Double.NEGATIVE_INFINITY;
        for (double v : e) {
            max = Math.max(max, -v);
        }
        double sum = 0;
        double edgeSum = 0;
        for (int p = 0; p < total; p++) {
            double w = Math.exp(-e[p] - max);
            sum += w;
            if (edge[p]) {
                edgeSum += w;
            }
        }
        return new double[] {max + Math.log(sum) + logVolume, edgeSum / sum};
    }

    /**
     * Mean log-likelihood of the rows of {@code test} (data units) under an energy model, its
     * normaliser computed in the model's standardised units over the box of {@code box} rows
     * widened by 3 standard units on each side.
     */
    public static ModelResult model(TrainedModel trained, ScoreFunction f, Matrix test, Matrix box, int m) {
        int d = trained.dimension();
        double sigma = f.ladder() == null ? 1.0 : f.ladder().min();
        double[] z = trained.standardization().apply(box.toArray(), box.rows());
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
