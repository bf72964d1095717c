package org.scorematch.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChainDiagnosticsTest {
    private static double[][] ar1(int chains, int n, double rho, double[] means, SplittableRandom rng) {
        double[][] x = new double[chains][n];
        double sd = Math.sqrt(1 - rho * rho);
        for (int c = 0; c < chains; c++) {
            double v = rng.nextGaussian();
            for (int t = 0; t < n; t++) {
                v = rho * v + sd * rng.nextGaussian();
                x[c][t] = means[c % means.length] + v;
            }
        }
        return x;
    }

    /**
     * Independent draws: R̂ below 1.01 and the bulk ESS within 10 % of the number of draws. With
     * 8 chains of 4000, R̂ − 1 has a standard deviation of about 1e-4 and the ESS estimate one of
     * about 2 %, so either bound fails with probability far below 1e-6.
     */
    @Test
    void independentDrawsMixAndCountInFull() {
        ChainDiagnostics d = ChainDiagnostics.of(ar1(8, 4000, 0, new double[] {0}, new SplittableRandom(1)));
        assertThat(d.rHat()).isLessThan(ChainDiagnostics.R_HAT_LIMIT).isGreaterThan(0.99);
        assertThat(d.bulkEss()).isBetween(0.9 * 32000, 1.1 * 32000);
    }

    /**
     * AR(1) chains with ρ = 0.8 have integrated autocorrelation time (1 + ρ)/(1 − ρ) = 9, so the
     * ESS of 4 × 20 000 draws is 80 000/9 ≈ 8889; the estimate is within 15 % (its standard
     * deviation is about 4 % here).
     */
    @Test
    void autocorrelatedDrawsCountAsTheirEffectiveNumber() {
        ChainDiagnostics d = ChainDiagnostics.of(ar1(4, 20000, 0.8, new double[] {0}, new SplittableRandom(2)));
        assertThat(d.bulkEss()).isBetween(0.85 * 80000 / 9, 1.15 * 80000 / 9);
        assertThat(d.rHat()).isLessThan(ChainDiagnostics.R_HAT_LIMIT);
    }

    /** Chains stuck in two modes (half at +3, half at −3), or drifting, are flagged by R̂. */
    @Test
    void chainsInDifferentModesOrDriftingAreFlagged() {
        ChainDiagnostics modes = ChainDiagnostics.of(ar1(6, 500, 0.5, new double[] {3, -3}, new SplittableRandom(3)));
        // Rank normalisation bounds R̂ for separated modes (1.7 here), still far above 1.01.
        assertThat(modes.rHat()).isGreaterThan(1.5);
        double[][] drift = ar1(4, 1000, 0.5, new double[] {0}, new SplittableRandom(4));
        for (double[] chain : drift) {
            for (int t = 0; t < chain.length; t++) {
                chain[t] += 3.0 * t / chain.length;
            }
        }
        assertThat(ChainDiagnostics.of(drift).rHat()).as("splitting exposes a drift within chains")
                .isGreaterThan(ChainDiagnostics.R_HAT_LIMIT + 0.1);
        double[][] oneStuck = ar1(8, 1000, 0.5, new double[] {0}, new SplittableRandom(5));
        for (int t = 0; t < 1000; t++) {
            oneStuck[7][t] += 4;
        }
        assertThat(ChainDiagnostics.of(oneStuck).rHat()).as("one chain of eight in another mode")
                .isGreaterThan(ChainDiagnostics.R_HAT_LIMIT);
    }

    /** Rank normalisation: a heavy-tailed but well-mixed sample (Cauchy draws) is not flagged. */
    @Test
    void heavyTailsAloneAreNotFlagged() {
        SplittableRandom rng = new SplittableRandom(6);
        double[][] x = new double[8][2000];
        for (double[] chain : x) {
            for (int t = 0; t < chain.length; t++) {
                chain[t] = Math.tan(Math.PI * (rng.nextDouble() - 0.5));
            }
        }
        assertThat(ChainDiagnostics.of(x).rHat()).isLessThan(ChainDiagnostics.R_HAT_LIMIT);
    }
}
