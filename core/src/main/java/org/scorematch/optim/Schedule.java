package org.scorematch.optim;

import org.scorematch.Identified;

/**
 * A learning-rate schedule: the factor applied to the base rate at step t (1-based) of T.
 * Constant: 1. Cosine: {@code ½(1 + cos(π(t−1)/T))}, from 1 down towards 0. Step: multiplied by
 * {@code gamma} every {@code every} steps.
 */
public record Schedule(Kind kind, int every, double gamma) implements java.io.Serializable {
    /** The schedules by name. */
    public enum Kind implements Identified {
        CONSTANT, COSINE, STEP;

        /** Parses {@link #id()}; the error lists the ids. */
        public static Kind fromId(String id) {
            return Identified.parse(Kind.class, id, "schedule");
        }
    }

    /** Checks that a step schedule has {@code every ≥ 1} and {@code gamma > 0} (the others ignore both). */
    public Schedule {
        if (kind == Kind.STEP && (every < 1 || !(gamma > 0))) {
            throw new IllegalArgumentException("a step schedule needs every ≥ 1 and gamma > 0");
        }
    }

    /** The schedule {@code kind}; {@code every} and {@code gamma} shape the step schedule only. */
    public static Schedule of(Kind kind, int every, double gamma) {
        return kind == Kind.STEP ? step(every, gamma) : new Schedule(kind, 0, 1);
    }

    /** The factor 1 at every step. */
    public static Schedule constant() {
        return new Schedule(Kind.CONSTANT, 0, 1);
    }

    /** The factor ½(1 + cos(π(t−1)/T)), from 1 towards 0. */
    public static Schedule cosine() {
        return new Schedule(Kind.COSINE, 0, 1);
    }

    /** The factor γ^⌊(t−1)/every⌋. */
    public static Schedule step(int every, double gamma) {
        return new Schedule(Kind.STEP, every, gamma);
    }

    /** The factor at step {@code t} (1-based) of {@code total}. */
    public double factor(int t, int total) {
        return switch (kind) {
            case COSINE -> 0.5 * (1 + Math.cos(Math.PI * (t - 1) / Math.max(1, total)));
            case STEP -> Math.pow(gamma, (t - 1) / every);
            case CONSTANT -> 1;
        };
    }
}
