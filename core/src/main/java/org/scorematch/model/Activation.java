package org.scorematch.model;

import org.apache.commons.numbers.gamma.Erf;

/**
 * Elementwise activations with their first three derivatives in closed form, as the Taylor-jet
 * rules need them (DESIGN.md §2: the forward rule uses σ, σ′, σ″ and the reverse rule σ‴).
 *
 * <p>Each constant implements {@link #derivatives}, so an activation without all four functions
 * does not compile. {@link #RELU} is present for score networks trained by denoising only: its
 * second derivative is zero almost everywhere, so the exact and sliced objectives refuse it
 * ({@link #isSmooth()}).
 */
public enum Activation {
    /** SiLU (swish) {@code x·s(x)} with {@code s} the logistic sigmoid. */
    SILU("silu", true) {
        @Override
        public void derivatives(double x, double[] out) {
            double s = sigmoid(x);
            double p = s * (1 - s);
            double r = 1 - 2 * s;
            out[0] = x * s;
            out[1] = s * (1 + x * (1 - s));
            out[2] = p * (2 + x * r);
            out[3] = p * (r * (3 + x * r) - 2 * x * p);
        }
    },
    /** Softplus {@code log(1 + eˣ)}, evaluated without overflow. */
    SOFTPLUS("softplus", true) {
        @Override
        public void derivatives(double x, double[] out) {
            double s = sigmoid(x);
            double p = s * (1 - s);
            out[0] = Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
            out[1] = s;
            out[2] = p;
            out[3] = p * (1 - 2 * s);
        }
    },
    /** Hyperbolic tangent. */
    TANH("tanh", true) {
        @Override
        public void derivatives(double x, double[] out) {
            double t = Math.tanh(x);
            double q = 1 - t * t;
            out[0] = t;
            out[1] = q;
            out[2] = -2 * t * q;
            out[3] = q * (6 * t * t - 2);
        }
    },
    /** GELU in its exact form {@code x·Φ(x)} (PyTorch's default), Φ the standard normal CDF. */
    GELU("gelu", true) {
        @Override
        public void derivatives(double x, double[] out) {
            double cdf = 0.5 * (1 + Erf.value(x * INV_SQRT2));
            double pdf = Math.exp(-0.5 * x * x) * INV_SQRT_2PI;
            out[0] = x * cdf;
            out[1] = cdf + x * pdf;
            out[2] = pdf * (2 - x * x);
            out[3] = pdf * x * (x * x - 4);
        }
    },
    /** ReLU {@code max(0, x)}; not smooth, refused by the exact and sliced objectives. */
    RELU("relu", false) {
        @Override
        public void derivatives(double x, double[] out) {
            out[0] = Math.max(x, 0);
            out[1] = x > 0 ? 1 : 0;
            out[2] = 0;
            out[3] = 0;
        }
    };

    private static final double INV_SQRT2 = 1 / Math.sqrt(2);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    private final String id;
    private final boolean smooth;

    Activation(String id, boolean smooth) {
        this.id = id;
        this.smooth = smooth;
    }

    /**
     * Writes {@code σ(x), σ′(x), σ″(x), σ‴(x)} into {@code out[0..3]}.
     */
    public abstract void derivatives(double x, double[] out);

    /** Whether the second derivative is informative, as the exact and sliced objectives need. */
    public boolean isSmooth() {
        return smooth;
    }

    /** The lower-case name used on the command line and in model files. */
    public String id() {
        return id;
    }

    /** Parses {@link #id()}; the error lists the valid names. */
    public static Activation fromId(String id) {
        for (Activation a : values()) {
            if (a.id.equalsIgnoreCase(id)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + id + "'; expected one of silu, softplus, tanh, gelu, relu");
    }

    private static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }
}
