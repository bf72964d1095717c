package org.scorematch.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.scorematch.ScorematchException;
import org.scorematch.linalg.Matrix;

/**
 * Per-column affine standardisation {@code z = (x − m)/s} fitted on training data. A model
 * trained on z answers in x's units by the chain rule: {@code ∇ₓ log p(x) = ∇_z log p(z)/s} and
 * {@code E_x(x) = E_z(z) + Σ log sᵢ} (so that {@code exp(−E_x)} integrates like {@code exp(−E_z)}).
 */
public record Standardization(double[] mean, double[] scale) implements java.io.Serializable {
    public Standardization {
        if (mean.length != scale.length) {
            throw new IllegalArgumentException("mean and scale differ in length");
        }
        for (double s : scale) {
            if (!(s > 0) || !Double.isFinite(s)) {
                throw new IllegalArgumentException("scales must be positive and finite");
            }
        }
        mean = mean.clone();
        scale = scale.clone();
    }

    /** No change ({@code m = 0}, {@code s = 1}). */
    public static Standardization identity(int dim) {
        double[] one = new double[dim];
        Arrays.fill(one, 1);
        return new Standardization(new double[dim], one);
    }

    /**
     * Column means and standard deviations (1/n) of {@code data}, by two passes; columns with zero
     * variance are refused, named (the rule of {@link #of}).
     */
    public static Standardization fit(Dataset data) {
        Matrix x = data.values();
        int n = x.rows();
        int d = x.cols();
        // Row by row, so memory is read in order; each column's sums still add its rows in row order.
        // Read in place rather than from a copy of the data (Matrix.toArray), which doubled the memory.
        double[] mean = new double[d];
        double[] variance = new double[d];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                mean[c] += x.get(i, c);
            }
        }
        for (int c = 0; c < d; c++) {
            mean[c] /= n;
        }
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                double diff = x.get(i, c) - mean[c];
                variance[c] += diff * diff;
            }
        }
        for (int c = 0; c < d; c++) {
            variance[c] /= n;
        }
        return of(mean, variance, data.columns(), data.source());
    }

    /**
     * The standardisation with these column means and variances. A column whose standard
     * deviation is not above 1e-12·max(1, |mean|) has no variance to speak of (a constant, up to
     * rounding): it is refused with the names of all such columns of {@code source}.
     */
    public static Standardization of(double[] mean, double[] variance, List<String> columns, String source) {
        double[] scale = new double[mean.length];
        List<String> constant = new ArrayList<>();
        for (int c = 0; c < mean.length; c++) {
            scale[c] = Math.sqrt(variance[c]);
            if (!(scale[c] > 1e-12 * Math.max(1, Math.abs(mean[c])))) {
                constant.add(columns.get(c));
            }
        }
        if (!constant.isEmpty()) {
            throw new ScorematchException(source + ": column" + (constant.size() > 1 ? "s " : " ") + constant
                    + (constant.size() > 1 ? " have" : " has") + " zero variance; leave "
                    + (constant.size() > 1 ? "them" : "it") + " out (setting 'drop') or train without standardisation (setting 'no-standardize')");
        }
        return new Standardization(mean, scale);
    }

    /** The number of columns D. */
    public int dimension() {
        return mean.length;
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] scale() {
        return scale.clone();
    }

    /** {@code (x − m)/s} for each row of {@code x} (n × D, row-major), as a new array. */
    public double[] apply(double[] x, int n) {
        return applyInPlace(Arrays.copyOf(x, n * mean.length), n);
    }

    /**
     * {@code (x − m)/s} for each of the first n rows of {@code x} (n × D, row-major), written over
     * them; returns {@code x}. For an array the caller owns (a fresh {@link Matrix#toArray()}), it
     * saves a copy of the data: on a million rows of 100 columns, 800 MB.
     */
    public double[] applyInPlace(double[] x, int n) {
        int d = mean.length;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                x[i * d + c] = (x[i * d + c] - mean[c]) / scale[c];
            }
        }
        return x;
    }

    /** {@code m + s·z} for each row of {@code z} (n × D, row-major): standardised rows back in data units, as a new array. */
    public double[] invert(double[] z, int n) {
        int d = mean.length;
        double[] x = new double[n * d];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                x[i * d + c] = z[i * d + c] * scale[c] + mean[c];
            }
        }
        return x;
    }

    /** Turns scores in standardised units into data units in place: divides column c by s_c. */
    public void scoreToData(double[] s, int n) {
        int d = mean.length;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                s[i * d + c] /= scale[c];
            }
        }
    }

    /** {@code Σ log sᵢ}: what an energy in standardised units gains in data units. */
    public double logScaleSum() {
        double t = 0;
        for (double s : scale) {
            t += Math.log(s);
        }
        return t;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Standardization st && Arrays.equals(st.mean, mean) && Arrays.equals(st.scale, scale);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(scale);
    }

    @Override
    public String toString() {
        return "Standardization" + Arrays.toString(mean) + "/" + Arrays.toString(scale);
    }
}
