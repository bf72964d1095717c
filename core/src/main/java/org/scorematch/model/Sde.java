package org.scorematch.model;

/**
 * A forward noising SDE {@code dx = a(t)·x dt + g(t) dw} on t ∈ [0, 1] with a Gaussian
 * perturbation kernel {@code p(x_t | x₀) = N(m(t)x₀, σ(t)²I)} (Song et al., ICLR 2021, "Score-based
 * generative modeling through SDEs", §3.4 and appendix B). Throughout, {@link #sigma} is the
 * kernel's standard deviation, so that a noise-conditional network takes {@code log σ(t)} as
 * NCSN models do. With {@code B(t) = ∫₀ᵗβ = β_min t + ½(β_max − β_min)t²}:
 *
 * <ul>
 *   <li>VE: {@code σ(t) = σ_min(σ_max/σ_min)ᵗ}, {@code m = 1}, {@code a = 0},
 *       {@code g = σ(t)√(2 ln(σ_max/σ_min))}, prior {@code N(0, σ_max²I)};</li>
 *   <li>VP: {@code m = e^{−B/2}}, {@code σ = √(1 − e^{−B})}, {@code a = −β(t)/2},
 *       {@code g = √β(t)}, prior {@code N(0, I)};</li>
 *   <li>sub-VP: {@code m = e^{−B/2}}, {@code σ = 1 − e^{−B}}, {@code a = −β(t)/2},
 *       {@code g = √(β(t)(1 − e^{−2B}))}, prior {@code N(0, I)}.</li>
 * </ul>
 *
 * <p>In each, the kernel's moments solve the SDE's moment equations {@code m′ = a m} and
 * {@code (σ²)′ = 2aσ² + g²}, which {@code SdeTest} checks.
 */
public sealed interface Sde extends java.io.Serializable permits Sde.VarianceExploding, Sde.VariancePreserving {
    /** The kernel mean's factor m(t). */
    double mean(double t);

    /** The kernel's standard deviation σ(t). */
    double sigma(double t);

    /** The drift's rate a(t): {@code f(x, t) = a(t)·x}. */
    double driftRate(double t);

    /** The diffusion coefficient g(t). */
    double diffusion(double t);

    /** The standard deviation of the prior {@code p₁ = N(0, σ₁²I)} sampling starts from. */
    double priorSigma();

    /** m at the time whose kernel standard deviation is {@code sigma} (σ is monotone in t). */
    double meanForSigma(double sigma);

    /** Short name: ve, vp or subvp. */
    String id();

    /** The SDE's two parameters: (σ_min, σ_max) for VE, (β_min, β_max) otherwise. */
    double[] parameters();

    /** The text {@link #parse} reads back: the id and the two parameters, e.g. {@code vp 0.1 20.0}. */
    default String spec() {
        double[] p = parameters();
        return id() + " " + p[0] + " " + p[1];
    }

