package org.scorematch.engine;

import java.util.Arrays;
import org.apache.commons.numbers.gamma.Erf;
import org.scorematch.linalg.Blas;

/**
 * The engine's kernels in double precision, and the source of the single-precision ones: the
 * build writes {@code Kernels32} from this file by replacing {@code Kernels64} with
 * {@code Kernels32}, {@code FLOAT64} with {@code FLOAT32} and the word {@code double} with
 * {@code float}, except where a comment {@code /*f64*}{@code /} stands right before it (values
 * that stay double in both: callers' arrays, the gradient, sums over the batch). Hence the
 * explicit {@code (double)} casts below, which become narrowing casts there, and no double
 * literals in element arithmetic (docs/DESIGN.md §3).
 */
final class Kernels64 extends Kernels {
    /** Values a call of VectorSilu covers: 64 vectors of 16 floats, about 0.3 µs of work against a call's few ns. */
    private static final int SILU_CHUNK = 1024;
    private static final /*f64*/ double INV_SQRT2 = 1 / Math.sqrt(2);
    private static final /*f64*/ double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
    /** Rows of a bias gradient summed in the working precision before the sum is added in double. */
    private static final int BIAS_BLOCK = 64;
    /** A block's bias-gradient sums; this kernel set belongs to one workspace, so to one thread. */
    private double[] biasSums = new double[0];

    /** An array of this precision. */
    static final class Buf extends Buffer {
        /** The values; re-pointed only by {@link #loadForReading}, which makes the buffer a view. */
        double[] data;

        Buf(int length) {
            data = new double[length];
        }

        @Override
        int length() {
            return data.length;
        }
    }

    private static double[] data(Buffer b) {
        return ((Buf) b).data;
    }

    @Override
    Precision precision() {
        return Precision.FLOAT64;
    }

    @Override
    Buffer allocate(int length) {
        return new Buf(length);
    }

    @Override
    /*f64*/ double round(/*f64*/ double v) {
        return (double) v;
    }

    @Override
    /*f64*/ double get(Buffer b, int i) {
        return data(b)[i];
    }

    @Override
    void add(Buffer b, int i, /*f64*/ double v) {
        data(b)[i] += v;
    }

    @Override
    void load(/*f64*/ double[] src, int from, Buffer dst, int to, int n) {
        double[] d = data(dst);
        for (int e = 0; e < n; e++) {
            d[to + e] = (double) src[from + e];
        }
    }

    @Override
    int loadForReading(/*f64*/ double[] src, int from, int n, Buffer dst) {
        // The arrays' element types are compared at run time because this file is also the source
        // of the float kernels, where they never agree and the values are rounded as before.
        Object values = src;
        if (values instanceof double[] same) {
            ((Buf) dst).data = same;
            return from;
        }
        load(src, from, dst, 0, n);
        return 0;
    }

    @Override
    void gemmAddTo(boolean transA, boolean transB, int m, int n, int k, Buffer a, int aOffset, int lda, Buffer b,
                   int bOffset, int ldb, Buffer scratch, /*f64*/ double[] dst, int to) {
        // As in loadForReading: only the double kernels can add into the double array in the GEMM.
        Object target = dst;
        if (target instanceof double[] same) {
            Blas.gemm(transA, transB, m, n, k, 1, data(a), aOffset, lda, data(b), bOffset, ldb, 1, same, to, n);
        } else {
            gemm(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, scratch, 0, n);
            addTo(scratch, 0, dst, to, m * n);
        }
    }

    @Override
    void addFrom(/*f64*/ double[] src, int from, Buffer dst, int to, int n) {
        double[] d = data(dst);
        for (int e = 0; e < n; e++) {
            d[to + e] += src[from + e];
        }
    }

    @Override
    void store(Buffer src, int from, /*f64*/ double[] dst, int to, int n) {
        double[] s = data(src);
        for (int e = 0; e < n; e++) {
            dst[to + e] = s[from + e];
        }
    }

