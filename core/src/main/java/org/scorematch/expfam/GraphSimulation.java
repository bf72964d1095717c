package org.scorematch.expfam;

import java.util.random.RandomGenerator;
import org.apache.commons.numbers.gamma.Erfc;
import org.apache.commons.numbers.gamma.InverseErfc;
import org.scorematch.linalg.Cholesky;

/**
 * Simulation studies of graph recovery: sparse precision matrices (chain, Erdős–Rényi), Gaussian
 * and truncated-Gaussian samples, and true/false-positive rates and ROC areas of estimated
 * supports.
 */
public final class GraphSimulation {
    private GraphSimulation() {
    }

    /** Chain graph: K_ii = 1, K_{i,i+1} = 0.4. */
    public static double[] chain(int d) {
        double[] k = new double[d * d];
        for (int i = 0; i < d; i++) {
            k[i * d + i] = 1;
            if (i + 1 < d) {
                k[i * d + i + 1] = 0.4;
                k[(i + 1) * d + i] = 0.4;
            }
        }
        return k;
    }

    /** Erdős–Rényi graph with edge probability {@code p}, weights ±U(0.3, 0.6), made diagonally dominant. */
    public static double[] random(int d, double p, RandomGenerator rng) {
        double[] k = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
                if (rng.nextDouble() < p) {
                    double w = (rng.nextBoolean() ? 1 : -1) * rng.nextDouble(0.3, 0.6);
                    k[i * d + j] = w;
                    k[j * d + i] = w;
                }
            }
        }
        for (int i = 0; i < d; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += i == j ? 0 : Math.abs(k[i * d + j]);
            }
            k[i * d + i] = s + 0.2;
        }
        return k;
    }

    /** n draws of N(μ, K⁻¹), row-major. */
    public static double[] gaussian(double[] k, double[] mean, int n, RandomGenerator rng) {
        int d = mean.length;
        double[] l = Cholesky.lower(k, d);
        double[] x = new double[n * d];
        double[] z = new double[d];
        for (int s = 0; s < n; s++) {
            for (int c = 0; c < d; c++) {
                z[c] = rng.nextGaussian();
            }
            // x = μ + L⁻ᵀz has covariance (LLᵀ)⁻¹ = K⁻¹
            for (int i = d - 1; i >= 0; i--) {
                double v = z[i];
                for (int p = i + 1; p < d; p++) {
                    v -= l[p * d + i] * (x[s * d + p] - mean[p]);
                }
                x[s * d + i] = mean[i] + v / l[i * d + i];
            }
        }
        return x;
    }

    /**
     * n draws from the truncated Gaussian {@code p ∝ exp(−½xᵀKx + ηᵀx)} on ℝ₊ᴰ by Gibbs sampling
     * (each coordinate's conditional is a normal truncated to [0, ∞), drawn by inverting its CDF),
     * keeping every 10th sweep after 200.
     */
    public static double[] truncated(double[] k, double[] eta, int n, RandomGenerator rng) {
        int d = eta.length;
        double[] x = new double[d];
        java.util.Arrays.fill(x, 1);
        double[] out = new double[n * d];
        int kept = 0;
        for (int sweep = 0; kept < n; sweep++) {
            for (int i = 0; i < d; i++) {
                double lin = eta[i];
                for (int j = 0; j < d; j++) {
                    if (j != i) {
                        lin -= k[i * d + j] * x[j];
                    }
                }
                double sd = 1 / Math.sqrt(k[i * d + i]);
                double mu = lin / k[i * d + i];
                x[i] = mu + sd * truncatedStandard(-mu / sd, rng);
            }
            if (sweep >= 200 && sweep % 10 == 0) {
                System.arraycopy(x, 0, out, kept * d, d);
                kept++;
            }
        }
        return out;
    }

    /** A standard normal conditioned on z ≥ a (a &lt; 6), by inverting the upper tail. */
    private static double truncatedStandard(double a, RandomGenerator rng) {
        double tail = 0.5 * Erfc.value(a / Math.sqrt(2));
        double u = tail * (1 - rng.nextDouble());
        return Math.max(a, Math.sqrt(2) * InverseErfc.value(2 * u));
    }

    /** {TPR, FPR} of the support of {@code estimate} against {@code truth} (off-diagonal pairs). */
    public static double[] rates(double[] estimate, double[] truth, int d) {
        double tp = 0;
        double fp = 0;
        double positives = 0;
        double negatives = 0;
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
                boolean edge = truth[i * d + j] != 0;
                boolean found = estimate[i * d + j] != 0;
                positives += edge ? 1 : 0;
                negatives += edge ? 0 : 1;
                tp += edge && found ? 1 : 0;
                fp += !edge && found ? 1 : 0;
            }
        }
        return new double[] {tp / positives, fp / negatives};
    }

    /** Area under the ROC curve through the path's (FPR, TPR) points, (0,0) and (1,1). */
    public static double auc(java.util.List<double[]> points) {
        java.util.List<double[]> p = new java.util.ArrayList<>(points);
        p.add(new double[] {0, 0});
        p.add(new double[] {1, 1});
        p.sort((a, b) -> a[1] != b[1] ? Double.compare(a[1], b[1]) : Double.compare(a[0], b[0]));
        double area = 0;
        for (int i = 1; i < p.size(); i++) {
            area += (p.get(i)[1] - p.get(i - 1)[1]) * (p.get(i)[0] + p.get(i - 1)[0]) / 2;
        }
        return area;
    }
}
