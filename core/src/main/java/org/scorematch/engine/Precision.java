package org.scorematch.engine;

/**
 * The arithmetic of an engine's jets: the precision of its GEMMs and elementwise rules. Whatever
 * the precision, parameters, inputs, losses and the parameter gradient stay in double: a slab's
 * gradient is summed over its rows by the GEMM in the working precision and added into the
 * double gradient, so sums over the batch, the optimiser's moments and the loss are double.
 *
 * <p>{@link #FLOAT32} halves the memory traffic and doubles the GEMM throughput of the same cores
 * (single-precision SIMD lanes are half as wide); its jets carry a relative error of a few
 * hundred units of 2⁻²⁴ (SiLU's exponential, docs/DESIGN.md §3), far below the sampling noise of
 * a stochastic gradient, which is why peers train in it.
 */
public enum Precision implements org.scorematch.Identified {
    /** IEEE binary64 throughout. */
    FLOAT64,
    /** IEEE binary32 in the engine's buffers, GEMMs and elementwise rules. */
    FLOAT32;

    /** Parses {@link #id()} ({@code float64}, {@code float32}); the error lists the ids. */
    public static Precision fromId(String id) {
        return org.scorematch.Identified.parse(Precision.class, id, "precision");
    }
}