    @Override
    void addTo(Buffer src, int from, /*f64*/ double[] dst, int to, int n) {
        double[] s = data(src);
        for (int e = 0; e < n; e++) {
            dst[to + e] += s[from + e];
        }
    }

    @Override
    void zero(Buffer b, int from, int to) {
        Arrays.fill(data(b), from, to, 0);
    }

    @Override
    void copy(Buffer src, int from, Buffer dst, int to, int n) {
        System.arraycopy(data(src), from, data(dst), to, n);
    }

    @Override
    void gemm(boolean transA, boolean transB, int m, int n, int k, Buffer a, int aOffset, int lda, Buffer b,
              int bOffset, int ldb, Buffer c, int cOffset, int ldc) {
        Blas.gemm(transA, transB, m, n, k, 1, data(a), aOffset, lda, data(b), bOffset, ldb, 0, data(c), cOffset, ldc);
    }

    @Override
    void activate(Activation activation, Buffer zb, int n, Buffer ab, Buffer d1b, Buffer d2b, Buffer d3b,
                  boolean curvature) {
        double[] z = data(zb);
        double[] a = data(ab);
        double[] d1 = data(d1b);
        double[] d2 = data(d2b);
        double[] d3 = data(d3b);
        // A switch expression must cover every activation: a new one does not compile until its formula is here.
        int evaluated = switch (activation) {
            case SILU -> silu(z, n, a, d1, d2, d3, curvature);
            case SOFTPLUS -> softplus(z, n, a, d1, d2, d3);
            case TANH -> tanh(z, n, a, d1, d2, d3);
            case GELU -> gelu(z, n, a, d1, d2, d3);
            case RELU -> relu(z, n, a, d1, d2, d3);
        };
    }

    @Override
    void addCurvature(Activation activation, Buffer zb, int n, Buffer d2b, Buffer d3b) {
        int added = switch (activation) {
            case SILU -> siluCurvature(data(zb), n, data(d2b), data(d3b));
            // Their derivatives cost little beside their transcendental functions, so activate writes all four.
            case SOFTPLUS, TANH, GELU, RELU -> 0;
        };
    }

    private static int silu(double[] z, int n, double[] a, double[] d1, double[] d2, double[] d3, boolean curvature) {
        // In single precision with the Vector API, one pass in SIMD lanes (VectorSilu) does what siluPasses does, with
        // the same results, chunk by chunk: called once a layer, the loop would run interpreted or boxed for hundreds of
        // steps before C2 compiled it (its vectors allocate until then). As in loadForReading, the arrays' type is
        // tested at run time: this file is also the float kernels' source, and only they match.
        Object values = z;
        if (VECTORS && values instanceof float[] single) {
            for (int from = 0; from < n; from += SILU_CHUNK) {
                int to = Math.min(n, from + SILU_CHUNK);
                siluPasses(z, VectorSilu.silu(single, from, to, (float[]) (Object) a, (float[]) (Object) d1,
                        (float[]) (Object) d3), to, a, d1, d3);
            }
        } else {
            siluPasses(z, 0, n, a, d1, d3);
        }
        return curvature ? siluCurvature(z, n, d2, d3) : n;
    }

    /** SiLU's value, σ′ and sigmoid (in d3) over {@code [from, to)}. */
    private static void siluPasses(double[] z, int from, int to, double[] a, double[] d1, double[] d3) {
        // d3 holds e^(−z), then the sigmoid s (kept for siluCurvature), then σ‴: short loops vectorise, one long loop does not.
        VectorExp.negExp(z, from, to, d3);
        for (int e = from; e < to; e++) {
            double x = z[e];
            double s = 1 / (1 + d3[e]);
            a[e] = x * s;
            d1[e] = s * (1 + x * (1 - s));
            d3[e] = s;
        }
    }

