package org.scorematch.engine;

/**
 * Elementwise activations with their first three derivatives in closed form, as the Taylor-jet
 * rules need them (docs/DESIGN.md §2: the forward rule uses σ, σ′, σ″ and the reverse rule σ‴).
 *
 * <p>Each constant names its formula among the {@link Kernels}' abstract methods, so an activation
 * without its four functions in both precisions does not compile. {@link #RELU} is present for score networks trained by denoising only: its
 * second derivative is zero almost everywhere, so the exact and sliced objectives refuse it
 * ({@link #isSmooth()}).
 */
public enum Activation implements org.scorematch.Identified {
    /** SiLU (swish) {@code x·s(x)} with {@code s} the logistic sigmoid. */
    SILU(true, Kernels::silu),
    /** Softplus {@code log(1 + eˣ)}, evaluated without overflow. */
    SOFTPLUS(true, Kernels::softplus),
    /** Hyperbolic tangent. */
    TANH(true, Kernels::tanh),
    /** GELU in its exact form {@code x·Φ(x)} (PyTorch's default), Φ the standard normal CDF. */
    GELU(true, Kernels::gelu),
    /** ReLU {@code max(0, x)}; not smooth, refused by the exact and sliced objectives. */
    RELU(false, Kernels::relu);

    /** One activation's formula among the kernels' methods. */
    @FunctionalInterface
    interface Formula {
        void evaluate(Kernels k, Buffer z, int n, Buffer a, Buffer d1, Buffer d2, Buffer d3);
    }

    private final boolean smooth;
    private final Formula formula;

    Activation(boolean smooth, Formula formula) {
        this.smooth = smooth;
        this.formula = formula;
    }

    /**
     * Writes {@code σ, σ′, σ″, σ‴} of {@code z[e]} into {@code a[e], d1[e], d2[e], d3[e]} for
     * {@code 0 ≤ e < n}, by the kernels' formula for this activation in their precision: one loop
     * per activation, so the JIT sees a single formula.
     */
    void evaluate(Kernels k, Buffer z, int n, Buffer a, Buffer d1, Buffer d2, Buffer d3) {
        formula.evaluate(k, z, n, a, d1, d2, d3);
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
        evaluate(k, b[0], 1, b[1], b[2], b[3], b[4]);
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
