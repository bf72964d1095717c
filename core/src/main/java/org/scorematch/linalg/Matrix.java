package org.scorematch.linalg;

import java.util.Arrays;

/**
 * An immutable dense matrix of doubles in row-major order: the unit of exchange for batches of
 * samples ({@code n × D}, one sample per row) and their scores.
 */
public final class Matrix {
    private final int rows;
    private final int cols;
    private final double[] data;

    private Matrix(int rows, int cols, double[] data) {
        this.rows = rows;
        this.cols = cols;
        this.data = data;
    }

    /** A {@code rows × cols} matrix holding a copy of {@code values} in row-major order. */
    public static Matrix of(int rows, int cols, double... values) {
        if (rows < 0 || cols < 0 || (long) rows * cols != values.length) {
            throw new IllegalArgumentException(
                    "a " + rows + "×" + cols + " matrix needs " + ((long) rows * cols) + " values, got " + values.length);
        }
        return new Matrix(rows, cols, values.clone());
    }

    /** A matrix whose rows are copies of the given arrays, all of one length. */
    public static Matrix ofRows(double[]... rowArrays) {
        int c = rowArrays.length == 0 ? 0 : rowArrays[0].length;
        double[] d = new double[rowArrays.length * c];
        for (int i = 0; i < rowArrays.length; i++) {
            if (rowArrays[i].length != c) {
                throw new IllegalArgumentException("row " + i + " has " + rowArrays[i].length + " values, expected " + c);
            }
            System.arraycopy(rowArrays[i], 0, d, i * c, c);
        }
        return new Matrix(rowArrays.length, c, d);
    }

    /** The number of rows. */
    public int rows() {
        return rows;
    }

    /** The number of columns. */
    public int cols() {
        return cols;
    }

    /** The entry in row i, column j (0-based). */
    public double get(int i, int j) {
        if (i < 0 || i >= rows || j < 0 || j >= cols) {
            throw new IndexOutOfBoundsException("(" + i + ", " + j + ") outside " + rows + "×" + cols);
        }
        return data[i * cols + j];
    }

    /** A copy of row {@code i}. */
    public double[] row(int i) {
        return Arrays.copyOfRange(data, i * cols, (i + 1) * cols);
    }

    /** A copy of the values in row-major order. */
    public double[] toArray() {
        return data.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Matrix m && m.rows == rows && m.cols == cols && Arrays.equals(m.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * rows + cols) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Matrix[" + rows + "×" + cols + "]";
    }
}
