package org.scorematch.objective;

import java.util.random.RandomGenerator;

/**
 * Distributions of the random directions of sliced score matching. All three satisfy
 * {@code E[vvᵀ] = I}, so the sliced loss is an unbiased estimate of the exact one
 * (docs/DESIGN.md §1, §7: the unit sphere would scale the loss by 1/D).
 */
public enum Projection {
    /** Independent ±1 entries. */
    RADEMACHER("rademacher"),
    /** Independent standard normal entries. */
    GAUSSIAN("gaussian"),
    /** Uniform on the sphere of radius √D. */
    SPHERE("sphere");

    private final String id;

    Projection(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** Parses {@link #id()}; the error lists the valid names. */
    public static Projection fromId(String id) {
        for (Projection p : values()) {
            if (p.id.equalsIgnoreCase(id)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown projection '" + id + "'; expected rademacher, gaussian or sphere");
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
