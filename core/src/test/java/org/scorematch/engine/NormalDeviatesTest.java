package org.scorematch.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The Box–Muller deviates against their definition. The lanes' path ({@link VectorNormals}, when
 * the Vector API module is present: surefire runs this class with and without it) must give the
 * scalar pair loop's bits; the hand-written ln, sin and cos must be within fdlibm's 1 ulp of
 * {@link StrictMath}'s (fdlibm's correctly rounded-or-1-ulp results), so each deviate is within a
 * few ulp of {@code √(−2 ln u)·cos θ} computed by {@link StrictMath}. The distribution itself is
 * tested on the denoising noise ({@code GaussianNoiseTest}: moments, tails, Kolmogorov–Smirnov).
 */
class NormalDeviatesTest {
    /** Lengths that are and are not whole chunks, at offsets into a larger array. */
    @Test
    void lanesGiveTheScalarLoopsBits() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int trial = 0; trial < 60; trial++) {
            int n = trial < 5 ? trial : rng.nextInt(1, 300);
            int from = rng.nextInt(5);
            long seed = rng.nextLong();
            long block = rng.nextLong(1000);
            double[] out = new double[from + n + 3];
            NormalDeviates.fill(seed, block, out, from, n);
            double[] expected = new double[from + n + 3];
            long key = NormalDeviates.mix64(seed + (block + 1) * NormalDeviates.GAMMA);
            for (int c = 0; c < n; c += NormalDeviates.CHUNK) {
                NormalDeviates.chunk(key, c / NormalDeviates.CHUNK, expected, from + c, Math.min(NormalDeviates.CHUNK, n - c));
            }
            assertThat(out).as("n = %d", n).containsExactly(expected);
        }
    }

    @Test
    void aShorterBlockIsAPrefixAndBlocksDiffer() {
        double[] longer = new double[100];
        double[] shorter = new double[37];
        NormalDeviates.fill(9, 4, longer, 0, 100);
        NormalDeviates.fill(9, 4, shorter, 0, 37);
        assertThat(java.util.Arrays.copyOf(longer, 37)).containsExactly(shorter);
        double[] other = new double[100];
        NormalDeviates.fill(9, 5, other, 0, 100);
        double[] otherSeed = new double[100];
        NormalDeviates.fill(10, 4, otherSeed, 0, 100);
        for (int i = 0; i < 100; i++) {
            assertThat(other[i]).isNotEqualTo(longer[i]);
            assertThat(otherSeed[i]).isNotEqualTo(longer[i]);
        }
    }

    /**
     * Pair p of a block is {@code (r cos θ, r sin θ)} with r and θ from its two SplitMix64 words as
     * the class comment defines them, here by StrictMath. Bound: r within 2 ulp (ln within 1 ulp,
     * halved by the square root, plus its own rounding), cos θ and sin θ within 1 ulp of 1 (the
     * kernels' ulp plus ψ's rounding, whose error is below 2⁻⁵³·π/4), the product within 1 ulp:
     * {@code 5·2⁻⁵²·max(r, 1)}.
     */
    @Test
    void deviatesAreBoxMullerOfTheirWords() {
        int n = 4096;
        double[] out = new double[n];
        long seed = 77;
        long block = 3;
        NormalDeviates.fill(seed, block, out, 0, n);
        long key = NormalDeviates.mix64(seed + (block + 1) * NormalDeviates.GAMMA);
        double worst = 0;
        for (int j = 0; j < n; j++) {
            int chunk = j / NormalDeviates.CHUNK;
            int i = j % NormalDeviates.CHUNK;
            long pair = (long) chunk * NormalDeviates.PAIRS + i % NormalDeviates.PAIRS;
            long w1 = NormalDeviates.mix64(key + (2 * pair + 1) * NormalDeviates.GAMMA);
            long w2 = NormalDeviates.mix64(key + (2 * pair + 2) * NormalDeviates.GAMMA);
            double u = 1 - (w1 >>> 12) * 0x1p-52;
            double t = (w2 & NormalDeviates.MANTISSA) * 0x1p-52;
            double theta = (w2 >>> 62) * Math.PI / 2 + (t - 0.5) * Math.PI / 2;
            double r = StrictMath.sqrt(-2 * StrictMath.log(u));
            double expected = r * (i < NormalDeviates.PAIRS ? StrictMath.cos(theta) : StrictMath.sin(theta));
            double error = Math.abs(out[j] - expected) / (Math.max(r, 1) * 0x1p-52);
            worst = Math.max(worst, error);
        }
        assertThat(worst).isLessThan(5);
    }

    /** ln on [2⁻⁵², 1] and the kernels on [−π/4, π/4] within 1 ulp of StrictMath's (fdlibm). */
    @Test
    void kernelsAreWithinOneUlpOfFdlibm() {
        SplittableRandom rng = new SplittableRandom(5);
        for (int i = 0; i < 200_000; i++) {
            double u = i < 3 ? new double[] {1, 0x1p-52, 0.5}[i]
                    : i % 2 == 0 ? rng.nextDouble(0x1p-52, 1) : Math.scalb(rng.nextDouble(0.5, 1), -rng.nextInt(52));
            double log = StrictMath.log(u);
            assertThat(Math.abs(NormalDeviates.log(u) - log)).as("ln %s", u).isLessThanOrEqualTo(Math.ulp(log));
            double psi = rng.nextDouble(-Math.PI / 4, Math.PI / 4);
            double sin = StrictMath.sin(psi);
            double cos = StrictMath.cos(psi);
            assertThat(Math.abs(NormalDeviates.sin(psi, psi * psi) - sin)).as("sin %s", psi)
                    .isLessThanOrEqualTo(Math.ulp(sin));
            assertThat(Math.abs(NormalDeviates.cos(psi * psi) - cos)).as("cos %s", psi)
                    .isLessThanOrEqualTo(Math.ulp(cos));
        }
    }

    @Test
    void rangeIsChecked() {
        assertThatThrownBy(() -> NormalDeviates.fill(1, 0, new double[10], 5, 6))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
