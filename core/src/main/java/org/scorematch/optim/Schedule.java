package org.scorematch.optim;

/**
 * A learning-rate schedule: the factor applied to the base rate at step t (1-based) of T.
 * Constant: 1. Cosine: {@code ½(1 + cos(π(t−1)/T))}, from 1 down towards 0. Step: multiplied by
 * {@code gamma} every {@code every} steps.
 */
public record Schedule(String kind, int every, double gamma) {
    public Schedule {
        if (!kind.equals("constant") && !kind.equals("cosine") && !kind.equals("step")) {
            throw new IllegalArgumentException("unknown schedule '" + kind + "'; expected constant, cosine or step");
        }
        if (kind.equals("step") && (every < 1 || !(gamma > 0))) {
            throw new IllegalArgumentException("a step schedule needs every ≥ 1 and gamma > 0");
        }
    }

    /** The factor 1 at every step. */
    public static Schedule constant() {
        return new Schedule("constant", 0, 1);
    }

    /** The factor ½(1 + cos(π(t−1)/T)), from 1 towards 0. */
    public static Schedule cosine() {
        return new Schedule("cosine", 0, 1);
    }

    /** The factor γ^⌊(t−1)/every⌋. */
    public static Schedule step(int every, double gamma) {
        return new Schedule("step", every, gamma);
    }

    /** The factor at step {@code t} (1-based) of {@code total}. */
    public double factor(int t, int total) {
        return switch (kind) {
            case "cosine" -> 0.5 * (1 + Math.cos(Math.PI * (t - 1) / Math.max(1, total)));
            case "step" -> Math.pow(gamma, (t - 1) / every);
            default -> 1;
        };
    }
}
