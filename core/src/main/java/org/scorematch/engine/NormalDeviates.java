package org.scorematch.engine;

import java.util.Objects;

/**
 * Standard normal deviates in blocks, by the Box–Muller transform (Box &amp; Muller 1958), in SIMD
 * lanes when the Vector API module is present ({@link Kernels#VECTORS}) and with the same bits
 * when it is not. Hand-written because the JDK's normals ({@code RandomGenerator.nextGaussian},
 * a ziggurat) come one at a time, about 3 ns each, and the noise of denoising at D = 784 draws
 * millions a step: a fifth of the step's time. The Vector API's own {@code LOG}, {@code SIN} and
 * {@code COS} are not used: they give SVML's roundings once C2 has compiled the caller and the
 * per-lane fallback's before, so the stream would depend on the compiler's timing.
 *
 * <p>Block {@code b} of the stream {@code seed} has the key {@code k = mix64(seed + (b+1)γ)}, as
 * {@link java.util.SplittableRandom#split} derives a child. Its pair {@code p} takes the two
 * SplitMix64 words {@code w₁ = mix64(k + (2p+1)γ)} and {@code w₂ = mix64(k + (2p+2)γ)} (Steele,
 * Lea &amp; Flood 2014): {@code u = 2 − [1.w₁'s top 52 bits]} in (0, 1], the quadrant {@code q}
 * from w₂'s top two bits and {@code t} in [0, 1) from its low 52, {@code θ = qπ/2 + (t − ½)π/2};
 * then {@code r = √(−2 ln u)} and the pair is {@code (r cos θ, r sin θ)}. Deviates come in chunks
 * of {@value #CHUNK}: chunk c holds the cosines of pairs 8c…8c+7, then their sines, whatever the
 * lane count, so a stream is the same on every CPU up to the last bit. {@code ln u} is fdlibm's
 * {@code __ieee754_log} and {@code sin}, {@code cos} on |ψ| ≤ π/4 its {@code __kernel_sin} and
 * {@code __kernel_cos} (Sun Microsystems 1993; each within 1 ulp), written with additions,
 * multiplications, one division and one square root, which round the same in every lane.
 * Since u ≥ 2⁻⁵², |deviates| ≤ 8.49.
 */
public final class NormalDeviates {
    /** Pairs per chunk: the widest SIMD register's doubles (AVX-512), so no lane count splits a chunk. */
    static final int PAIRS = 8;
    /** Deviates per chunk. */
    static final int CHUNK = 2 * PAIRS;
    static final long GAMMA = 0x9e3779b97f4a7c15L;
    static final long ONE_BITS = 0x3ff0000000000000L;
    static final long MANTISSA = 0x000fffffffffffffL;
    /** The bits of √½: ln's reduction puts the mantissa in [√½, √2). */
    static final long SQRT_HALF_BITS = 0x3fe6a09e667f3bcdL;
    /** 64 in the exponent field keeps the reduction's exponent positive (u ≥ 2⁻⁵²) for a logical shift. */
    static final long EXPONENT_OFFSET = 64L << 52;
    /** The bits of 2⁵², whose last bits then hold a small integer exactly. */
    static final long TWO52_BITS = 0x4330000000000000L;
    static final double TWO52_PLUS_OFFSET = 4503599627370496.0 + 64;
    static final double LN2_HI = 6.93147180369123816490e-01;
    static final double LN2_LO = 1.90821492927058770002e-10;
    static final double LG1 = 6.666666666666735130e-01;
    static final double LG2 = 3.999999999940941908e-01;
    static final double LG3 = 2.857142874366239149e-01;
    static final double LG4 = 2.222219843214978396e-01;
    static final double LG5 = 1.818357216161805012e-01;
    static final double LG6 = 1.531383769920937332e-01;
    static final double LG7 = 1.479819860511658591e-01;
    static final double S1 = -1.66666666666666324348e-01;
    static final double S2 = 8.33333333332248946124e-03;
    static final double S3 = -1.98412698298579493134e-04;
    static final double S4 = 2.75573137070700676789e-06;
    static final double S5 = -2.50507602534068634195e-08;
    static final double S6 = 1.58969099521155010221e-10;
    static final double C1 = 4.16666666666666019037e-02;
    static final double C2 = -1.38888888888741095749e-03;
    static final double C3 = 2.48015872894767294178e-05;
    static final double C4 = -2.75573143513906633035e-07;
    static final double C5 = 2.08757232129817482790e-09;
    static final double C6 = -1.13596475577881948265e-11;
    static final double HALF_PI = Math.PI / 2;

