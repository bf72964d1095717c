package org.scorematch.engine;

/**
 * {@code e^(−z)} over an array, written so that C2 (JDK 17) vectorises it: {@code Math.exp} is an
 * opaque scalar call there, and the Vector API is still an incubator module that a library
 * cannot require. Hand-written for that reason only; SiLU's activation pass spent most of a
 * denoising step inside {@code Math.exp}.
 *
 * <p>Method: {@code e^x = (e^(x/1024))^1024}: a degree-16 Taylor polynomial of {@code e^y} on
 * {@code |y| ≤ 700/1024} (truncation below 5e−18), then ten squarings. The squarings multiply the
 * rounding error by at most 1024, so the result is within about 2e−13 relative of the true value
 * (tested against {@code Math.exp}). Inputs with {@code |z| > 700} (or NaN) are redone with
 * {@code Math.exp} in a separate pass, taken only when some input needs it. The loops are split
 * because C2 will not unroll, and so not vectorise, a longer loop body.
 *
 * <p>In single precision the same method with {@code e^x = (e^(x/256))^256}: degree 7 on
 * {@code |y| ≤ 88/256} (truncation below 3e−9), eight squarings, so the result is within about
 * 2⁸ units of 2⁻²⁴ relative of the true value; {@code |z| > 88} goes to {@code Math.exp}.
 * Widening to double would keep full precision but C2 (JDK 17) does not vectorise conversions
 * between types of different sizes, and these loops must vectorise to pay.
 */
final class VectorExp {
    private static final double C0 = 1.0;
    private static final double C1 = 1.0;
    private static final double C2 = 0.5;
    private static final double C3 = 0.16666666666666666;
    private static final double C4 = 0.041666666666666664;
    private static final double C5 = 0.008333333333333333;
    private static final double C6 = 0.001388888888888889;
    private static final double C7 = 0.0001984126984126984;
    private static final double C8 = 2.48015873015873e-05;
    private static final double C9 = 2.7557319223985893e-06;
    private static final double C10 = 2.755731922398589e-07;
    private static final double C11 = 2.505210838544172e-08;
    private static final double C12 = 2.08767569878681e-09;
    private static final double C13 = 1.6059043836821613e-10;
    private static final double C14 = 1.1470745597729725e-11;
    private static final double C15 = 7.647163731819816e-13;
    private static final double C16 = 4.779477332387385e-14;
    private static final double BOUND = 700;
    static final float F_BOUND = 88;
    static final float F2 = 0.5f;
    static final float F3 = 1 / 6f;
    static final float F4 = 1 / 24f;
    static final float F5 = 1 / 120f;
    static final float F6 = 1 / 720f;
    static final float F7 = 1 / 5040f;

    private VectorExp() {
    }

    /** {@code out[e] = e^(−z[e])} for {@code from ≤ e < to}. */
    static void negExp(double[] z, int from, int to, double[] out) {
        for (int e = from; e < to; e++) {
            double y = z[e] * (-1.0 / 1024);
            double p = C16;
            p = p * y + C15;
            p = p * y + C14;
            p = p * y + C13;
            p = p * y + C12;
            p = p * y + C11;
            p = p * y + C10;
            p = p * y + C9;
            p = p * y + C8;
            p = p * y + C7;
            p = p * y + C6;
            p = p * y + C5;
            p = p * y + C4;
            p = p * y + C3;
            p = p * y + C2;
            p = p * y + C1;
            out[e] = p * y + C0;
        }
        for (int e = from; e < to; e++) {
            double p = out[e];
            p *= p;
            p *= p;
            p *= p;
            p *= p;
            p *= p;
            p *= p;
            p *= p;
            p *= p;
            p *= p;
            out[e] = p * p;
        }
        if (!withinBound(z, from, to)) {
            for (int e = from; e < to; e++) {
                if (!(Math.abs(z[e]) <= BOUND)) {
                    out[e] = Math.exp(-z[e]);
                }
            }
        }
    }

    /** {@code out[e] = e^(−z[e])} for {@code from ≤ e < to}, in single precision. */
    static void negExp(float[] z, int from, int to, float[] out) {
        for (int e = from; e < to; e++) {
            float y = z[e] * (-1f / 256);
            out[e] = 1 + y * (1 + y * (F2 + y * (F3 + y * (F4 + y * (F5 + y * (F6 + y * F7))))));
        }
        for (int e = from; e < to; e++) {
            float q = out[e];
            q = q * q;
            q = q * q;
            q = q * q;
            q = q * q;
            q = q * q;
            q = q * q;
            q = q * q;
            out[e] = q * q;
        }
        if (!withinBound(z, from, to)) {
            for (int e = from; e < to; e++) {
                if (!(Math.abs(z[e]) <= F_BOUND)) {
                    out[e] = (float) Math.exp(-z[e]);
                }
            }
        }
    }

    /**
     * Whether every {@code |z[e]|} in the range is within the polynomial's bound (false if any is
     * NaN); the pass for the other inputs runs only when not. That pass, as a loop with a
     * conditional store, does not vectorise and took two thirds of the function's time: the test
     * runs in SIMD lanes where the Vector API is present, else as a maximum (which C2 does not
     * vectorise either, but which costs a third less).
     */
    private static boolean withinBound(double[] z, int from, int to) {
        if (Kernels.VECTORS) {
            return VectorLoops64.withinMagnitude(z, from, to, BOUND);
        }
        double m = 0;
        for (int e = from; e < to; e++) {
            m = Math.max(m, Math.abs(z[e]));
        }
        return m <= BOUND;
    }

    /** {@link #withinBound(double[], int, int)} in single precision. */
    private static boolean withinBound(float[] z, int from, int to) {
        if (Kernels.VECTORS) {
            return VectorLoops32.withinMagnitude(z, from, to, F_BOUND);
        }
        float m = 0;
        for (int e = from; e < to; e++) {
            m = Math.max(m, Math.abs(z[e]));
        }
        return m <= F_BOUND;
    }
}