    /** SiLU's σ″ and σ‴ from z and the sigmoid that {@link #silu} left in {@code d3}. */
    private static int siluCurvature(double[] z, int n, double[] d2, double[] d3) {
        for (int e = 0; e < n; e++) {
            double x = z[e];
            double s = d3[e];
            double p = s * (1 - s);
            double r = 1 - 2 * s;
            d2[e] = p * (2 + x * r);
            d3[e] = p * (r * (3 + x * r) - 2 * x * p);
        }
        return n;
    }

    private static int softplus(double[] z, int n, double[] a, double[] d1, double[] d2, double[] d3) {
        for (int e = 0; e < n; e++) {
            double x = z[e];
            // Branch-free (signs of pre-activations are random, so a branch mispredicts): exp(−x) = ∞ gives 0.
            double s = (double) (1 / (1 + Math.exp(-x)));
            double p = s * (1 - s);
            a[e] = (double) (Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))));
            d1[e] = s;
            d2[e] = p;
            d3[e] = p * (1 - 2 * s);
        }
        return n;
    }

    private static int tanh(double[] z, int n, double[] a, double[] d1, double[] d2, double[] d3) {
        for (int e = 0; e < n; e++) {
            double t = (double) Math.tanh(z[e]);
            double q = 1 - t * t;
            a[e] = t;
            d1[e] = q;
            d2[e] = -2 * t * q;
            d3[e] = q * (6 * t * t - 2);
        }
        return n;
    }

    private static int gelu(double[] z, int n, double[] a, double[] d1, double[] d2, double[] d3) {
        for (int e = 0; e < n; e++) {
            double x = z[e];
            double cdf = (double) ((1 + Erf.value(x * INV_SQRT2)) / 2);
            double pdf = (double) (Math.exp(-(x * x) / 2) * INV_SQRT_2PI);
            a[e] = x * cdf;
            d1[e] = cdf + x * pdf;
            d2[e] = pdf * (2 - x * x);
            d3[e] = pdf * x * (x * x - 4);
        }
        return n;
    }

    private static int relu(double[] z, int n, double[] a, double[] d1, double[] d2, double[] d3) {
        for (int e = 0; e < n; e++) {
            double x = z[e];
            a[e] = Math.max(x, 0);
            d1[e] = x > 0 ? 1 : 0;
        }
        Arrays.fill(d2, 0, n, 0);
        Arrays.fill(d3, 0, n, 0);
        return n;
    }

    @Override
    void activateForward(JetPass p, int wd, Buffer zb, Buffer ab, Buffer d1b, Buffer d2b, Buffer sqb) {
        activateForward(p, wd, data(zb), data(ab), data(d1b), data(d2b), data(sqb));
    }

    private static void activateForward(JetPass p, int wd, double[] z, double[] a, double[] s1, double[] s2,
                                        double[] sq) {
        int k = p.k;
        boolean second = p.second;
        for (int b = 0; b < p.nb; b++) {
            int vb = b * wd;
            if (second) {
                Arrays.fill(sq, vb, vb + wd, 0);
            }
            for (int d = 0; d < k; d++) {
                int r = p.tangentRow(b, d) * wd;
                int j0 = VECTORS ? VectorLoops64.tangentForward(z, a, s1, sq, r, vb, wd, second) : 0;
                if (second) {
                    for (int j = j0; j < wd; j++) {
                        double zt = z[r + j];
                        a[r + j] = s1[vb + j] * zt;
                        sq[vb + j] += zt * zt;
                    }
                } else {
                    for (int j = j0; j < wd; j++) {
                        a[r + j] = s1[vb + j] * z[r + j];
                    }
                }
            }
            if (second) {
                int r = p.secondRow(b) * wd;
                int j0 = VECTORS ? VectorLoops64.secondForward(z, a, s1, s2, sq, r, vb, wd) : 0;
                for (int j = j0; j < wd; j++) {
                    a[r + j] = s2[vb + j] * sq[vb + j] + s1[vb + j] * z[r + j];
                }
            }
        }
    }

    @Override
    void activateReverse(JetPass p, int wd, Buffer zb, Buffer gb, Buffer gzb, Buffer d1b, Buffer d2b, Buffer d3b,
                         Buffer sqb, Buffer sumAdjTanb, Buffer curvatureb) {
        activateReverse(p, wd, data(zb), data(gb), data(gzb), data(d1b), data(d2b), data(d3b), data(sqb),
                data(sumAdjTanb), data(curvatureb));
    }

    private static void activateReverse(JetPass p, int wd, double[] z, double[] g, double[] gz, double[] s1,
                                        double[] s2, double[] s3, double[] sq, double[] sumAdjTan,
                                        double[] curvatureCoef) {
        int k = p.k;
        boolean second = p.second;
        if (k == 0 && !second) {
            // Value rows only: z̄ = āσ′, the rows contiguous from 0 (and σ″, σ‴ possibly never computed).
            for (int e = 0, n = p.nb * wd; e < n; e++) {
                gz[e] = g[e] * s1[e];
            }
            return;
        }
        for (int b = 0; b < p.nb; b++) {
            int vb = b * wd;
            int sr = second ? p.secondRow(b) * wd : -1;
            Arrays.fill(sumAdjTan, 0, wd, 0);
            if (second) {
                for (int j = 0; j < wd; j++) {
                    curvatureCoef[j] = 2 * g[sr + j] * s2[vb + j];
                }
            } else {
                Arrays.fill(curvatureCoef, 0, wd, 0);
            }
            for (int d = 0; d < k; d++) {
                int r = p.tangentRow(b, d) * wd;
                int j0 = VECTORS ? VectorLoops64.tangentReverse(z, g, gz, s1, sumAdjTan, curvatureCoef, r, vb, wd) : 0;
                for (int j = j0; j < wd; j++) {
                    double zt = z[r + j];
                    double gt = g[r + j];
                    sumAdjTan[j] += gt * zt;
                    gz[r + j] = gt * s1[vb + j] + curvatureCoef[j] * zt;
                }
            }
            int j0 = VECTORS ? VectorLoops64.valueReverse(z, g, gz, s1, s2, s3, sq, sumAdjTan, vb, sr, wd) : 0;
            if (second) {
                for (int j = j0; j < wd; j++) {
                    double gs = g[sr + j];
                    gz[vb + j] = g[vb + j] * s1[vb + j] + s2[vb + j] * sumAdjTan[j]
                            + gs * (s3[vb + j] * sq[vb + j] + s2[vb + j] * z[sr + j]);
                    gz[sr + j] = gs * s1[vb + j];
                }
            } else {
                for (int j = j0; j < wd; j++) {
                    gz[vb + j] = g[vb + j] * s1[vb + j] + s2[vb + j] * sumAdjTan[j];
                }
            }
        }
    }

    @Override
    void addBias(JetPass p, int o, int biasOffset, Buffer zb) {
        double[] z = data(zb);
        double[] w = data(p.weights);
        for (int b = 0; b < p.nb; b++) {
            addRow(z, b * o, w, biasOffset, o);
        }
    }

    /** {@code dst[d+j] += src[s+j]} for {@code 0 ≤ j < n}, in SIMD lanes where the module is present. */
    private static void addRow(double[] dst, int d, double[] src, int s, int n) {
        int j0 = VECTORS ? VectorLoops64.addRow(dst, d, src, s, n) : 0;
        for (int j = j0; j < n; j++) {
            dst[d + j] += src[s + j];
        }
    }

    @Override
    void addBiasGradient(JetPass p, int o, Buffer gb, /*f64*/ double[] grad, int biasOffset) {
        double[] g = data(gb);
        if (biasSums.length < o) {
            biasSums = new double[o];
        }
        double[] sums = biasSums;
        // Rows summed a block at a time in the working precision, in SIMD lanes, and each block's sum
        // added in double: a row at a time into the double gradient ran one scalar conversion and
        // add per value.
        for (int b0 = 0; b0 < p.nb; b0 += BIAS_BLOCK) {
            int b1 = Math.min(p.nb, b0 + BIAS_BLOCK);
            System.arraycopy(g, b0 * o, sums, 0, o);
            for (int b = b0 + 1; b < b1; b++) {
                addRow(sums, 0, g, b * o, o);
            }
            for (int j = 0; j < o; j++) {
                grad[biasOffset + j] += sums[j];
            }
        }
    }

    @Override
    void halfSquaredNormForward(JetPass p, int wd, Buffer zb, Buffer eb) {
        double[] z = data(zb);
        double[] e = data(eb);
        for (int b = 0; b < p.nb; b++) {
            int vb = b * wd;
            double value = 0;
            double curvature = 0;
            for (int j = 0; j < wd; j++) {
                value += z[vb + j] * z[vb + j];
            }
            for (int d = 0; d < p.k; d++) {
                int r = p.tangentRow(b, d) * wd;
                double dot = 0;
                for (int j = 0; j < wd; j++) {
                    dot += z[vb + j] * z[r + j];
                    curvature += z[r + j] * z[r + j];
                }
                e[p.tangentRow(b, d)] = dot;
            }
            e[b] = value / 2;
            if (p.second) {
                int r = p.secondRow(b) * wd;
                for (int j = 0; j < wd; j++) {
                    curvature += z[vb + j] * z[r + j];
                }
                e[p.secondRow(b)] = curvature;
            }
        }
    }

    @Override
    void halfSquaredNormReverse(JetPass p, int wd, Buffer zb, Buffer gb, Buffer gzb) {
        double[] z = data(zb);
        double[] g = data(gb);
        double[] gz = data(gzb);
        boolean second = p.second;
        for (int b = 0; b < p.nb; b++) {
            int vb = b * wd;
            double gValue = g[b];
            double gSecond = second ? g[p.secondRow(b)] : 0;
            int sr = second ? p.secondRow(b) * wd : -1;
            for (int j = 0; j < wd; j++) {
                gz[vb + j] = gValue * z[vb + j] + (second ? gSecond * z[sr + j] : 0);
            }
            for (int d = 0; d < p.k; d++) {
                int r = p.tangentRow(b, d) * wd;
                double gt = g[p.tangentRow(b, d)];
                for (int j = 0; j < wd; j++) {
                    gz[vb + j] += gt * z[r + j];
                    gz[r + j] = gt * z[vb + j] + 2 * gSecond * z[r + j];
                }
            }
            if (second) {
                for (int j = 0; j < wd; j++) {
                    gz[sr + j] = gSecond * z[vb + j];
                }
            }
        }
    }

    @Override
    void basisTangents(JetPass p, int in, int o, int weightOffset, Buffer blockb, Buffer zb) {
        double[] w = data(p.weights);
        double[] block = data(blockb);
        for (int d = 0; d < p.k; d++) {
            int col = p.k0 + d;
            for (int j = 0; j < o; j++) {
                block[d * o + j] = w[weightOffset + j * in + col];
            }
        }
        for (int b = 0; b < p.nb; b++) {
            System.arraycopy(block, 0, data(zb), p.tangentRow(b, 0) * o, p.k * o);
        }
    }

    @Override
    void basisGradient(JetPass p, int in, int o, int weightOffset, Buffer gb, /*f64*/ double[] sums,
                       /*f64*/ double[] grad) {
        double[] g = data(gb);
        Arrays.fill(sums, 0, p.k * o, 0);
        for (int b = 0; b < p.nb; b++) {
            int from = p.tangentRow(b, 0) * o;
            for (int e = 0; e < p.k * o; e++) {
                sums[e] += g[from + e];
            }
        }
        for (int d = 0; d < p.k; d++) {
            int col = p.k0 + d;
            for (int j = 0; j < o; j++) {
                grad[weightOffset + j * in + col] += sums[d * o + j];
            }
        }
    }
}
