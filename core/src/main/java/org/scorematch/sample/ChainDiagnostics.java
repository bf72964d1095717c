package org.scorematch.sample;

import java.util.Arrays;
import org.apache.commons.numbers.gamma.InverseErfc;

/**
 * Convergence diagnostics of MCMC chains for one scalar quantity (Vehtari, Gelman, Simpson,
 * Carpenter &amp; Bürkner 2021, "Rank-normalization, folding, and localization: an improved R̂"):
 * <ul>
 *   <li>each chain is split in halves, so that a drift within a chain shows as disagreement
 *       between chains;</li>
 *   <li>the pooled draws are rank-normalised, {@code z = Φ⁻¹((r − 3/8)/(S + 1/4))} with average
 *       ranks r among all S draws, so that heavy tails do not hide poor mixing;</li>
 *   <li>{@code rHat} is the larger of the split-R̂ of z (bulk) and of the rank-normalised
 *       |θ − median| (tails); split-R̂ = {@code √(var⁺/W)} with W the mean within-chain variance,
 *       B/n the variance of the chain means and {@code var⁺ = (n−1)/n·W + B/n};</li>
 *   <li>{@code bulkEss} is {@code MN/τ} on z with {@code τ = −1 + 2Σₖ(ρ̂₂ₖ + ρ̂₂ₖ₊₁)}, the
 *       multi-chain autocorrelations {@code ρ̂ₜ = 1 − (W − mean_m acovₘ(t))/var⁺} summed in pairs
 *       until a pair sum is negative and made monotone (Geyer's initial monotone sequence).</li>
 * </ul>
 * Values of R̂ above 1.01 say the chains have not mixed.
 */
public record ChainDiagnostics(double rHat, double bulkEss) {
    /** R̂ above this says the chains disagree (Vehtari et al. 2021, §4). */
    public static final double R_HAT_LIMIT = 1.01;

    /** Diagnostics of {@code draws[c][t]}: chain c's t-th kept draw; at least one chain of at least 4 draws, all of one length. */
    public static ChainDiagnostics of(double[][] draws) {
        int chains = draws.length;
        if (chains < 1 || draws[0].length < 4) {
            throw new IllegalArgumentException("diagnostics need at least one chain of at least 4 draws");
        }
        int half = draws[0].length / 2;
        double[][] split = new double[2 * chains][];
        for (int c = 0; c < chains; c++) {
            if (draws[c].length != draws[0].length) {
                throw new IllegalArgumentException("all chains need the same number of draws");
            }
            split[2 * c] = Arrays.copyOfRange(draws[c], 0, half);
            split[2 * c + 1] = Arrays.copyOfRange(draws[c], draws[c].length - half, draws[c].length);
        }
        double[][] z = rankNormalize(split);
        double median = median(split);
        double[][] folded = new double[split.length][half];
        for (int c = 0; c < split.length; c++) {
            for (int t = 0; t < half; t++) {
                folded[c][t] = Math.abs(split[c][t] - median);
            }
        }
        double rHat = Math.max(splitRHat(z), splitRHat(rankNormalize(folded)));
        return new ChainDiagnostics(rHat, ess(z));
    }

    private static double[][] rankNormalize(double[][] x) {
        int m = x.length;
        int n = x[0].length;
        int s = m * n;
        Integer[] order = new Integer[s];
        for (int i = 0; i < s; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(x[a / n][a % n], x[b / n][b % n]));
        double[][] z = new double[m][n];
        for (int i = 0; i < s;) {
            int j = i;
            while (j + 1 < s && x[order[j + 1] / n][order[j + 1] % n] == x[order[i] / n][order[i] % n]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            double p = (rank - 0.375) / (s + 0.25);
            // Φ⁻¹(p) = −√2·erfc⁻¹(2p), accurate in both tails.
            double q = -Math.sqrt(2) * InverseErfc.value(2 * p);
            for (int k = i; k <= j; k++) {
                z[order[k] / n][order[k] % n] = q;
            }
            i = j + 1;
        }
        return z;
    }

    private static double median(double[][] x) {
        double[] all = Arrays.stream(x).flatMapToDouble(Arrays::stream).sorted().toArray();
        int s = all.length;
        return s % 2 == 1 ? all[s / 2] : 0.5 * (all[s / 2 - 1] + all[s / 2]);
    }

    private static double splitRHat(double[][] x) {
        double[] v = varianceTerms(x);
        return v[1] > 0 ? Math.sqrt(v[0] / v[1]) : Double.NaN;
    }

    /** {var⁺, W}. */
    private static double[] varianceTerms(double[][] x) {
        int m = x.length;
        int n = x[0].length;
        double[] means = new double[m];
        double w = 0;
        for (int c = 0; c < m; c++) {
            means[c] = Arrays.stream(x[c]).average().orElseThrow();
            double ss = 0;
            for (double v : x[c]) {
                ss += (v - means[c]) * (v - means[c]);
            }
            w += ss / (n - 1) / m;
        }
        double grand = Arrays.stream(means).average().orElseThrow();
        double b = 0;
        for (double mu : means) {
            b += (mu - grand) * (mu - grand);
        }
        b = m > 1 ? n * b / (m - 1) : 0;
        return new double[] {(n - 1.0) / n * w + b / n, w};
    }

    private static double ess(double[][] x) {
        int m = x.length;
        int n = x[0].length;
        double[] v = varianceTerms(x);
        double varPlus = v[0];
        if (!(varPlus > 0)) {
            return Double.NaN;
        }
        double[] meanAcov = new double[n];
        for (double[] chain : x) {
            double mu = Arrays.stream(chain).average().orElseThrow();
            for (int t = 0; t < n; t++) {
                double s = 0;
                for (int i = 0; i + t < n; i++) {
                    s += (chain[i] - mu) * (chain[i + t] - mu);
                }
                meanAcov[t] += s / n / m;
            }
        }
        double w = meanAcov[0] * n / (n - 1.0);
        double tau = -1;
        double previous = Double.POSITIVE_INFINITY;
        for (int t = 0; t + 1 < n; t += 2) {
            double pair = (1 - (w - meanAcov[t]) / varPlus) + (1 - (w - meanAcov[t + 1]) / varPlus);
            if (pair < 0) {
                break;
            }
            pair = Math.min(pair, previous);
            previous = pair;
            tau += 2 * pair;
        }
        // τ ≥ 1/log10(MN) guards antithetic chains, as in Stan.
        tau = Math.max(tau, 1 / Math.log10((double) m * n));
        return m * n / tau;
    }
}
