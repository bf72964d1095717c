package org.scorematch.engine;

import static org.scorematch.engine.VectorExp.BOUND;
import static org.scorematch.engine.VectorExp.C0;
import static org.scorematch.engine.VectorExp.C1;
import static org.scorematch.engine.VectorExp.C10;
import static org.scorematch.engine.VectorExp.C11;
import static org.scorematch.engine.VectorExp.C12;
import static org.scorematch.engine.VectorExp.C13;
import static org.scorematch.engine.VectorExp.C14;
import static org.scorematch.engine.VectorExp.C15;
import static org.scorematch.engine.VectorExp.C16;
import static org.scorematch.engine.VectorExp.C2;
import static org.scorematch.engine.VectorExp.C3;
import static org.scorematch.engine.VectorExp.C4;
import static org.scorematch.engine.VectorExp.C5;
import static org.scorematch.engine.VectorExp.C6;
import static org.scorematch.engine.VectorExp.C7;
import static org.scorematch.engine.VectorExp.C8;
import static org.scorematch.engine.VectorExp.C9;
import static org.scorematch.engine.VectorExp.F2;
import static org.scorematch.engine.VectorExp.F3;
import static org.scorematch.engine.VectorExp.F4;
import static org.scorematch.engine.VectorExp.F5;
import static org.scorematch.engine.VectorExp.F6;
import static org.scorematch.engine.VectorExp.F7;
import static org.scorematch.engine.VectorExp.F_BOUND;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SiLU's forward pass, {@code s = 1/(1 + e^(−z))}, {@code a = z·s} and {@code σ′ = s(1 + z(1 − s))},
 * in one pass in SIMD lanes (the Vector API), for the kernels' {@code silu} when the module is
 * present ({@link Kernels#VECTORS}). The scalar code makes four passes over the layer — the
 * exponential's polynomial, its squarings and its range test ({@link VectorExp}), then the
 * sigmoid — because C2 vectorises only short loop bodies; here each value is loaded once and its
 * three results stored once. Every lane performs the scalar code's IEEE operations in the same
 * order (the same polynomial, the same squarings, the same division), so the results are the
 * scalar code's bit for bit, in both precisions.
 *
 * <p>Each method runs whole vectors from index 0 and stops before the first vector holding a value
 * outside the polynomial's range (|z| above {@link VectorExp#BOUND} or {@link VectorExp#F_BOUND},
 * or NaN), which the scalar code sends to {@code Math.exp}; it returns where the caller's scalar
 * passes take over.
 */
final class VectorSilu {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private VectorSilu() {
    }

    /** Writes {@code a}, {@code d1} and the sigmoid {@code s} for a prefix of {@code z[0, n)}; returns its end. */
    static int silu(double[] z, int n, double[] a, double[] d1, double[] s) {
        int bound = D.loopBound(n);
        int e = 0;
        for (; e < bound; e += D.length()) {
            DoubleVector x = DoubleVector.fromArray(D, z, e);
            if (!x.abs().compare(VectorOperators.LE, BOUND).allTrue()) {
                break;
            }
            DoubleVector y = x.mul(-1.0 / 1024);
            DoubleVector p = y.mul(C16).add(C15);
            p = p.mul(y).add(C14);
            p = p.mul(y).add(C13);
            p = p.mul(y).add(C12);
            p = p.mul(y).add(C11);
            p = p.mul(y).add(C10);
            p = p.mul(y).add(C9);
            p = p.mul(y).add(C8);
            p = p.mul(y).add(C7);
            p = p.mul(y).add(C6);
            p = p.mul(y).add(C5);
            p = p.mul(y).add(C4);
            p = p.mul(y).add(C3);
            p = p.mul(y).add(C2);
            p = p.mul(y).add(C1);
            p = p.mul(y).add(C0);
            // Ten squarings, written out: a vector carried round a loop is boxed by C2 (JDK 17).
            p = p.mul(p);
            p = p.mul(p);
            p = p.mul(p);
            p = p.mul(p);
            p = p.mul(p);
            p = p.mul(p);
            p = p.mul(p);
            p = p.mul(p);
            p = p.mul(p);
            p = p.mul(p);
            DoubleVector sig = DoubleVector.broadcast(D, 1).div(p.add(1));
            x.mul(sig).intoArray(a, e);
            sig.mul(x.mul(DoubleVector.broadcast(D, 1).sub(sig)).add(1)).intoArray(d1, e);
            sig.intoArray(s, e);
        }
        return e;
    }

    /** {@link #silu(double[], int, double[], double[], double[])} in single precision. */
    static int silu(float[] z, int n, float[] a, float[] d1, float[] s) {
        int bound = F.loopBound(n);
        int e = 0;
        for (; e < bound; e += F.length()) {
            FloatVector x = FloatVector.fromArray(F, z, e);
            if (!x.abs().compare(VectorOperators.LE, F_BOUND).allTrue()) {
                break;
            }
            FloatVector y = x.mul(-1f / 256);
            FloatVector q = y.mul(F7).add(F6);
            q = y.mul(q).add(F5);
            q = y.mul(q).add(F4);
            q = y.mul(q).add(F3);
            q = y.mul(q).add(F2);
            q = y.mul(q).add(1);
            q = y.mul(q).add(1);
            // Eight squarings, written out as above.
            q = q.mul(q);
            q = q.mul(q);
            q = q.mul(q);
            q = q.mul(q);
            q = q.mul(q);
            q = q.mul(q);
            q = q.mul(q);
            q = q.mul(q);
            FloatVector sig = FloatVector.broadcast(F, 1).div(q.add(1));
            x.mul(sig).intoArray(a, e);
            sig.mul(x.mul(FloatVector.broadcast(F, 1).sub(sig)).add(1)).intoArray(d1, e);
            sig.intoArray(s, e);
        }
        return e;
    }
}
