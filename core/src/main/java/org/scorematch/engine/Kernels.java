package org.scorematch.engine;

/**
 * Every loop of the engine that touches its working-precision buffers, behind one interface per
 * precision: allocation, conversion from and to the double arrays of callers, GEMM, the
 * activations and the elementwise jet rules (docs/DESIGN.md §2–3). The rules say which rows and
 * which formula; a kernel runs it in its precision, so the engine exists once.
 *
 * <p>{@link Kernels64} is written by hand; the build generates {@code Kernels32} from it by
 * replacing its element type (docs/DESIGN.md §3), so the two cannot drift apart. An instance
 * belongs to one workspace (one thread) and may keep scratch of its own.
 */
abstract class Kernels {
    /**
     * Whether the jet rules' loops over units run in SIMD lanes ({@code VectorLoops64} and
     * {@code VectorLoops32}): when the JVM was started with {@code --add-modules
     * jdk.incubator.vector} (the launcher, surefire and the Spark docs pass it), unless
     * {@code -Dscorematch.vector=false}. Otherwise the scalar loops run, with the same results
     * bit for bit.
     */
    static final boolean VECTORS = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !"false".equals(System.getProperty("scorematch.vector"));

    /** New kernels of {@code precision}, for one workspace. */
    static Kernels of(Precision precision) {
        return switch (precision) {
            case FLOAT64 -> new Kernels64();
            case FLOAT32 -> new Kernels32();
        };
    }

    /** The precision these kernels compute in. */
    abstract Precision precision();

    /** A zeroed buffer of {@code length} elements. */
    abstract Buffer allocate(int length);

    /** {@code v} rounded to the precision (the nearest value a buffer can hold), widened back to double. */
    abstract double round(double v);

    /** Element {@code i}, widened to double. */
    abstract double get(Buffer b, int i);

    /** {@code b[i] += v}, rounded to the precision. */
    abstract void add(Buffer b, int i, double v);

    /** {@code dst[to + e] = src[from + e]} rounded to the precision, {@code 0 ≤ e < n}. */
    abstract void load(double[] src, int from, Buffer dst, int to, int n);

    /** {@code dst[to + e] = src[from + e]}, {@code 0 ≤ e < n}. */
    abstract void store(Buffer src, int from, double[] dst, int to, int n);

    /** {@code dst[to + e] += src[from + e]}, rounded to the precision, {@code 0 ≤ e < n}. */
    abstract void addFrom(double[] src, int from, Buffer dst, int to, int n);

    /** {@code dst[to + e] += src[from + e]} in double, {@code 0 ≤ e < n}. */
    abstract void addTo(Buffer src, int from, double[] dst, int to, int n);

    /** {@code b[e] = 0} for {@code from ≤ e < to}. */
    abstract void zero(Buffer b, int from, int to);

    /** {@code dst[to + e] = src[from + e]}, {@code 0 ≤ e < n}. */
    abstract void copy(Buffer src, int from, Buffer dst, int to, int n);

    /**
     * {@code dst} made to hold {@code src[from, from + n)} in this precision for the GEMMs to read,
     * and the offset in {@code dst} where {@code src[from]} now lies: where the precisions agree
     * (double) {@code dst} becomes a view of {@code src} itself, read while the pass lasts and never
     * written, and the offset is {@code from}; otherwise the values are rounded into {@code dst}
     * from 0.
     */
    abstract int loadForReading(double[] src, int from, int n, Buffer dst);

    /**
     * {@code dst[to + i·n + j] += (op(A)·op(B))[i][j]} for the row-major m×n product of
     * {@code op(A)} m×k and {@code op(B)} k×n: where {@code dst}'s precision is this one's (double),
     * one GEMM adds into {@code dst} itself; otherwise the product goes through {@code scratch}
     * (m·n values) and is added in double.
     */
    abstract void gemmAddTo(boolean transA, boolean transB, int m, int n, int k, Buffer a, int aOffset, int lda,
                            Buffer b, int bOffset, int ldb, Buffer scratch, double[] dst, int to);

    /**
     * Row-major {@code C = op(A)·op(B)} with {@code op(A)} m×k and {@code op(B)} k×n; {@code lda},
     * {@code ldb}, {@code ldc} are the row strides as stored.
     */
    abstract void gemm(boolean transA, boolean transB, int m, int n, int k, Buffer a, int aOffset, int lda,
                       Buffer b, int bOffset, int ldb, Buffer c, int cOffset, int ldc);

    /**
     * {@code σ, σ′, σ″, σ‴} of {@code z[0..n)} into {@code a, d1, d2, d3} for {@code activation}
     * (SiLU {@code z·s(z)}, softplus {@code log(1 + eᶻ)} without overflow, tanh, GELU
     * {@code z·Φ(z)}, ReLU), one loop per activation so the JIT sees a single formula. Without
     * {@code curvature} only {@code σ, σ′} are promised, and {@code d2, d3} hold whatever
     * {@link #addCurvature} needs to complete them.
     */
    abstract void activate(Activation activation, Buffer z, int n, Buffer a, Buffer d1, Buffer d2, Buffer d3,
                           boolean curvature);

    /** {@code σ″, σ‴} into {@code d2, d3} after {@link #activate} without curvature on the same {@code z}. */
    abstract void addCurvature(Activation activation, Buffer z, int n, Buffer d2, Buffer d3);

    /** {@link ActivateRule}'s forward jet rule over the pass's tangent and second-order rows. */
    abstract void activateForward(JetPass p, int width, Buffer z, Buffer a, Buffer d1, Buffer d2,
                                  Buffer tangentSquares);

    /** {@link ActivateRule}'s reverse jet rule. */
    abstract void activateReverse(JetPass p, int width, Buffer z, Buffer g, Buffer gz, Buffer d1, Buffer d2,
                                  Buffer d3, Buffer tangentSquares, Buffer sumAdjointTangent,
                                  Buffer curvatureCoefficient);

    /** Adds the bias {@code weights[biasOffset..+width)} to the value rows of {@code z}. */
    abstract void addBias(JetPass p, int width, int biasOffset, Buffer z);

    /** Adds the sum over the value rows of {@code g} into {@code grad[biasOffset..+width)}, in double. */
    abstract void addBiasGradient(JetPass p, int width, Buffer g, double[] grad, int biasOffset);

    /** {@link HalfSquaredNormRule}'s forward jet rule. */
    abstract void halfSquaredNormForward(JetPass p, int width, Buffer z, Buffer e);

    /** {@link HalfSquaredNormRule}'s reverse jet rule. */
    abstract void halfSquaredNormReverse(JetPass p, int width, Buffer z, Buffer g, Buffer gz);

    /**
     * The first layer's tangents along basis vectors {@code k0..k0+k−1}: columns of W₁
     * ({@code weights} from {@code weightOffset}, out × in), copied into {@code block} (k × out)
     * once and from there into every sample's tangent rows of {@code z}.
     */
    abstract void basisTangents(JetPass p, int in, int out, int weightOffset, Buffer block, Buffer z);

    /**
     * Adds {@code W̄[j, k0+d] += Σ_b ż̄[b, d, j]} into {@code grad}: the samples' tangent adjoints
     * summed in double into {@code sums} (k × out), then scattered into W₁'s columns.
     */
    abstract void basisGradient(JetPass p, int in, int out, int weightOffset, Buffer g, double[] sums,
                                double[] grad);
}
