package org.scorematch.engine;

import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.SQRT;
import static jdk.incubator.vector.VectorOperators.XOR;
import static org.scorematch.engine.NormalDeviates.C1;
import static org.scorematch.engine.NormalDeviates.C2;
import static org.scorematch.engine.NormalDeviates.C3;
import static org.scorematch.engine.NormalDeviates.C4;
import static org.scorematch.engine.NormalDeviates.C5;
import static org.scorematch.engine.NormalDeviates.C6;
import static org.scorematch.engine.NormalDeviates.CHUNK;
import static org.scorematch.engine.NormalDeviates.EXPONENT_OFFSET;
import static org.scorematch.engine.NormalDeviates.GAMMA;
import static org.scorematch.engine.NormalDeviates.HALF_PI;
import static org.scorematch.engine.NormalDeviates.LG1;
import static org.scorematch.engine.NormalDeviates.LG2;
import static org.scorematch.engine.NormalDeviates.LG3;
import static org.scorematch.engine.NormalDeviates.LG4;
import static org.scorematch.engine.NormalDeviates.LG5;
import static org.scorematch.engine.NormalDeviates.LG6;
import static org.scorematch.engine.NormalDeviates.LG7;
import static org.scorematch.engine.NormalDeviates.LN2_HI;
import static org.scorematch.engine.NormalDeviates.LN2_LO;
import static org.scorematch.engine.NormalDeviates.MANTISSA;
import static org.scorematch.engine.NormalDeviates.ONE_BITS;
import static org.scorematch.engine.NormalDeviates.PAIRS;
import static org.scorematch.engine.NormalDeviates.S1;
import static org.scorematch.engine.NormalDeviates.S2;
import static org.scorematch.engine.NormalDeviates.S3;
import static org.scorematch.engine.NormalDeviates.S4;
import static org.scorematch.engine.NormalDeviates.S5;
import static org.scorematch.engine.NormalDeviates.S6;
import static org.scorematch.engine.NormalDeviates.SQRT_HALF_BITS;
import static org.scorematch.engine.NormalDeviates.TWO52_BITS;
import static org.scorematch.engine.NormalDeviates.TWO52_PLUS_OFFSET;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link NormalDeviates}' chunks in SIMD lanes, one pair per lane: every lane performs
 * {@link NormalDeviates#chunk}'s IEEE operations in the same order (integer ones modulo 2⁶⁴), so
 * the deviates are bit for bit the scalar ones.
 */
final class VectorNormals {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Long> L = S.withLanes(long.class);
    /** Lane i's counter offset {@code (2i+1)γ}. */
    private static final LongVector OFFSETS = LongVector.zero(L).addIndex(2).add(1).mul(GAMMA);

    /*
     * Every operand is a vector, constants and shift counts included. An operation with a scalar
     * operand broadcasts it inside the Vector API's own code, whose type profile the JVM's other
     * Vector API users share: after the pure-Java BLAS (dev.ludovic.netlib's VectorBLAS) had run,
     * C2 could no longer tell these loops' vector classes there, did not intrinsify them and boxed
     * every vector (98 KB allocated a step at B = 256, D = 10; StepAllocationTest after BlasTest).
     */
    private static final DoubleVector V_LG1 = DoubleVector.broadcast(S, LG1);
    private static final DoubleVector V_LG2 = DoubleVector.broadcast(S, LG2);
    private static final DoubleVector V_LG3 = DoubleVector.broadcast(S, LG3);
    private static final DoubleVector V_LG4 = DoubleVector.broadcast(S, LG4);
    private static final DoubleVector V_LG5 = DoubleVector.broadcast(S, LG5);
    private static final DoubleVector V_LG6 = DoubleVector.broadcast(S, LG6);
    private static final DoubleVector V_LG7 = DoubleVector.broadcast(S, LG7);
    private static final DoubleVector V_LN2_HI = DoubleVector.broadcast(S, LN2_HI);
    private static final DoubleVector V_LN2_LO = DoubleVector.broadcast(S, LN2_LO);
    private static final DoubleVector V_C1 = DoubleVector.broadcast(S, C1);
    private static final DoubleVector V_C2 = DoubleVector.broadcast(S, C2);
    private static final DoubleVector V_C3 = DoubleVector.broadcast(S, C3);
    private static final DoubleVector V_C4 = DoubleVector.broadcast(S, C4);
    private static final DoubleVector V_C5 = DoubleVector.broadcast(S, C5);
    private static final DoubleVector V_C6 = DoubleVector.broadcast(S, C6);
    private static final DoubleVector V_S1 = DoubleVector.broadcast(S, S1);
    private static final DoubleVector V_S2 = DoubleVector.broadcast(S, S2);
    private static final DoubleVector V_S3 = DoubleVector.broadcast(S, S3);
    private static final DoubleVector V_S4 = DoubleVector.broadcast(S, S4);
    private static final DoubleVector V_S5 = DoubleVector.broadcast(S, S5);
    private static final DoubleVector V_S6 = DoubleVector.broadcast(S, S6);
    private static final DoubleVector V_HALF_PI = DoubleVector.broadcast(S, HALF_PI);
    private static final DoubleVector V_TWO52_PLUS_OFFSET = DoubleVector.broadcast(S, TWO52_PLUS_OFFSET);
    private static final DoubleVector V_ONE = DoubleVector.broadcast(S, 1);
    private static final DoubleVector V_HALF = DoubleVector.broadcast(S, 0.5);
    private static final DoubleVector V_TWO = DoubleVector.broadcast(S, 2);
    private static final DoubleVector V_MINUS_TWO = DoubleVector.broadcast(S, -2);
    private static final LongVector V_ONE_BITS = LongVector.broadcast(L, ONE_BITS);
    private static final LongVector V_SQRT_HALF_BITS = LongVector.broadcast(L, SQRT_HALF_BITS);
    private static final LongVector V_EXPONENT_OFFSET = LongVector.broadcast(L, EXPONENT_OFFSET);
    private static final LongVector V_TWO52_BITS = LongVector.broadcast(L, TWO52_BITS);
    private static final LongVector V_MANTISSA = LongVector.broadcast(L, MANTISSA);
    private static final LongVector V_MIX1 = LongVector.broadcast(L, 0xbf58476d1ce4e5b9L);
    private static final LongVector V_MIX2 = LongVector.broadcast(L, 0x94d049bb133111ebL);
    private static final LongVector V_30 = LongVector.broadcast(L, 30);
    private static final LongVector V_27 = LongVector.broadcast(L, 27);
    private static final LongVector V_31 = LongVector.broadcast(L, 31);
    private static final LongVector V_12 = LongVector.broadcast(L, 12);
    private static final LongVector V_52 = LongVector.broadcast(L, 52);
    private static final LongVector V_62 = LongVector.broadcast(L, 62);
    private static final LongVector V_1 = LongVector.broadcast(L, 1);
    private static final LongVector V_63 = LongVector.broadcast(L, 63);

    private VectorNormals() {
    }

    /**
     * Writes the whole chunks of the first {@code n} deviates of the block keyed {@code key};
     * returns how many it wrote.
     */
    static int fill(long key, double[] out, int from, int n) {
        if (PAIRS % S.length() != 0) {
            return 0;
        }
        int whole = n / CHUNK * CHUNK;
        for (Pass pass : PASSES) {
            pass.run(key, out, from, whole);
        }
        return whole;
    }

    /**
     * The work in three loops over the block, which stays in the first-level cache between them,
     * each written out in one method. C2 boxes the vectors of any Vector API call it does not
     * inline, which makes a loop ten times slower and allocate: one loop with the logarithm and both
     * kernels passes the node count past which C2 stops inlining, and so do the loops inlined into
     * one caller, and a helper method that C2 has already compiled on its own (it becomes hot while
     * its caller is still interpreted) is too big to inline later. Called through this enum, whose
     * three constants make {@link #fill}'s call site megamorphic (C2 inlines at most two
     * receivers), each loop is compiled on its own. Measured on AVX-512 (Zen 5): 1.0 ns a
     * deviate against 2.8 ns for the JDK's ziggurat; with AVX2 only ({@code -XX:UseAVX=2}, where
     * 64-bit lane multiplies are emulated) 2.5 ns against 2.8.
     */
    private enum Pass {
        /** Each pair's words w₁ and w₂ (mix64 of its counters) into its cosine's and sine's slots, as bits. */
        WORDS {
            @Override
            void run(long key, double[] out, int from, int whole) {
                for (int c = 0; c < whole; c += CHUNK) {
                    for (int h = 0; h < PAIRS; h += S.length()) {
                        for (int word = 0; word < 2; word++) {
                            long first = key + (2 * ((long) (c / CHUNK) * PAIRS + h) + word) * GAMMA;
                            LongVector z = OFFSETS.add(LongVector.broadcast(L, first));
                            z = z.lanewise(XOR, z.lanewise(LSHR, V_30)).mul(V_MIX1);
                            z = z.lanewise(XOR, z.lanewise(LSHR, V_27)).mul(V_MIX2);
                            z.lanewise(XOR, z.lanewise(LSHR, V_31)).reinterpretAsDoubles()
                                    .intoArray(out, from + c + word * PAIRS + h);
                        }
                    }
                }
            }
        },
        /** Each pair's {@code r = √(−2 ln u)} over w₁ in its cosine's slot (ln as {@link NormalDeviates#log}). */
        RADII {
            @Override
            void run(long key, double[] out, int from, int whole) {
                for (int c = 0; c < whole; c += CHUNK) {
                    for (int h = 0; h < PAIRS; h += S.length()) {
                        LongVector w1 = DoubleVector.fromArray(S, out, from + c + h).reinterpretAsLongs();
                        LongVector bits = V_TWO.sub(w1.lanewise(LSHR, V_12).or(V_ONE_BITS).reinterpretAsDoubles())
                                .reinterpretAsLongs();
                        LongVector k = bits.sub(V_SQRT_HALF_BITS).add(V_EXPONENT_OFFSET).lanewise(LSHR, V_52);
                        DoubleVector f = bits.sub(k.lanewise(LSHL, V_52)).add(V_EXPONENT_OFFSET).reinterpretAsDoubles()
                                .sub(V_ONE);
                        DoubleVector dk = k.add(V_TWO52_BITS).reinterpretAsDoubles().sub(V_TWO52_PLUS_OFFSET);
                        DoubleVector s = f.div(f.add(V_TWO));
                        DoubleVector z = s.mul(s);
                        DoubleVector w = z.mul(z);
                        DoubleVector t1 = w.mul(w.mul(w.mul(V_LG6).add(V_LG4)).add(V_LG2));
                        DoubleVector t2 = z.mul(w.mul(w.mul(w.mul(V_LG7).add(V_LG5)).add(V_LG3)).add(V_LG1));
                        DoubleVector hfsq = f.mul(V_HALF).mul(f);
                        DoubleVector log = dk.mul(V_LN2_HI)
                                .sub(hfsq.sub(s.mul(hfsq.add(t1.add(t2))).add(dk.mul(V_LN2_LO))).sub(f));
                        log.mul(V_MINUS_TWO).lanewise(SQRT).intoArray(out, from + c + h);
                    }
                }
            }
        },
        /**
         * {@code (r, w₂)} becomes {@code (r cos θ, r sin θ)}: {@code r cos ψ} and {@code r sin ψ}
         * (the kernels as {@link NormalDeviates#cos} and {@link NormalDeviates#sin}), then the
         * quarter-turns, swapped when q is odd, x negated when q is 1 or 2 and y when q ≥ 2 (as
         * bits, the same as rotating before multiplying by r ≥ 0).
         */
        PRODUCTS {
            @Override
            void run(long key, double[] out, int from, int whole) {
                                for (int c = 0; c < whole; c += CHUNK) {
                    for (int h = 0; h < PAIRS; h += S.length()) {
                        DoubleVector r = DoubleVector.fromArray(S, out, from + c + h);
                        LongVector w2 = DoubleVector.fromArray(S, out, from + c + PAIRS + h).reinterpretAsLongs();
                        DoubleVector psi = w2.and(V_MANTISSA).or(V_ONE_BITS).reinterpretAsDoubles().sub(V_ONE)
                                .sub(V_HALF).mul(V_HALF_PI);
                        DoubleVector z = psi.mul(psi);
                        DoubleVector z2 = z.mul(z);
                        DoubleVector rc = z.mul(z.mul(z.mul(V_C3).add(V_C2)).add(V_C1))
                                .add(z2.mul(z2).mul(z.mul(z.mul(V_C6).add(V_C5)).add(V_C4)));
                        DoubleVector hz = z.mul(V_HALF);
                        DoubleVector w = V_ONE.sub(hz);
                        DoubleVector cos = w.add(V_ONE.sub(w).sub(hz).add(z.mul(rc)));
                        DoubleVector rs = z.mul(z.mul(V_S4).add(V_S3)).add(V_S2)
                                .add(z.mul(z2).mul(z.mul(V_S6).add(V_S5)));
                        DoubleVector sin = psi.add(z.mul(psi).mul(z.mul(rs).add(V_S1)));
                        LongVector x = r.mul(cos).reinterpretAsLongs();
                        LongVector y = r.mul(sin).reinterpretAsLongs();
                        LongVector q = w2.lanewise(LSHR, V_62);
                        LongVector swap = x.lanewise(XOR, y).and(q.and(V_1).neg());
                        LongVector signX = q.lanewise(XOR, q.lanewise(LSHR, V_1)).and(V_1).lanewise(LSHL, V_63);
                        LongVector signY = q.lanewise(LSHR, V_1).lanewise(LSHL, V_63);
                        x.lanewise(XOR, swap).lanewise(XOR, signX).reinterpretAsDoubles().intoArray(out, from + c + h);
                        y.lanewise(XOR, swap).lanewise(XOR, signY).reinterpretAsDoubles()
                                .intoArray(out, from + c + PAIRS + h);
                    }
                }
            }
        };

        /** Runs this pass over the block's first {@code whole} deviates (whole chunks). */
        abstract void run(long key, double[] out, int from, int whole);
    }

    private static final Pass[] PASSES = Pass.values();
}
