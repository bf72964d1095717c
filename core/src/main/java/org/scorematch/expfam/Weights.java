package org.scorematch.expfam;

/**
 * The weights {@code hᵢ(xᵢ)} of generalised score matching on the non-negative orthant (Hyvärinen
 * 2007; Yu, Drton &amp; Shojaie 2019): the loss
 * {@code E Σᵢ [½hᵢ(∂ᵢ log p)² + hᵢ∂ᵢ² log p + hᵢ′∂ᵢ log p]} is valid for data on ℝ₊ᴰ when
 * {@code hᵢ(0) = 0}. {@link #ONE} (h ≡ 1) is Hyvärinen's original loss on ℝᴰ.
 */
public enum Weights implements org.scorematch.Identified {
    /** h ≡ 1: plain score matching on ℝᴰ. */
    ONE {
        @Override
        public double h(double x) {
            return 1;
        }

        @Override
        public double derivative(double x) {
            return 0;
        }
    },
    /** h(x) = x² (Hyvärinen 2007). */
    SQUARE {
        @Override
        public double h(double x) {
            return x * x;
        }

        @Override
        public double derivative(double x) {
            return 2 * x;
        }
    },
    /** h(x) = x (Yu et al. 2019, whose estimators are more efficient than with x²). */
    IDENTITY {
        @Override
        public double h(double x) {
            return x;
        }

        @Override
        public double derivative(double x) {
            return 1;
        }
    };

    /** The weight h(x) of the generalised score-matching loss. */
    public abstract double h(double x);

    /** Its derivative h′(x). */
    public abstract double derivative(double x);

    /** Parses {@link #id()}; the error lists the ids. */
    public static Weights fromId(String id) {
        return org.scorematch.Identified.parse(Weights.class, id, "weight function");
    }
}
