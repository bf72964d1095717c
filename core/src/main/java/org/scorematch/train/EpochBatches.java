package org.scorematch.train;

import java.util.SplittableRandom;

/**
 * The row indices of step t's batch under {@link BatchOrder#EPOCHS}: positions
 * {@code (t−1)·B … t·B − 1} of the endless sequence of permutations π₀, π₁, … of the n rows,
 * permutation e drawn from a generator seeded by (seed, e). A pure function of the step, so a
 * resumed run draws exactly the batches of an uninterrupted one; the current permutation is
 * cached because consecutive steps use the same one.
 */
final class EpochBatches {
    private final long seed;
    private final int n;
    private long cachedEpoch = -1;
    private int[] permutation;

    EpochBatches(long seed, int n) {
        this.seed = seed;
        this.n = n;
    }

    /** Fills {@code out[0..batch)} with the row indices of step {@code step} (1-based). */
    void indices(long step, int batch, int[] out) {
        long position = (step - 1) * batch;
        long epoch = position / n;
        int at = (int) (position % n);
        for (int i = 0; i < batch; i++) {
            if (epoch != cachedEpoch) {
                permutation = permutation(n, new SplittableRandom(Seeds.epoch(seed, epoch)));
                cachedEpoch = epoch;
            }
            out[i] = permutation[at];
            if (++at == n) {
                at = 0;
                epoch++;
            }
        }
    }

    /** A uniformly random permutation of 0..n−1 (Fisher–Yates). */
    static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
