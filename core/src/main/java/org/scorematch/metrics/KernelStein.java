package org.scorematch.metrics;

import java.util.random.RandomGenerator;

/**
 * Kernel Stein discrepancy of samples under a model score (Liu, Lee &amp; Jordan 2016; Chwialkowski,
 * Strathmann &amp; Gretton 2016) with the inverse multiquadric kernel
 * {@code k(x, y) = (c² + ‖x − y‖²)^β}, β = −½, c = 1 (Gorham &amp; Mackey 2017):
 * {@code KSD² = 1/(n(n−1)) Σ_{i≠j} u(xᵢ, xⱼ)} with the Stein kernel
 * {@code u = sᵢ·sⱼ k + sᵢ·∇ᵧk + sⱼ·∇ₓk + tr ∇ₓ∇ᵧk}. Its p-value comes from the Rademacher
 * wild bootstrap of the degenerate U-statistic: {@code 1/(n(n−1)) Σ_{i≠j} εᵢεⱼ u(xᵢ, xⱼ)}.
 */
public final class KernelStein {
    private static final double BETA = -0.5;
    private static final double C2 = 1.0;

    /** The statistic and its bootstrap p-value. */
    public record Result(double statistic, double pValue, int bootstrap) {
    }

    private KernelStein() {
    }

    /** The Stein kernel matrix u(xᵢ, xⱼ) for rows of {@code x} with scores {@code s} (n × D). */
    static double[] steinMatrix(double[] x, double[] s, int n, int d) {
        double[] u = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double r2 = 0;
                double ss = 0;
                double sxDiff = 0;
                double syDiff = 0;
                for (int c = 0; c < d; c++) {
                    double diff = x[i * d + c] - x[j * d + c];
                    r2 += diff * diff;
                    ss += s[i * d + c] * s[j * d + c];
                    sxDiff += s[i * d + c] * diff;
                    syDiff += s[j * d + c] * diff;
                }
                double base = C2 + r2;
                double k = Math.pow(base, BETA);
                double g = 2 * BETA * Math.pow(base, BETA - 1);
                // ∇ₓk = g·(x−y), ∇ᵧk = −g·(x−y)
                double trace = -2 * BETA * (d * Math.pow(base, BETA - 1) + 2 * (BETA - 1) * Math.pow(base, BETA - 2) * r2);
                double value = ss * k - g * sxDiff + g * syDiff + trace;
                u[i * n + j] = value;
                u[j * n + i] = value;
            }
        }
        return u;
    }

    /** KSD² of the rows of {@code x} (n × D) under scores {@code s}, with a wild-bootstrap p-value. */
    public static Result test(double[] x, double[] s, int n, int d, int bootstrap, RandomGenerator rng) {
        if (n < 2) {
            throw new IllegalArgumentException("the kernel Stein discrepancy needs at least two samples");
        }
        double[] u = steinMatrix(x, s, n, d);
        double stat = 0;
        for (double v : u) {
            stat += v;
        }
        double norm = 1.0 / ((double) n * (n - 1));
        stat *= norm;
        int above = 0;
        double[] eps = new double[n];
        for (int b = 0; b < bootstrap; b++) {
            for (int i = 0; i < n; i++) {
                eps[i] = rng.nextBoolean() ? 1 : -1;
            }
            double t = 0;
            for (int i = 0; i < n; i++) {
                double row = 0;
                for (int j = 0; j < n; j++) {
                    row += u[i * n + j] * eps[j];
                }
                t += eps[i] * row;
            }
            if (t * norm >= stat) {
                above++;
            }
        }
        return new Result(stat, (above + 1.0) / (bootstrap + 1.0), bootstrap);
    }
}
