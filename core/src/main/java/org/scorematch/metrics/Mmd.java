package org.scorematch.metrics;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Maximum mean discrepancy between two samples with the Gaussian kernel
 * {@code k(x, y) = exp(−‖x − y‖²/(2h²))}, h the median pairwise distance of the pooled sample
 * (the median heuristic), as the unbiased estimate
 * {@code MMD² = mean_{i≠j} k(xᵢ,xⱼ) + mean_{i≠j} k(yᵢ,yⱼ) − 2 mean k(xᵢ,yⱼ)} (Gretton et al. 2012),
 * with a permutation p-value.
 */
public final class Mmd {
    /** The statistic, its permutation p-value and the bandwidth used. */
    public record Result(double statistic, double pValue, double bandwidth, int permutations) {
    }

    private Mmd() {
    }

    /**
     * MMD² between the {@code nx} rows of {@code x} and the {@code ny} rows of {@code y} (D columns),
     * with a permutation p-value from {@code permutations} shuffles drawn from {@code rng}.
     */
    public static Result test(double[] x, int nx, double[] y, int ny, int d, int permutations, RandomGenerator rng) {
        if (nx < 2 || ny < 2) {
            throw new IllegalArgumentException("MMD needs at least two samples on each side");
        }
        int n = nx + ny;
        double[] pooled = new double[n * d];
        System.arraycopy(x, 0, pooled, 0, nx * d);
        System.arraycopy(y, 0, pooled, nx * d, ny * d);
        double[] dist2 = new double[n * n];
        double[] upper = new double[n * (n - 1) / 2];
        int u = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double r2 = 0;
                for (int c = 0; c < d; c++) {
                    double diff = pooled[i * d + c] - pooled[j * d + c];
                    r2 += diff * diff;
                }
                dist2[i * n + j] = r2;
                dist2[j * n + i] = r2;
                upper[u++] = r2;
            }
        }
        Arrays.sort(upper);
        double h = Math.sqrt(upper[upper.length / 2]);
        if (!(h > 0)) {
            h = 1;
        }
        double[] k = new double[n * n];
        for (int i = 0; i < n * n; i++) {
            k[i] = Math.exp(-dist2[i] / (2 * h * h));
        }
        int[] index = new int[n];
        for (int i = 0; i < n; i++) {
            index[i] = i;
        }
        double stat = statistic(k, n, index, nx);
        int above = 0;
        for (int p = 0; p < permutations; p++) {
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = index[i];
                index[i] = index[j];
                index[j] = t;
            }
            if (statistic(k, n, index, nx) >= stat) {
                above++;
            }
        }
        return new Result(stat, (above + 1.0) / (permutations + 1.0), h, permutations);
    }

    /** Unbiased MMD² with the first {@code nx} entries of {@code index} as one sample. */
    private static double statistic(double[] k, int n, int[] index, int nx) {
        int ny = n - nx;
        double xx = 0;
        double yy = 0;
        double xy = 0;
        for (int a = 0; a < n; a++) {
            int i = index[a];
            for (int b = a + 1; b < n; b++) {
                double v = k[i * n + index[b]];
                if (b < nx) {
                    xx += v;
                } else if (a >= nx) {
                    yy += v;
                } else {
                    xy += v;
                }
            }
        }
        return 2 * xx / ((double) nx * (nx - 1)) + 2 * yy / ((double) ny * (ny - 1)) - 2 * xy / ((double) nx * ny);
    }
}
