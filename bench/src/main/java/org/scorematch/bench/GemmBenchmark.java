package org.scorematch.bench;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.scorematch.linalg.Blas;

/**
 * JMH: the engine's GEMM shape, a slab of stacked jet rows times a 128×128 weight
 * ({@code rows × 128 · (128 × 128)ᵀ}), single-threaded.
 */
@State(Scope.Thread)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GemmBenchmark extends JmhSettings {
    @Param({"512", "2048", "8192"})
    public int rows;

    private double[] h;
    private double[] w;
    private double[] z;

    /** Fills the slab and the weight with seeded values. */
    @Setup
    public void setUp() {
        h = new double[rows * 128];
        w = new double[128 * 128];
        z = new double[rows * 128];
        Arrays.fill(h, 0.5);
        Arrays.fill(w, 0.25);
    }

    /** One GEMM {@code z = h·wᵀ}. */
    @Benchmark
    public double[] slabTimesWeightTransposed() {
        Blas.gemm(false, true, rows, 128, 128, 1, h, 0, 128, w, 0, 128, 0, z, 0, 128);
        return z;
    }
}
