package org.scorematch.engine;

import static org.scorematch.engine.VectorExp.F2;
import static org.scorematch.engine.VectorExp.F3;
import static org.scorematch.engine.VectorExp.F4;
import static org.scorematch.engine.VectorExp.F5;
import static org.scorematch.engine.VectorExp.F6;
import static org.scorematch.engine.VectorExp.F7;
import static org.scorematch.engine.VectorExp.F_BOUND;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SiLU's forward pass in single precision, {@code s = 1/(1 + e^(−z))}, {@code a = z·s} and
 * {@code σ′ = s(1 + z(1 − s))}, in one pass in SIMD lanes (the Vector API), for {@code Kernels32}'s
 * {@code silu} when the module is present ({@link Kernels#VECTORS}). The scalar code makes four
 * passes over the layer — the exponential's polynomial, its squarings and its range test
 * ({@link VectorExp}), then the sigmoid — because C2 vectorises only short loop bodies; here each
 * value is loaded once and its three results stored once. Every lane performs the scalar code's
 * IEEE operations in the same order (the same polynomial, the same squarings, the same division),
 * so the results are the scalar code's bit for bit.
 *
 * <p>The loop runs whole vectors from the start of its range and stops before the first vector
 * holding a value outside the polynomial's range (|z| above {@link VectorExp#F_BOUND}, or NaN),
 * which the scalar code sends to {@code Math.exp}; it returns where the caller's scalar passes
 * take over. The caller hands it a layer in chunks, so that it is called often enough to be
 * compiled early: until C2 compiles it, its vectors are objects and every call allocates.
 *
 * <p>Single precision only: the double exponential's degree-16 polynomial written out the same
 * way was left boxed by C2 (JDK 17) in about half of the JVMs measured (a step 55 % slower and
 * allocating), where this one stayed compiled to SIMD code in every one (BENCHMARKS.md).
 */
final class VectorSilu {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private VectorSilu() {
    }

    /**
     * Writes {@code a}, {@code d1} and the sigmoid {@code s} for a prefix of {@code z[from, to)} in
     * whole vectors; returns its end.
     */
    static int silu(float[] z, int from, int to, float[] a, float[] d1, float[] s) {
        int bound = from + F.loopBound(to - from);
        int e = from;
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
            // Eight squarings, written out: a vector carried round a loop is boxed by C2 (JDK 17).
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
