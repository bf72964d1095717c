package org.scorematch.expfam;

/**
 * The Gaussian family {@code log p̃(x) = −½xᵀKx + ηᵀx} (K symmetric), as sufficient statistics
 * over the parameters {@code (K_jk for j ≤ k, η_j)}: {@code F_jj = −½x_j²}, {@code F_jk = −x_jx_k}
 * (j &lt; k), {@code F_j = x_j}. On ℝᴰ score matching gives {@code K̂ = S⁻¹} and {@code η̂ = K̂x̄},
 * S the 1/n sample covariance; on ℝ₊ᴰ with weights, the truncated Gaussian graphical model.
 */
public final class GaussianStatistics implements SufficientStatistics {
    private final int d;
    private final int[] index;

    public GaussianStatistics(int d) {
        this.d = d;
        this.index = new int[d * d];
        int k = 0;
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                index[a * d + b] = k;
                index[b * d + a] = k;
                k++;
            }
        }
    }

    @Override
    public int dimension() {
        return d;
    }

    @Override
    public int parameters() {
        return d * (d + 1) / 2 + d;
    }

    /** Position of K_jk (= K_kj) in θ. */
    public int precisionIndex(int j, int k) {
        return index[j * d + k];
    }

    /** Position of η_j in θ. */
    public int linearIndex(int j) {
        return d * (d + 1) / 2 + j;
    }

    @Override
    public void value(double[] x, double[] out) {
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                out[index[a * d + b]] = a == b ? -0.5 * x[a] * x[a] : -x[a] * x[b];
            }
            out[linearIndex(a)] = x[a];
        }
    }

    @Override
    public void derivatives(double[] x, int i, double[] first, double[] second) {
        java.util.Arrays.fill(first, 0);
        java.util.Arrays.fill(second, 0);
        for (int k = 0; k < d; k++) {
            // ∂ᵢ of −½x_i² is −x_i; of −x_i x_k (k ≠ i) is −x_k.
            first[index[i * d + k]] = -x[k];
        }
        second[index[i * d + i]] = -1;
        first[linearIndex(i)] = 1;
    }

    /** The precision matrix K (D × D, row-major) held in θ. */
    public double[] precision(double[] theta) {
        double[] k = new double[d * d];
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                k[a * d + b] = theta[index[a * d + b]];
            }
        }
        return k;
    }
}