    private NormalDeviates() {
    }

    /**
     * Writes the first {@code n} deviates of block {@code block} of the stream {@code seed} to
     * {@code out[from … from+n)}; the class comment gives the formula. A shorter {@code n} gives a
     * prefix of a longer one's deviates.
     */
    public static void fill(long seed, long block, double[] out, int from, int n) {
        Objects.checkFromIndexSize(from, n, out.length);
        long key = mix64(seed + (block + 1) * GAMMA);
        int done = Kernels.VECTORS ? VectorNormals.fill(key, out, from, n / CHUNK * CHUNK) : 0;
        for (int c = done; c < n; c += CHUNK) {
            chunk(key, c / CHUNK, out, from + c, Math.min(CHUNK, n - c));
        }
    }

    /** The first {@code count} deviates of chunk {@code chunk} of the block keyed {@code key}, one pair at a time. */
    static void chunk(long key, long chunk, double[] out, int at, int count) {
        for (int i = 0; i < PAIRS; i++) {
            long counter = key + (2 * (chunk * PAIRS + i) + 1) * GAMMA;
            long w1 = mix64(counter);
            long w2 = mix64(counter + GAMMA);
            double r = Math.sqrt(-2 * log(2 - Double.longBitsToDouble((w1 >>> 12) | ONE_BITS)));
            double psi = (Double.longBitsToDouble((w2 & MANTISSA) | ONE_BITS) - 1 - 0.5) * HALF_PI;
            double z = psi * psi;
            long x = Double.doubleToRawLongBits(r * cos(z));
            long y = Double.doubleToRawLongBits(r * sin(psi, z));
            long q = w2 >>> 62;
            long swap = (x ^ y) & -(q & 1);
            x ^= swap ^ (((q ^ (q >>> 1)) & 1) << 63);
            y ^= swap ^ ((q >>> 1) << 63);
            if (i < count) {
                out[at + i] = Double.longBitsToDouble(x);
            }
            if (PAIRS + i < count) {
                out[at + PAIRS + i] = Double.longBitsToDouble(y);
            }
        }
    }

    /** SplitMix64's output function (the finaliser of {@link java.util.SplittableRandom}). */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** fdlibm's {@code __ieee754_log} for {@code 2⁻⁵² ≤ u ≤ 1}. */
    static double log(double u) {
        long bits = Double.doubleToRawLongBits(u);
        long k = (bits - SQRT_HALF_BITS + EXPONENT_OFFSET) >>> 52;
        double f = Double.longBitsToDouble(bits - (k << 52) + EXPONENT_OFFSET) - 1;
        double dk = Double.longBitsToDouble(TWO52_BITS + k) - TWO52_PLUS_OFFSET;
        double s = f / (2 + f);
        double z = s * s;
        double w = z * z;
        double t1 = w * (LG2 + w * (LG4 + w * LG6));
        double t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
        double hfsq = 0.5 * f * f;
        return dk * LN2_HI - ((hfsq - (s * (hfsq + (t1 + t2)) + dk * LN2_LO)) - f);
    }

    /** FreeBSD's fdlibm {@code __kernel_sin(ψ, 0, 0)}, {@code z = ψ²}. */
    static double sin(double psi, double z) {
        double r = S2 + z * (S3 + z * S4) + z * (z * z) * (S5 + z * S6);
        return psi + z * psi * (S1 + z * r);
    }

    /** FreeBSD's fdlibm {@code __kernel_cos(ψ, 0)} (within 1 ulp on |ψ| ≤ π/4), {@code z = ψ²}. */
    static double cos(double z) {
        double w2 = z * z;
        double r = z * (C1 + z * (C2 + z * C3)) + w2 * w2 * (C4 + z * (C5 + z * C6));
        double hz = 0.5 * z;
        double w = 1 - hz;
        return w + (((1 - w) - hz) + z * r);
    }
}
