package org.scorematch.sample;

import org.hipparchus.ode.ODEState;
import org.hipparchus.ode.OrdinaryDifferentialEquation;
import org.hipparchus.ode.nonstiff.DormandPrince54Integrator;

/**
 * The ODE solvers of the probability flow (sampling and likelihoods), by name:
 * {@code RK45}, the adaptive Dormand–Prince 5(4) pair (Hipparchus; its error norm is the RMS of the
 * scaled local errors, as scipy's {@code RK45}, which score_sde uses), and {@code HEUN}, the
 * fixed-step explicit trapezoid (two evaluations a step; Karras et al. 2022 use it).
 */
public enum OdeSolver implements org.scorematch.Identified {
    /** Adaptive Dormand–Prince 5(4) at relative and absolute tolerances. */
    RK45 {
        @Override
        Solution solve(Field field, double[] y0, double from, double to, Integration how) {
            OrdinaryDifferentialEquation ode = new OrdinaryDifferentialEquation() {
                @Override
                public int getDimension() {
                    return y0.length;
                }

                @Override
                public double[] computeDerivatives(double t, double[] y) {
                    return field.at(t, y);
                }
            };
            DormandPrince54Integrator integrator =
                    new DormandPrince54Integrator(1e-10, Math.abs(to - from), how.atol(), how.rtol());
            double[] end = integrator.integrate(ode, new ODEState(from, y0.clone()), to).getPrimaryState();
            return new Solution(end, integrator.getEvaluations());
        }
    },
    /** Heun's method in a fixed number of equal steps. */
    HEUN {
        @Override
        Solution solve(Field field, double[] y0, double from, double to, Integration how) {
            double h = (to - from) / how.steps();
            double[] y = y0.clone();
            double[] predicted = new double[y.length];
            for (int k = 0; k < how.steps(); k++) {
                double t = from + k * h;
                double[] k1 = field.at(t, y);
                for (int e = 0; e < y.length; e++) {
                    predicted[e] = y[e] + h * k1[e];
                }
                double[] k2 = field.at(t + h, predicted);
                for (int e = 0; e < y.length; e++) {
                    y[e] += 0.5 * h * (k1[e] + k2[e]);
                }
            }
            return new Solution(y, 2 * how.steps());
        }
    };

    /** A vector field {@code dy/dt = field(t, y)}. */
    @FunctionalInterface
    public interface Field {
        /** The derivative at time {@code t} and state {@code y} (a fresh array). */
        double[] at(double t, double[] y);
    }

    /** The state at the end time and the number of field evaluations spent. */
    public record Solution(double[] state, int evaluations) {
    }

    /**
     * A solver with its settings: tolerances for {@link #RK45}, the number of steps for
     * {@link #HEUN}; each ignores the other's.
     */
    public record Integration(OdeSolver solver, double rtol, double atol, int steps) {
        /** Checks the settings the solver uses. */
        public Integration {
            if (solver == RK45 && !(rtol > 0 && atol > 0)) {
                throw new IllegalArgumentException("rk45 needs positive tolerances, got rtol " + rtol + ", atol " + atol);
            }
            if (solver == HEUN && steps < 1) {
                throw new IllegalArgumentException("heun needs at least one step, got " + steps);
            }
        }

        /** The adaptive solver at tolerances {@code rtol} and {@code atol}. */
        public static Integration rk45(double rtol, double atol) {
            return new Integration(RK45, rtol, atol, 0);
        }

        /** Heun's method in {@code steps} steps. */
        public static Integration heun(int steps) {
            return new Integration(HEUN, 0, 0, steps);
        }

        /** Integrates {@code field} from {@code y0} at time {@code from} to time {@code to} (either direction). */
        public Solution solve(Field field, double[] y0, double from, double to) {
            return solver.solve(field, y0, from, to, this);
        }

        /** How it integrates, for reports: "rk45 (rtol 1e-05, atol 1e-05)" or "heun (1000 steps)". */
        public String describe() {
            return solver == RK45 ? String.format(java.util.Locale.ROOT, "rk45 (rtol %.3g, atol %.3g)", rtol, atol)
                    : "heun (" + steps + " steps)";
        }
    }

    /** Parses {@link #id()}; the error lists the ids. */
    public static OdeSolver fromId(String id) {
        return org.scorematch.Identified.parse(OdeSolver.class, id, "ODE solver");
    }

    abstract Solution solve(Field field, double[] y0, double from, double to, Integration how);
}
