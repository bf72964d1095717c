package org.scorematch.objective;

import org.scorematch.engine.Engine;

/**
 * The noisy batch of denoising, {@code x̃ᵢ = mᵢxᵢ + σᵢεᵢ} with {@code ε ~ N(0, I)}, drawn on the
 * engine's threads. The n·D values are cut into blocks of {@link #BLOCK}; block k draws its
 * Gaussians ({@link Ziggurat}) from its own SplitMix64 stream whose start is {@code mix64(seed + (k+1)γ)}, as
 * {@link java.util.SplittableRandom#split} derives a child, so the noise depends on the seed and
 * not on the thread count, the slab size or which thread drew which block.
 */
final class GaussianNoise {
    /** Values per block: enough to amortise a thread hand-off (about 10 µs of draws), few enough to split a small batch. */
    static final int BLOCK = 4096;
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private GaussianNoise() {
    }

    /**
     * Writes {@code eps} (n × D standard normals from {@code seed}) and
     * {@code noisy = means[i]·x + sigmas[i]·eps} row by row ({@code means} null: all 1). Without an
     * engine the blocks run on the caller's thread, with the same values.
     */
    static void perturb(Engine engine, long seed, double[] x, double[] means, double[] sigmas, int n, int d,
                        double[] eps, double[] noisy) {
        if (x.length < n * d) {
            throw new IllegalArgumentException("batch has fewer than " + n + " rows of " + d);
        }
        int total = n * d;
        int blocks = (total + BLOCK - 1) / BLOCK;
        if (engine == null) {
            drawBlocks(seed, 0, blocks, x, means, sigmas, total, d, eps, noisy);
        } else {
            engine.forRanges(blocks, 1, (from, to) -> drawBlocks(seed, from, to, x, means, sigmas, total, d, eps, noisy));
        }
    }

    private static void drawBlocks(long seed, int fromBlock, int toBlock, double[] x, double[] means, double[] sigmas,
                                   int total, int d, double[] eps, double[] noisy) {
        Ziggurat g = new Ziggurat();
        for (int b = fromBlock; b < toBlock; b++) {
            g.reseed(Ziggurat.mix64(seed + (b + 1) * GOLDEN_GAMMA));
            int start = b * BLOCK;
            int end = Math.min(start + BLOCK, total);
            int row = start / d;
            int c = start - row * d;
            for (int i = start; i < end; ) {
                double m = means == null ? 1 : means[row];
                double s = sigmas[row];
                int rowEnd = Math.min(end, i + d - c);
                for (; i < rowEnd; i++) {
                    double e = g.next();
                    eps[i] = e;
                    noisy[i] = m * x[i] + s * e;
                }
                row++;
                c = 0;
            }
        }
    }

    /**
     * Standard normal deviates from a SplitMix64 stream (Steele, Lea &amp; Flood 2014, the generator
     * of {@link java.util.SplittableRandom}) by the ziggurat method (Marsaglia &amp; Tsang 2000, 256
     * layers), the layer index and the uniform taken from disjoint bits of one draw (Doornik 2005).
     * Hand-written: a SplittableRandom cannot be restarted in place, and the JDK's ziggurat
     * ({@code RandomGenerator.nextGaussian}) is a call per deviate that reaches the generator
     * through an interface, which measured 2.6 ns a deviate against about 1 here. The tables and
     * the tail (2.6·10⁻⁴ of deviates) use {@link StrictMath}, so a seed gives the same deviates on
     * every platform; the wedge test (about 1.2 %) compares a uniform with {@code Math.exp}, an
     * intrinsic several times faster than StrictMath's, whose last-ulp differences between
     * platforms decide a comparison only when the uniform falls within an ulp of the curve.
     */
    static final class Ziggurat {
        /** Start of the tail and the common area of the 256 layers (Marsaglia &amp; Tsang 2000). */
        private static final double R = 3.6541528853610088;
        private static final double V = 4.928673233974655e-3;
        /** Layer i spans |x| &lt; X[i] at heights F[i]…F[i+1]; X[0] = V/f(R) is the base strip's width. */
        private static final double[] X = new double[257];
        private static final double[] F = new double[257];

        static {
            X[0] = V / f(R);
            X[1] = R;
            for (int i = 1; i < 255; i++) {
                X[i + 1] = StrictMath.sqrt(-2 * StrictMath.log(V / X[i] + f(X[i])));
            }
            X[256] = 0;
            for (int i = 0; i <= 256; i++) {
                F[i] = f(X[i]);
            }
        }

        private long state;

        /** Restarts the stream at {@code state}. */
        void reseed(long state) {
            this.state = state;
        }

        double next() {
            long bits = mix64(state += GOLDEN_GAMMA);
            int i = (int) bits & 0xFF;
            // The top 53 bits, signed, as a uniform in (−1, 1) symmetric about 0.
            double x = (((bits >> 11) + 0.5) * 0x1.0p-52) * X[i];
            return Math.abs(x) < X[i + 1] ? x : outside(i, x);
        }

        /** A draw that fell outside its layer's inner rectangle: the wedge test, or the tail for layer 0. */
        private double outside(int i, double x) {
            while (true) {
                if (i == 0) {
                    double t;
                    double y;
                    do {
                        t = -StrictMath.log(uniform()) / R;
                        y = -StrictMath.log(uniform());
                    } while (y + y < t * t);
                    return x < 0 ? -(R + t) : R + t;
                }
                if (F[i] + (F[i + 1] - F[i]) * uniform() < Math.exp(-0.5 * x * x)) {
                    return x;
                }
                long bits = mix64(state += GOLDEN_GAMMA);
                i = (int) bits & 0xFF;
                x = (((bits >> 11) + 0.5) * 0x1.0p-52) * X[i];
                if (Math.abs(x) < X[i + 1]) {
                    return x;
                }
            }
        }

        /** A uniform in (0, 1) from the top 53 bits of the next draw. */
        private double uniform() {
            return ((mix64(state += GOLDEN_GAMMA) >>> 11) + 0.5) * 0x1.0p-53;
        }

        private static double f(double x) {
            return StrictMath.exp(-0.5 * x * x);
        }

        static long mix64(long z) {
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            return z ^ (z >>> 31);
        }
    }
}
