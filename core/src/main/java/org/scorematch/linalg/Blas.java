package org.scorematch.linalg;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import java.lang.System.Logger.Level;
import java.util.Map;

/**
 * Row-major GEMM (double and single precision) through the best BLAS that loads, chosen once per JVM.
 *
 * <p>Order of preference: the OpenBLAS shipped in the {@code org.bytedeco:openblas} jar
 * (native, works on a fresh machine), called through {@code dev.ludovic.netlib}'s JNI layer,
 * which pins Java arrays instead of copying them; then whatever {@code dev.ludovic.netlib}
 * finds on its own (a system {@code libblas.so.3}, else its pure-Java kernels). The choice is
 * logged once and reported by {@link #description()}. The system property
 * {@code scorematch.blas=java} forces the pure-Java path (used to test the fallback).
 *
 * <p>OpenBLAS is kept single-threaded: the engine parallelises over the batch itself, which
 * measured faster than threaded GEMMs on small slabs (docs/DESIGN.md §3).
 */
public final class Blas {
    private static final System.Logger LOG = System.getLogger(Blas.class.getName());
    private static final BLAS IMPL;
    private static final String DESCRIPTION;
    /**
     * Whether GEMMs add their wall time to {@link #gemmNanos()} (system property
     * {@code scorematch.gemm-timing=true}; the benchmarks' share of a step spent in GEMMs).
     */
    private static final boolean TIMED = Boolean.getBoolean("scorematch.gemm-timing");
    private static final java.util.concurrent.atomic.LongAdder GEMM_NANOS = new java.util.concurrent.atomic.LongAdder();

    static {
        BLAS chosen = null;
        String description = null;
        if (!"java".equals(System.getProperty("scorematch.blas"))) {
            try {
                String path = loadShippedOpenBlas();
                System.setProperty("dev.ludovic.netlib.blas.nativeLibPath", path);
                chosen = NativeBLAS.getInstance();
                org.bytedeco.openblas.global.openblas_nolapack.blas_set_num_threads(1);
                String coreType = System.getenv("OPENBLAS_CORETYPE");
                description = "native OpenBLAS " + org.bytedeco.openblas.global.openblas_nolapack.OPENBLAS_VERSION.trim()
                        + " from org.bytedeco:openblas via dev.ludovic.netlib JNI, kernels "
                        + (coreType == null ? "auto-detected" : "OPENBLAS_CORETYPE=" + coreType);
            } catch (Throwable e) {
                LOG.log(Level.DEBUG, "shipped OpenBLAS did not load", e);
                chosen = null;
            }
            if (chosen == null) {
                try {
                    chosen = NativeBLAS.getInstance();
                    description = "native system BLAS via dev.ludovic.netlib (" + chosen.getClass().getSimpleName() + ")";
                } catch (Throwable e) {
                    LOG.log(Level.DEBUG, "no native system BLAS", e);
                }
            }
        }
        if (chosen == null) {
            chosen = JavaBLAS.getInstance();
            description = "pure-Java BLAS from dev.ludovic.netlib (" + chosen.getClass().getSimpleName() + "); "
                    + ("java".equals(System.getProperty("scorematch.blas")) ? "chosen by -Dscorematch.blas=java"
                    : "native OpenBLAS did not load") + ", expect slower training";
        }
        IMPL = chosen;
        DESCRIPTION = description;
        LOG.log(Level.INFO, "BLAS: " + DESCRIPTION);
    }

    private Blas() {
    }

    private static String loadShippedOpenBlas() {
        org.bytedeco.javacpp.Loader.load(org.bytedeco.openblas.global.openblas_nolapack.class);
        Map<String, String> loaded = org.bytedeco.javacpp.Loader.getLoadedLibraries();
        for (Map.Entry<String, String> e : loaded.entrySet()) {
            String path = e.getValue();
            if (path != null && path.contains("libopenblas_nolapack.so")) {
                return path;
            }
        }
        throw new IllegalStateException("libopenblas_nolapack not among loaded libraries " + loaded);
    }

    /** Which BLAS runs GEMM in this JVM, in words (for logs and benchmark reports). */
    public static String description() {
        return DESCRIPTION;
    }

    /**
     * Nanoseconds spent inside GEMMs by all threads since the JVM started, when the property
     * {@code scorematch.gemm-timing} is {@code true}; zero otherwise.
     */
    public static long gemmNanos() {
        return GEMM_NANOS.sum();
    }

    /** True when GEMM runs in native code rather than the pure-Java fallback. */
    public static boolean isNative() {
        return !(IMPL instanceof JavaBLAS);
    }

    /**
     * Row-major {@code C ← α·op(A)·op(B) + β·C}, where {@code op(A)} is m×k and {@code op(B)} is
     * k×n. {@code lda}, {@code ldb}, {@code ldc} are row strides of the arrays as stored.
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                            double[] a, int aOffset, int lda, double[] b, int bOffset, int ldb,
                            double beta, double[] c, int cOffset, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        long start = TIMED ? System.nanoTime() : 0;
        // A row-major matrix is its transpose in column-major order: C^T = op(B)^T op(A)^T.
        IMPL.dgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k, alpha,
                b, bOffset, ldb, a, aOffset, lda, beta, c, cOffset, ldc);
        if (TIMED) {
            GEMM_NANOS.add(System.nanoTime() - start);
        }
    }

    /** {@link #gemm(boolean, boolean, int, int, int, double, double[], int, int, double[], int, int, double, double[], int, int)} in single precision. */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                            float beta, float[] c, int cOffset, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        long start = TIMED ? System.nanoTime() : 0;
        IMPL.sgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k, alpha,
                b, bOffset, ldb, a, aOffset, lda, beta, c, cOffset, ldc);
        if (TIMED) {
            GEMM_NANOS.add(System.nanoTime() - start);
        }
    }
}
