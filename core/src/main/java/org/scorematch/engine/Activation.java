package org.scorematch.engine;

import org.apache.commons.numbers.gamma.Erf;

/**
 * Elementwise activations with their first three derivatives in closed form, as the Taylor-jet
 * rules need them (docs/DESIGN.md §2: the forward rule uses σ, σ′, σ″ and the reverse rule σ‴).
 *
 * <p>Each constant implements {@link #evaluate}, so an activation without all four functions
 * does not compile. {@link #RELU} is present for score networks trained by denoising only: its
 * second derivative is zero almost everywhere, so the exact and sliced objectives refuse it
 * ({@link #isSmooth()}).
 */
public enum Activation implements org.scorematch.Identified {
    /** SiLU (swish) {@code x·s(x)} with {@code s} the logistic sigmoid. */
    SILU(true) {
        @Override
        public void evaluate(double[] z, int from, int to, double[] a, double[] d1, double[] d2, double[] d3) {
            // d3 holds e^(−z), then the sigmoid s, then σ‴: short loops vectorise, one long loop does not.
            VectorExp.negExp(z, from, to, d3);
            for (int e = from; e < to; e++) {
                double x = z[e];
                double s = 1 / (1 + d3[e]);
                a[e] = x * s;
                d1[e] = s * (1 + x * (1 - s));
                d3[e] = s;
            }
            for (int e = from; e < to; e++) {
                double x = z[e];
                double s = d3[e];
                double p = s * (1 - s);
                double r = 1 - 2 * s;
                d2[e] = p * (2 + x * r);
                d3[e] = p * (r * (3 + x * r) - 2 * x * p);
            }
        }
    },

    /** Softplus {@code log(1 + eˣ)}, evaluated without overflow. */
    SOFTPLUS(true) {
        @Override
        public void evaluate(double[] z, int from, int to, double[] a, double[] d1, double[] d2, double[] d3) {
            for (int e = from; e < to; e++) {
                double x = z[e];
                double s = sigmoid(x);
                double p = s * (1 - s);
                a[e] = Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
                d1[e] = s;
                d2[e] = p;
                d3[e] = p * (1 - 2 * s);
            }
        }
    },
    /** Hyperbolic tangent. */
    TANH(true) {
        @Override
        public void evaluate(double[] z, int from, int to, double[] a, double[] d1, double[] d2, double[] d3) {
            for (int e = from; e < to; e++) {
                double t = Math.tanh(z[e]);
                double q = 1 - t * t;
                a[e] = t;
                d1[e] = q;
                d2[e] = -2 * t * q;
                d3[e] = q * (6 * t * t - 2);
            }
        }
    },
    /** GELU in its exact form {@code x·Φ(x)} (PyTorch's default), Φ the standard normal CDF. */
    GELU(true) {
        @Override
        public void evaluate(double[] z, int from, int to, double[] a, double[] d1, double[] d2, double[] d3) {
            for (int e = from; e < to; e++) {
                double x = z[e];
                double cdf = 0.5 * (1 + Erf.value(x * INV_SQRT2));
                double pdf = Math.exp(-0.5 * x * x) * INV_SQRT_2PI;
                a[e] = x * cdf;
                d1[e] = cdf + x * pdf;
                d2[e] = pdf * (2 - x * x);
                d3[e] = pdf * x * (x * x - 4);
            }
        }
    },
    /** ReLU {@code max(0, x)}; not smooth, refused by the exact and sliced objectives. */
    RELU(false) {
        @Override
        public void evaluate(double[] z, int from, int to, double[] a, double[] d1, double[] d2, double[] d3) {
            for (int e = from; e < to; e++) {
                double x = z[e];
                a[e] = Math.max(x, 0);
                d1[e] = x > 0 ? 1 : 0;
                d2[e] = 0;
                d3[e] = 0;
            }
        }
    };

    private static final double INV_SQRT2 = 1 / Math.sqrt(2);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    private final boolean smooth;

    Activation(boolean smooth) {
        this.smooth = smooth;
    }

    /**
     * Writes {@code σ, σ′, σ″, σ‴} of {@code z[e]} into {@code a[e], d1[e], d2[e], d3[e]} for
     * {@code from ≤ e < to}: one loop per activation, so the JIT sees a single formula.
     */
    public abstract void evaluate(double[] z, int from, int to, double[] a, double[] d1, double[] d2, double[] d3);

    /** Writes {@code σ(x), σ′(x), σ″(x), σ‴(x)} into {@code out[0..3]}. */
    public final void derivatives(double x, double[] out) {
        double[] a = new double[1];
        double[] d1 = new double[1];
        double[] d2 = new double[1];
        double[] d3 = new double[1];
        evaluate(new double[] {x}, 0, 1, a, d1, d2, d3);
        out[0] = a[0];
        out[1] = d1[0];
        out[2] = d2[0];
        out[3] = d3[0];
    }

    /** Whether the second derivative is informative, as the exact and sliced objectives need. */
    public boolean isSmooth() {
        return smooth;
    }


    /** Parses {@link #id()}; the error lists the ids. */
    public static Activation fromId(String id) {
        return org.scorematch.Identified.parse(Activation.class, id, "activation");
    }

    /** Branch-free (signs of pre-activations are random, so a branch mispredicts): exp(−x) = ∞ gives 0. */
    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
