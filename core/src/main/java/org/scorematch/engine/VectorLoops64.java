package org.scorematch.engine;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The jet rules' inner loops over a layer's units in SIMD lanes (the incubating Vector API of
 * JDK 17), for {@link Kernels64}; the build writes {@code VectorLoops32} from this file as it
 * writes {@code Kernels32}. C2 does not vectorise these loops by itself because their arrays are
 * read at different row offsets. Each method runs whole vectors from index 0 and returns where
 * the caller's scalar loop takes over, so the tail, and the whole loop where the module is absent
 * ({@link Kernels#VECTORS}), runs the caller's scalar code. Every lane performs the scalar code's
 * IEEE operations in the same order, so results are bit for bit those of the scalar loops. Only
 * the basic arithmetic qualifies: the API's lane-wise transcendental functions ({@code EXP} and
 * the like) give SVML's results once C2 has compiled the caller and a per-lane fallback's before,
 * so a run's numbers would depend on the compiler's timing (a bitwise resume test caught it).
 */
final class VectorLoops64 {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

    private VectorLoops64() {
    }

    /** {@code dst[d+j] += src[s+j]} for {@code 0 ≤ j < n} (a bias added to a row). */
    static int addRow(double[] dst, int d, double[] src, int s, int n) {
        int bound = S.loopBound(n);
        for (int j = 0; j < bound; j += S.length()) {
            DoubleVector.fromArray(S, dst, d + j).add(DoubleVector.fromArray(S, src, s + j)).intoArray(dst, d + j);
        }
        return bound;
    }

    /** {@code a[r+j] = s1[vb+j]·z[r+j]}, and {@code sq[vb+j] += z[r+j]²} when {@code second}. */
    static int tangentForward(double[] z, double[] a, double[] s1, double[] sq, int r, int vb, int wd,
                              boolean second) {
        int bound = S.loopBound(wd);
        for (int j = 0; j < bound; j += S.length()) {
            DoubleVector zt = DoubleVector.fromArray(S, z, r + j);
            DoubleVector.fromArray(S, s1, vb + j).mul(zt).intoArray(a, r + j);
            if (second) {
                DoubleVector.fromArray(S, sq, vb + j).add(zt.mul(zt)).intoArray(sq, vb + j);
            }
        }
        return bound;
    }

    /** {@code a[r+j] = s2[vb+j]·sq[vb+j] + s1[vb+j]·z[r+j]}. */
    static int secondForward(double[] z, double[] a, double[] s1, double[] s2, double[] sq, int r, int vb, int wd) {
        int bound = S.loopBound(wd);
        for (int j = 0; j < bound; j += S.length()) {
            DoubleVector curvature = DoubleVector.fromArray(S, s2, vb + j).mul(DoubleVector.fromArray(S, sq, vb + j));
            curvature.add(DoubleVector.fromArray(S, s1, vb + j).mul(DoubleVector.fromArray(S, z, r + j)))
                    .intoArray(a, r + j);
        }
        return bound;
    }

    /** {@code sum[j] += g[r+j]·z[r+j]; gz[r+j] = g[r+j]·s1[vb+j] + c[j]·z[r+j]}. */
    static int tangentReverse(double[] z, double[] g, double[] gz, double[] s1, double[] sum, double[] c, int r,
                              int vb, int wd) {
        int bound = S.loopBound(wd);
        for (int j = 0; j < bound; j += S.length()) {
            DoubleVector zt = DoubleVector.fromArray(S, z, r + j);
            DoubleVector gt = DoubleVector.fromArray(S, g, r + j);
            DoubleVector.fromArray(S, sum, j).add(gt.mul(zt)).intoArray(sum, j);
            gt.mul(DoubleVector.fromArray(S, s1, vb + j)).add(DoubleVector.fromArray(S, c, j).mul(zt))
                    .intoArray(gz, r + j);
        }
        return bound;
    }

    /**
     * The value row's adjoint {@code gz[vb+j] = g[vb+j]·s1[vb+j] + s2[vb+j]·sum[j]}, plus, with a
     * second-order row at {@code sr ≥ 0}, {@code + g[sr+j]·(s3[vb+j]·sq[vb+j] + s2[vb+j]·z[sr+j])}
     * and {@code gz[sr+j] = g[sr+j]·s1[vb+j]}.
     */
    static int valueReverse(double[] z, double[] g, double[] gz, double[] s1, double[] s2, double[] s3, double[] sq,
                            double[] sum, int vb, int sr, int wd) {
        int bound = S.loopBound(wd);
        for (int j = 0; j < bound; j += S.length()) {
            DoubleVector d1 = DoubleVector.fromArray(S, s1, vb + j);
            DoubleVector d2 = DoubleVector.fromArray(S, s2, vb + j);
            DoubleVector value = DoubleVector.fromArray(S, g, vb + j).mul(d1)
                    .add(d2.mul(DoubleVector.fromArray(S, sum, j)));
            if (sr >= 0) {
                DoubleVector gs = DoubleVector.fromArray(S, g, sr + j);
                DoubleVector inner = DoubleVector.fromArray(S, s3, vb + j).mul(DoubleVector.fromArray(S, sq, vb + j))
                        .add(d2.mul(DoubleVector.fromArray(S, z, sr + j)));
                value = value.add(gs.mul(inner));
                gs.mul(d1).intoArray(gz, sr + j);
            }
            value.intoArray(gz, vb + j);
        }
        return bound;
    }

    /** Whether {@code |z[e]| ≤ bound} for every {@code from ≤ e < to}; false if any is NaN. */
    static boolean withinMagnitude(double[] z, int from, int to, double bound) {
        DoubleVector limit = DoubleVector.broadcast(S, bound);
        int e = from;
        for (int end = from + S.loopBound(to - from); e < end; e += S.length()) {
            if (!DoubleVector.fromArray(S, z, e).abs().compare(VectorOperators.LE, limit).allTrue()) {
                return false;
            }
        }
        for (; e < to; e++) {
            if (!(Math.abs(z[e]) <= bound)) {
                return false;
            }
        }
        return true;
    }
}
