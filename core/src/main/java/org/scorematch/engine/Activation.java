package org.scorematch.engine;

/**
 * Elementwise activations with their first three derivatives in closed form, as the Taylor-jet
 * rules need them (docs/DESIGN.md §2: the forward rule uses σ, σ′, σ″ and the reverse rule σ‴).
 *
 * <p>The formulas live in the kernels of each precision ({@link Kernels#activate}), in a switch
 * expression over these constants, so an activation without its four functions does not compile. {@link #RELU} is present for score networks trained by denoising only: its
 * second derivative is zero almost everywhere, so the exact and sliced objectives refuse it
 * ({@link #isSmooth()}).
 */
public enum Activation implements org.scorematch.Identified {
    /** SiLU (swish) {@code x·s(x)} with {@code s} the logistic sigmoid. */
    SILU(true),
    /** Softplus {@code log(1 + eˣ)}, evaluated without overflow. */
    SOFTPLUS(true),
    /** Hyperbolic tangent. */
    TANH(true),
    /** GELU in its exact form {@code x·Φ(x)} (PyTorch's default), Φ the standard normal CDF. */
    GELU(true),
    /** ReLU {@code max(0, x)}; not smooth, refused by the exact and sliced objectives. */
    RELU(false);

    private final boolean smooth;

    Activation(boolean smooth) {
        this.smooth = smooth;
    }

    /**
     * Writes {@code σ, σ′, σ″, σ‴} of {@code z[e]} into {@code a[e], d1[e], d2[e], d3[e]} for
     * {@code 0 ≤ e < n}, by the kernels' formula for this activation in their precision: one loop
     * per activation, so the JIT sees a single formula. Without {@code curvature}, {@code σ″, σ‴}
     * may be left for {@link #addCurvature} (a pass of value rows needs only {@code σ, σ′}).
     */
    void evaluate(Kernels k, Buffer z, int n, Buffer a, Buffer d1, Buffer d2, Buffer d3, boolean curvature) {
        k.activate(this, z, n, a, d1, d2, d3, curvature);
    }

    /** Completes {@code σ″, σ‴} in {@code d2, d3} after {@link #evaluate} without curvature on the same {@code z}. */
    void addCurvature(Kernels k, Buffer z, int n, Buffer d2, Buffer d3) {
        k.addCurvature(this, z, n, d2, d3);
    }

    /** Writes {@code σ(x), σ′(x), σ″(x), σ‴(x)} into {@code out[0..3]}, in double precision. */
    public final void derivatives(double x, double[] out) {
        derivatives(Precision.FLOAT64, x, out);
    }

    /** {@link #derivatives(double, double[])} computed in {@code precision} (x rounded to it first). */
    public final void derivatives(Precision precision, double x, double[] out) {
        Kernels k = Kernels.of(precision);
        Buffer[] b = {k.allocate(1), k.allocate(1), k.allocate(1), k.allocate(1), k.allocate(1)};
        k.load(new double[] {x}, 0, b[0], 0, 1);
        evaluate(k, b[0], 1, b[1], b[2], b[3], b[4], true);
        for (int i = 0; i < 4; i++) {
            out[i] = k.get(b[i + 1], 0);
        }
    }

    /** Whether the second derivative is informative, as the exact and sliced objectives need. */
    public boolean isSmooth() {
        return smooth;
    }


    /** Parses {@link #id()}; the error lists the ids. */
    public static Activation fromId(String id) {
        return org.scorematch.Identified.parse(Activation.class, id, "activation");
    }
}
