package org.scorematch.objective;

import java.util.random.RandomGenerator;

/**
 * Distributions of the random directions of sliced score matching. All three satisfy
 * {@code E[vvᵀ] = I}, so the sliced loss is an unbiased estimate of the exact one
 * (docs/DESIGN.md §1, §7: the unit sphere would scale the loss by 1/D).
 */
public enum Projection implements org.scorematch.Identified {
    /** Independent ±1 entries. */
    RADEMACHER,
    /** Independent standard normal entries. */
    GAUSSIAN,
    /** Uniform on the sphere of radius √D. */
    SPHERE;

    /** Parses {@link #id()}; the error lists the ids. */
    public static Projection fromId(String id) {
        return org.scorematch.Identified.parse(Projection.class, id, "projection");
    }

    /** Fills {@code v[offset .. offset+dim)} with one fresh direction drawn from {@code rng}. */
    public void draw(double[] v, int offset, int dim, RandomGenerator rng) {
        switch (this) {
            case RADEMACHER -> {
                for (int i = 0; i < dim; i++) {
                    v[offset + i] = rng.nextBoolean() ? 1.0 : -1.0;
                }
            }
            case GAUSSIAN -> {
                for (int i = 0; i < dim; i++) {
                    v[offset + i] = rng.nextGaussian();
                }
            }
            case SPHERE -> {
                double norm2;
                do {
                    norm2 = 0;
                    for (int i = 0; i < dim; i++) {
                        double g = rng.nextGaussian();
                        v[offset + i] = g;
                        norm2 += g * g;
                    }
                } while (norm2 == 0);
                double scale = Math.sqrt(dim / norm2);
                for (int i = 0; i < dim; i++) {
                    v[offset + i] *= scale;
                }
            }
        }
    }
}