    /** The SDE {@link #spec} wrote; the error names what is wrong. */
    static Sde parse(String spec) {
        String[] parts = spec.trim().split("\\s+");
        if (parts.length != 3) {
            throw new IllegalArgumentException("an SDE is written as 've|vp|subvp a b', got '" + spec + "'");
        }
        double a;
        double b;
        try {
            a = Double.parseDouble(parts[1]);
            b = Double.parseDouble(parts[2]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the SDE's parameters are not numbers: '" + spec + "'");
        }
        return switch (parts[0]) {
            case "ve" -> ve(a, b);
            case "vp" -> vp(a, b);
            case "subvp" -> subVp(a, b);
            default -> throw new IllegalArgumentException("unknown SDE '" + parts[0] + "'; expected ve, vp or subvp");
        };
    }

    /** {@code log N(x; 0, σ₁²I)} of the D values {@code x[offset..offset+d)}. */
    default double priorLogDensity(double[] x, int offset, int d) {
        double s = priorSigma();
        double q = 0;
        for (int c = 0; c < d; c++) {
            q += x[offset + c] * x[offset + c];
        }
        return -0.5 * q / (s * s) - d * (Math.log(s) + 0.5 * Math.log(2 * Math.PI));
    }

    /**
     * The SDE {@code id} (ve, vp or subvp) with its defaults for data {@code x} (n × dim, row-major,
     * standardised): VE σ_min = 0.01 and σ_max = the largest pairwise distance among at most 2000
     * rows drawn from {@code rng} (Song &amp; Ermon 2020, technique 1, as {@link NoiseLadder#suggest});
     * VP and sub-VP β_min = 0.1, β_max = 20. A non-null {@code first} or {@code second} replaces
     * the first or second parameter.
     */
    static Sde forData(String id, double[] x, int n, int dim, Double first, Double second,
                       java.util.random.RandomGenerator rng) {
        return switch (id) {
            case "ve" -> ve(first != null ? first : 0.01,
                    second != null ? second : NoiseLadder.largestPairwiseDistance(x, n, dim, rng));
            case "vp" -> vp(first != null ? first : 0.1, second != null ? second : 20);
            case "subvp" -> subVp(first != null ? first : 0.1, second != null ? second : 20);
            default -> throw new org.scorematch.ScorematchException("unknown SDE '" + id + "'; expected ve, vp or subvp");
        };
    }

    /** VE with σ from {@code sigmaMin} at t = 0 to {@code sigmaMax} at t = 1. */
    static Sde ve(double sigmaMin, double sigmaMax) {
        return new VarianceExploding(sigmaMin, sigmaMax);
    }

    /** VP with the linear β(t) from {@code betaMin} to {@code betaMax} (defaults 0.1 and 20). */
    static Sde vp(double betaMin, double betaMax) {
        return new VariancePreserving(betaMin, betaMax, false);
    }

    /** Sub-VP with the linear β(t) from {@code betaMin} to {@code betaMax} (defaults 0.1 and 20). */
    static Sde subVp(double betaMin, double betaMax) {
        return new VariancePreserving(betaMin, betaMax, true);
    }

    /** VE: the kernel only widens. */
    record VarianceExploding(double sigmaMin, double sigmaMax) implements Sde {
        /** Checks {@code 0 < sigmaMin < sigmaMax}. */
        public VarianceExploding {
            if (!(sigmaMin > 0) || !(sigmaMax > sigmaMin) || !Double.isFinite(sigmaMax)) {
                throw new IllegalArgumentException("a VE SDE needs 0 < σ_min < σ_max, got " + sigmaMin + ", " + sigmaMax);
            }
        }

        @Override
        public double mean(double t) {
            return 1;
        }

        @Override
        public double sigma(double t) {
            return sigmaMin * Math.pow(sigmaMax / sigmaMin, t);
        }

        @Override
        public double driftRate(double t) {
            return 0;
        }

        @Override
        public double diffusion(double t) {
            return sigma(t) * Math.sqrt(2 * Math.log(sigmaMax / sigmaMin));
        }

        @Override
        public double priorSigma() {
            return sigmaMax;
        }

        @Override
        public double meanForSigma(double sigma) {
            return 1;
        }

        @Override
        public String id() {
            return "ve";
        }

        @Override
        public double[] parameters() {
            return new double[] {sigmaMin, sigmaMax};
        }
    }

    /**
     * VP ({@code sub} false: the kernel shrinks the data towards 0 while it widens, keeping the
     * variance near 1) and sub-VP ({@code sub} true: VP's drift with a smaller diffusion, whose
     * kernel variance stays below VP's).
     */
    record VariancePreserving(double betaMin, double betaMax, boolean sub) implements Sde {
        /** Checks {@code 0 < betaMin ≤ betaMax}. */
        public VariancePreserving {
            if (!(betaMin > 0) || !(betaMax >= betaMin) || !Double.isFinite(betaMax)) {
                throw new IllegalArgumentException("a VP SDE needs 0 < β_min ≤ β_max, got " + betaMin + ", " + betaMax);
            }
        }

        private double beta(double t) {
            return betaMin + t * (betaMax - betaMin);
        }

        /** {@code B(t) = ∫₀ᵗβ}. */
        private double integratedBeta(double t) {
            return betaMin * t + 0.5 * (betaMax - betaMin) * t * t;
        }

        @Override
        public double mean(double t) {
            return Math.exp(-0.5 * integratedBeta(t));
        }

        @Override
        public double sigma(double t) {
            double variance = -Math.expm1(-integratedBeta(t));
            return sub ? variance : Math.sqrt(variance);
        }

        @Override
        public double driftRate(double t) {
            return -0.5 * beta(t);
        }

        @Override
        public double diffusion(double t) {
            return Math.sqrt(sub ? beta(t) * -Math.expm1(-2 * integratedBeta(t)) : beta(t));
        }

        @Override
        public double priorSigma() {
            return 1;
        }

        @Override
        public double meanForSigma(double sigma) {
            return Math.sqrt(1 - (sub ? sigma : sigma * sigma));
        }

        @Override
        public String id() {
            return sub ? "subvp" : "vp";
        }

        @Override
        public double[] parameters() {
            return new double[] {betaMin, betaMax};
        }
    }
}
