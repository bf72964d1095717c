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
}
