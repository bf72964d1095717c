package org.scorematch.target;

import java.util.random.RandomGenerator;

/**
 * A mixture of isotropic Gaussians {@code Σⱼ wⱼ N(μⱼ, σⱼ²I)} with its exact score
 * {@code ∇log p(x) = Σⱼ rⱼ(x)(μⱼ − x)/σⱼ²}, {@code rⱼ} the posterior responsibilities: a target
 * with known score for training tests and the Fisher divergence.
 */
public final class GaussianMixture extends NamedTarget {
    private final double[] weights;
    private final double[] means;
    private final double[] stds;
    private final double[] cumulative;

    private GaussianMixture(String name, double[] weights, double[][] means, double[] stds) {
        super(name, means.length == 0 ? 0 : means[0].length);
        if (weights.length == 0 || weights.length != means.length || weights.length != stds.length) {
            throw new IllegalArgumentException("weights, means and stds must have one entry per component");
        }
        this.weights = normalised(weights);
        this.cumulative = cumulative(this.weights);
        this.means = new double[weights.length * dim];
        this.stds = stds.clone();
        for (int j = 0; j < weights.length; j++) {
            if (means[j].length != dim || !(stds[j] > 0)) {
                throw new IllegalArgumentException("component " + j + " has the wrong dimension or a non-positive std");
            }
            System.arraycopy(means[j], 0, this.means, j * dim, dim);
        }
    }

    /** Positive weights divided by their sum; a weight that is not positive is refused. */
    static double[] normalised(double[] weights) {
        double total = 0;
        for (double w : weights) {
            if (!(w > 0)) {
                throw new IllegalArgumentException("weights must be positive");
            }
            total += w;
        }
        double[] p = new double[weights.length];
        for (int j = 0; j < p.length; j++) {
            p[j] = weights[j] / total;
        }
        return p;
    }

    /** Running sums of {@code p}, for drawing a component by {@link #component}. */
    static double[] cumulative(double[] p) {
        double[] c = new double[p.length];
        double acc = 0;
        for (int j = 0; j < p.length; j++) {
            acc += p[j];
            c[j] = acc;
        }
        return c;
    }

    /** A mixture with the given (unnormalised) weights, means and component standard deviations. */
    public static GaussianMixture of(String name, double[] weights, double[][] means, double[] stds) {
        return new GaussianMixture(name, weights, means, stds);
    }

    /** DESIGN.md §5's ring: 8 equal Gaussians with means at radius 4, angles 2πk/8, std 0.5. */
    public static GaussianMixture ring() {
        double[][] means = new double[8][];
        for (int k = 0; k < 8; k++) {
            double a = 2 * Math.PI * k / 8;
            means[k] = new double[] {4 * Math.cos(a), 4 * Math.sin(a)};
        }
        return new GaussianMixture("ring", filled(8, 1), means, filled(8, 0.5));
    }

    /**
     * This mixture convolved with {@code N(0, σ²I)}: the distribution of {@code x + σε}, whose
     * score single-level denoising score matching estimates.
     */
    public GaussianMixture convolved(double sigma) {
        double[][] m = new double[weights.length][];
        double[] s = new double[weights.length];
        for (int j = 0; j < weights.length; j++) {
            m[j] = java.util.Arrays.copyOfRange(means, j * dim, (j + 1) * dim);
            s[j] = Math.sqrt(stds[j] * stds[j] + sigma * sigma);
        }
        return new GaussianMixture(name() + "+N(0," + sigma + "²)", weights, m, s);
    }

    /** DESIGN.md §5's 10-D mixture: means ±3e₁, ±3e₂, std 1, equal weights. */
    public static GaussianMixture mixture10() {
        double[][] means = new double[4][10];
        means[0][0] = 3;
        means[1][0] = -3;
        means[2][1] = 3;
        means[3][1] = -3;
        return new GaussianMixture("mixture10", filled(4, 1), means, filled(4, 1));
    }

    /** The component a uniform {@code u} picks: the first {@code j} with {@code u < cumulative[j]} (the last if none). */
    static int component(double[] cumulative, double u) {
        int j = 0;
        while (j < cumulative.length - 1 && u >= cumulative[j]) {
            j++;
        }
        return j;
    }

    private static double[] filled(int n, double value) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, value);
        return a;
    }

    @Override
    public double[] sample(int n, RandomGenerator rng) {
        double[] x = new double[n * dim];
        for (int i = 0; i < n; i++) {
            int j = component(cumulative, rng.nextDouble());
            for (int d = 0; d < dim; d++) {
                x[i * dim + d] = means[j * dim + d] + stds[j] * rng.nextGaussian();
            }
        }
        return x;
    }

    @Override
    public boolean hasLogDensity() {
        return true;
    }

    /**
     * {@code log p(x) = log Σⱼ wⱼ (2πσⱼ²)^{−D/2} exp(−‖x − μⱼ‖²/(2σⱼ²))} for every row of
     * {@code x} (n × D), by log-sum-exp.
     */
    @Override
    public double[] logDensity(double[] x, int n) {
        double[] out = new double[n];
        double[] logw = new double[weights.length];
        for (int i = 0; i < n; i++) {
            double max = componentLogWeights(x, i, logw);
            double total = 0;
            for (double l : logw) {
                total += Math.exp(l - max);
            }
            out[i] = max + Math.log(total) - 0.5 * dim * Math.log(2 * Math.PI);
        }
        return out;
    }

    /**
     * {@code log wⱼ − D log σⱼ − ‖xᵢ − μⱼ‖²/(2σⱼ²)} of row i into {@code logw}; returns their
     * maximum.
     */
    private double componentLogWeights(double[] x, int i, double[] logw) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < weights.length; j++) {
            double d2 = 0;
            for (int d = 0; d < dim; d++) {
                double diff = x[i * dim + d] - means[j * dim + d];
                d2 += diff * diff;
            }
            logw[j] = Math.log(weights[j]) - dim * Math.log(stds[j]) - 0.5 * d2 / (stds[j] * stds[j]);
            max = Math.max(max, logw[j]);
        }
        return max;
    }

    @Override
    public double[] score(double[] x, int n) {
        double[] s = new double[n * dim];
        double[] logw = new double[weights.length];
        for (int i = 0; i < n; i++) {
            double max = componentLogWeights(x, i, logw);
            double total = 0;
            for (int j = 0; j < weights.length; j++) {
                logw[j] = Math.exp(logw[j] - max);
                total += logw[j];
            }
            for (int j = 0; j < weights.length; j++) {
                double r = logw[j] / total / (stds[j] * stds[j]);
                for (int d = 0; d < dim; d++) {
                    s[i * dim + d] += r * (means[j * dim + d] - x[i * dim + d]);
                }
            }
        }
        return s;
    }
}
