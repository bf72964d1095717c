package org.scorematch.expfam;

/**
 * Sufficient statistics {@code F: ℝᴰ → ℝᵖ} of an exponential family {@code log p̃(x) = θᵀF(x)},
 * with the per-coordinate derivatives score matching needs: {@code ∂ᵢF(x)} and {@code ∂ᵢ²F(x)}.
 */
public interface SufficientStatistics {
    /** The data dimension D. */
    int dimension();

    /** The number of parameters p. */
    int parameters();

    /** {@code F(x)} into {@code out} (length p). */
    void value(double[] x, double[] out);

    /** {@code ∂F/∂xᵢ} into {@code first} and {@code ∂²F/∂xᵢ²} into {@code second} (length p each). */
    void derivatives(double[] x, int i, double[] first, double[] second);
}
