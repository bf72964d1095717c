package org.scorematch.data;

import java.util.List;
import org.scorematch.linalg.Matrix;

/** Samples as rows of a matrix, with a name for each column and where they came from. */
public record Dataset(String source, List<String> columns, Matrix values) {
    public Dataset {
        columns = List.copyOf(columns);
        if (columns.size() != values.cols()) {
            throw new IllegalArgumentException(columns.size() + " column names for " + values.cols() + " columns");
        }
    }

    /** Rows of {@code values} under column names, {@code source} naming where they came from in messages. */
    public static Dataset of(String source, List<String> columns, Matrix values) {
        return new Dataset(source, columns, values);
    }

    /** The number of rows. */
    public int rows() {
        return values.rows();
    }

    /** The number of columns D. */
    public int dimension() {
        return values.cols();
    }

    /**
     * Uniform dequantisation of integer data (counts, pixels): {@code x + u} with
     * {@code u ~ U[0, 1)ᴰ} drawn from {@code rng} row by row, so that a density of the result is a
     * density of the integers' cells (Theis, van den Oord &amp; Bethge 2016). A value that is not an
     * integer is refused, naming its column.
     */
    public Dataset dequantized(java.util.random.RandomGenerator rng) {
        double[] v = values.toArray();
        for (int i = 0; i < v.length; i++) {
            if (v[i] != Math.rint(v[i])) {
                throw new org.scorematch.ScorematchException(source + ": setting 'dequantize' expects integer-valued "
                        + "data, found " + v[i] + " in column '" + columns.get(i % dimension()) + "'");
            }
            v[i] += rng.nextDouble();
        }
        return of(source, columns, Matrix.of(rows(), dimension(), v));
    }
}
