package org.scorematch.data;

/**
 * Running column means and sums of squared deviations, by Welford's update for one row and Chan,
 * Golub &amp; LeVeque's (1979) rule for merging two parts, so that partitions of a table (Spark)
 * give the moments of the whole without the cancellation of {@code E[x²] − E[x]²}. Mutable, for
 * aggregation; {@link #standardization} turns the result into the same standardisation, under the
 * same zero-variance rule, as {@link Standardization#fit}.
 */
public final class ColumnMoments implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private long count;
    private final double[] mean;
    private final double[] squares;

    private ColumnMoments(int d) {
        this.mean = new double[d];
        this.squares = new double[d];
    }

    /** No rows yet, {@code d} columns. */
    public static ColumnMoments empty(int d) {
        return new ColumnMoments(d);
    }

    /** Adds one row: {@code δ = x − m}, {@code m += δ/n}, {@code M₂ += δ(x − m)}. Returns this. */
    public ColumnMoments add(double[] row) {
        if (row.length != mean.length) {
            throw new IllegalArgumentException("row has " + row.length + " values, expected " + mean.length);
        }
        count++;
        for (int c = 0; c < mean.length; c++) {
            double delta = row[c] - mean[c];
            mean[c] += delta / count;
            squares[c] += delta * (row[c] - mean[c]);
        }
        return this;
    }

    /**
     * Adds the rows summarised by {@code other}: {@code δ = m_b − m_a},
     * {@code m = m_a + δ n_b/n}, {@code M₂ = M₂a + M₂b + δ² n_a n_b/n}. Returns this.
     */
    public ColumnMoments merge(ColumnMoments other) {
        if (other.mean.length != mean.length) {
            throw new IllegalArgumentException("moments of " + other.mean.length + " and " + mean.length + " columns");
        }
        if (other.count == 0) {
            return this;
        }
        long n = count + other.count;
        for (int c = 0; c < mean.length; c++) {
            double delta = other.mean[c] - mean[c];
            mean[c] += delta * other.count / n;
            squares[c] += other.squares[c] + delta * delta * ((double) count * other.count / n);
        }
        count = n;
        return this;
    }

    /** The rows seen. */
    public long count() {
        return count;
    }

    /** The column means. */
    public double[] mean() {
        return mean.clone();
    }

    /** The column variances with divisor n. */
    public double[] variance() {
        double[] v = new double[mean.length];
        for (int c = 0; c < v.length; c++) {
            v[c] = squares[c] / count;
        }
        return v;
    }

    /** The standardisation of these moments; columns without variance are refused by name. */
    public Standardization standardization(java.util.List<String> columns, String source) {
        if (count == 0) {
            throw new org.scorematch.ScorematchException(source + ": no rows");
        }
        return Standardization.of(mean, variance(), columns, source);
    }
}
