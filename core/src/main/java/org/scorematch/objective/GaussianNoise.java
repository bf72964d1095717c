package org.scorematch.objective;

import org.scorematch.engine.Engine;
import org.scorematch.engine.NormalDeviates;

/**
 * The noisy batch of denoising, {@code x̃ᵢ = mᵢxᵢ + σᵢεᵢ} with {@code ε ~ N(0, I)}, drawn on the
 * engine's threads. The n·D values are cut into blocks of {@link #BLOCK}; block k holds the
 * deviates of block k of the seed's stream ({@link NormalDeviates}), so the noise depends on the
 * seed and not on the thread count, the slab size or which thread drew which block.
 */
final class GaussianNoise {
    /** Values per block: enough to amortise a thread hand-off (5–12 µs of draws), few enough to split a small batch. */
    static final int BLOCK = 4096;

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
        for (int b = fromBlock; b < toBlock; b++) {
            int start = b * BLOCK;
            int end = Math.min(start + BLOCK, total);
            NormalDeviates.fill(seed, b, eps, start, end - start);
            int row = start / d;
            int c = start - row * d;
            for (int i = start; i < end; ) {
                double m = means == null ? 1 : means[row];
                double s = sigmas[row];
                int rowEnd = Math.min(end, i + d - c);
                for (; i < rowEnd; i++) {
                    noisy[i] = m * x[i] + s * eps[i];
                }
                row++;
                c = 0;
            }
        }
    }
}
