package org.scorematch.train;

/**
 * The generator streams of a training run, each seeded by mixing the run's seed with a named salt,
 * so that the same seed gives the same split, initial weights, batches, noise and held-out
 * evaluation on one machine or over Spark partitions, and a resumed run draws what an
 * uninterrupted one would.
 */
public final class Seeds {
    private static final long SPLIT = 0x5eed5b1175L;
    private static final long INITIAL_WEIGHTS = 0x1417L;
    private static final long HELD_OUT = 0x0e7a1L;
    private static final long EPOCHS = 0xe90c4L;

    private Seeds() {
    }

    /**
     * A 64-bit mix of a seed and a salt: the SplitMix64 finaliser (Steele, Lea &amp; Flood 2014) of
     * {@code seed·0x9E3779B97F4A7C15 + salt·0xBF58476D1CE4E5B9}, for independent generator streams.
     */
    public static long mix(long seed, long salt) {
        long z = seed * 0x9E3779B97F4A7C15L + salt * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The stream of the training/validation split. */
    public static long split(long seed) {
        return mix(seed, SPLIT);
    }

    /** The stream of the initial weights. */
    public static long initialWeights(long seed) {
        return mix(seed, INITIAL_WEIGHTS);
    }

    /** The stream of the held-out evaluation's noise or directions (the same at every evaluation). */
    static long heldOut(long seed) {
        return mix(seed, HELD_OUT);
    }

    /** The stream of step {@code step}: its batch and its objective's noise or directions. */
    public static long step(long seed, long step) {
        return mix(seed, step);
    }

    /** The stream of the row order of pass {@code epoch} under epoch batches. */
    static long epoch(long seed, long epoch) {
        return mix(mix(seed, EPOCHS), epoch);
    }
}
