package org.scorematch.target;

import java.util.random.RandomGenerator;
import org.scorematch.linalg.Cholesky;

/**
 * A mixture of Gaussians with full covariances {@code Σⱼ wⱼ N(μⱼ, Σⱼ)} and its exact score
 * {@code ∇log p(x) = −Σⱼ rⱼ(x) Σⱼ⁻¹(x − μⱼ)}, {@code rⱼ} the posterior responsibilities
 * (computed in log space, so far tails do not underflow).
 */
public final class FullCovarianceMixture extends NamedTarget {
    private static final long serialVersionUID = 1L;

    private final double[] logWeights;
    private final double[] means;
    private final double[] lowers;
    private final double[] precisions;
    private final double[] logNorms;
    private final double[] cumulative;

    private FullCovarianceMixture(String name, double[] weights, double[][] means, double[][] covariances) {
        super(name, means.length == 0 ? 0 : means[0].length);
        int k = weights.length;
        if (k == 0 || means.length != k || covariances.length != k) {
            throw new IllegalArgumentException("weights, means and covariances need one entry per component");
        }
        double[] p = GaussianMixture.normalised(weights);
        this.cumulative = GaussianMixture.cumulative(p);
        this.logWeights = new double[k];
        this.means = new double[k * dim];
        this.lowers = new double[k * dim * dim];
        this.precisions = new double[k * dim * dim];
        this.logNorms = new double[k];
        for (int j = 0; j < k; j++) {
            if (means[j].length != dim || covariances[j].length != dim * dim) {
                throw new IllegalArgumentException("component " + j + " has the wrong dimension");
            }
            logWeights[j] = Math.log(p[j]);
            System.arraycopy(means[j], 0, this.means, j * dim, dim);
            double[] l = Cholesky.lower(covariances[j], dim);
            System.arraycopy(l, 0, lowers, j * dim * dim, dim * dim);
            System.arraycopy(Cholesky.inverse(l, dim), 0, precisions, j * dim * dim, dim * dim);
            double logDet = 0;
            for (int i = 0; i < dim; i++) {
                logDet += 2 * Math.log(l[i * dim + i]);
            }
            logNorms[j] = -0.5 * (dim * Math.log(2 * Math.PI) + logDet);
        }
    }

    /** A mixture with the given (unnormalised) weights, means and row-major covariances. */
    public static FullCovarianceMixture of(String name, double[] weights, double[][] means, double[][] covariances) {
        return new FullCovarianceMixture(name, weights, means, covariances);
    }

    /**
     * A random anisotropic mixture of {@code components} Gaussians in {@code dim} dimensions:
     * unequal weights (1, 2, …, K normalised), means drawn from N(0, s²I) with s = 3 (so modes
     * overlap in some directions and separate in others), and covariances {@code QΛQᵀ} with a
     * Haar rotation Q per component and standard deviations log-uniform in [0.2, 1.5] (condition
     * numbers up to ~56).
     */
    public static FullCovarianceMixture anisotropic(int dim, int components, RandomGenerator rng) {
        double[] w = new double[components];
        double[][] m = new double[components][dim];
        double[][] cov = new double[components][dim * dim];
        for (int j = 0; j < components; j++) {
            w[j] = j + 1;
            for (int i = 0; i < dim; i++) {
                m[j][i] = 3 * rng.nextGaussian();
            }
            double[] q = RandomRotation.draw(dim, rng);
            double[] var = new double[dim];
            for (int i = 0; i < dim; i++) {
                double sd = Math.exp(Math.log(0.2) + rng.nextDouble() * Math.log(1.5 / 0.2));
                var[i] = sd * sd;
            }
            for (int r = 0; r < dim; r++) {
                for (int c = 0; c < dim; c++) {
                    double s = 0;
                    for (int i = 0; i < dim; i++) {
                        s += q[r * dim + i] * var[i] * q[c * dim + i];
                    }
                    cov[j][r * dim + c] = s;
                }
            }
        }
        return new FullCovarianceMixture("mixture" + components + "-d" + dim, w, m, cov);
    }

    @Override
    public double[] sample(int n, RandomGenerator rng) {
        double[] x = new double[n * dim];
        double[] z = new double[dim];
        for (int s = 0; s < n; s++) {
            // One component draws no uniform, so a single Gaussian's stream is its normals alone.
            int j = cumulative.length > 1 ? GaussianMixture.component(cumulative, rng.nextDouble()) : 0;
            for (int i = 0; i < dim; i++) {
                z[i] = rng.nextGaussian();
            }
            int lo = j * dim * dim;
            for (int r = 0; r < dim; r++) {
                double v = means[j * dim + r];
                for (int c = 0; c <= r; c++) {
                    v += lowers[lo + r * dim + c] * z[c];
                }
                x[s * dim + r] = v;
            }
        }
        return x;
    }

    @Override
    public double[] score(double[] x, int n) {
        double[] s = new double[n * dim];
        evaluate(x, n, s, null, null);
        return s;
    }

    /** {@code log p(x)} per row. */
    public double[] logDensity(double[] x, int n) {
        double[] out = new double[n];
        evaluate(x, n, null, out, null);
        return out;
    }

    /** The component weights, normalised. */
    public double[] weights() {
        return java.util.Arrays.stream(logWeights).map(Math::exp).toArray();
    }

    /** The mixture's mean {@code Σⱼ wⱼμⱼ}. */
    public double[] mean() {
        double[] m = new double[dim];
        for (int j = 0; j < logWeights.length; j++) {
            for (int i = 0; i < dim; i++) {
                m[i] += Math.exp(logWeights[j]) * means[j * dim + i];
            }
        }
        return m;
    }

    /** Per row, the component of largest posterior responsibility {@code argmaxⱼ rⱼ(x)}. */
    public int[] likeliestComponent(double[] x, int n) {
        int[] out = new int[n];
        evaluate(x, n, null, null, out);
        return out;
    }

    private void evaluate(double[] x, int n, double[] score, double[] logDensity, int[] likeliest) {
        int k = logWeights.length;
        double[] logR = new double[k];
        double[] pd = new double[k * dim];
        double[] diff = new double[dim];
        for (int row = 0; row < n; row++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                for (int i = 0; i < dim; i++) {
                    diff[i] = x[row * dim + i] - means[j * dim + i];
                }
                double quad = 0;
                int po = j * dim * dim;
                for (int r = 0; r < dim; r++) {
                    double v = 0;
                    for (int c = 0; c < dim; c++) {
                        v += precisions[po + r * dim + c] * diff[c];
                    }
                    pd[j * dim + r] = v;
                    quad += diff[r] * v;
                }
                logR[j] = logWeights[j] + logNorms[j] - 0.5 * quad;
                if (logR[j] > max && likeliest != null) {
                    likeliest[row] = j;
                }
                max = Math.max(max, logR[j]);
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                sum += Math.exp(logR[j] - max);
            }
            if (logDensity != null) {
                logDensity[row] = max + Math.log(sum);
            }
            if (score != null) {
                for (int j = 0; j < k; j++) {
                    double r = Math.exp(logR[j] - max) / sum;
                    for (int i = 0; i < dim; i++) {
                        score[row * dim + i] -= r * pd[j * dim + i];
                    }
                }
            }
        }
    }
}
