package org.scorematch.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Small helpers the benchmark reports share: summaries over seeds and default column names. */
final class Summary {
    private Summary() {
    }

    static double mean(double[] a) {
        return Arrays.stream(a).average().orElse(Double.NaN);
    }

    static double min(double[] a) {
        return Arrays.stream(a).min().orElse(Double.NaN);
    }

    static double max(double[] a) {
        return Arrays.stream(a).max().orElse(Double.NaN);
    }

    /** {@code x1 … xd}. */
    static List<String> columnNames(int d) {
        List<String> c = new ArrayList<>();
        for (int i = 1; i <= d; i++) {
            c.add("x" + i);
        }
        return c;
    }
}
