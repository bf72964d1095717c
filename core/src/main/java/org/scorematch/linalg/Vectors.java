package org.scorematch.linalg;

/** Reductions over a range of an array, in a fixed order (the same value on every run and thread). */
public final class Vectors {
    private Vectors() {
    }

    /**
     * {@code Σ a[i]²} over {@code [from, to)}, in four interleaved partial sums added pairwise at
     * the end: one running sum waits on each addition's latency, four keep the adder busy (and
     * round no worse). Hand-written: BLAS's {@code ddot} costs a native call per row, more than
     * the sum itself for a short row.
     */
    public static double sumOfSquares(double[] a, int from, int to) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            s0 += a[i] * a[i];
            s1 += a[i + 1] * a[i + 1];
            s2 += a[i + 2] * a[i + 2];
            s3 += a[i + 3] * a[i + 3];
        }
        for (; i < to; i++) {
            s0 += a[i] * a[i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
