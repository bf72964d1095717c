package org.scorematch.metrics;

import org.hipparchus.ode.ODEState;
import org.hipparchus.ode.ODEStateAndDerivative;
import org.hipparchus.ode.OrdinaryDifferentialEquation;
import org.hipparchus.ode.nonstiff.DormandPrince54Integrator;
import org.scorematch.model.Sde;
import org.scorematch.sample.ScoreFunction;

/**
 * Exact log-likelihoods of a diffusion model by its probability-flow ODE (Song et al., ICLR 2021,
 * §4.3 and appendix D.2): with {@code f̃(x, t) = a(t)x − ½g(t)²s(x, t)},
 * {@code log p_ε(x) = log p₁(x₁) + ∫_ε¹ ∇·f̃(x_t, t) dt}, where {@code x_t} solves
 * {@code dx/dt = f̃} from {@code x_ε = x}, and {@code ∇·f̃ = a(t)D − ½g(t)² ∇·s}. The state and the
 * integral are one augmented ODE, integrated for all rows at once by the adaptive Dormand–Prince
 * 5(4) method (Hipparchus, steps shared by the rows as in the reference code). The divergence is
 * the model's exact one ({@link ScoreFunction#divergence}: basis jets, no Hutchinson noise).
 */
public final class FlowLikelihood {
    private FlowLikelihood() {
    }

    /** The log-densities of the rows, and the number of score (and divergence) evaluations spent. */
    public record Result(double[] logDensity, int evaluations) {
    }

    /**
     * {@code log p_ε} at the n rows of {@code x} (n × D, the model's units), to relative and
     * absolute tolerances {@code rtol} and {@code atol} of the integrator (1e-5 in the reference).
     */
    public static Result logDensity(Sde sde, double epsilon, ScoreFunction f, double[] x, int n, double rtol,
                                    double atol) {
        return logDensity(sde, epsilon, f, x, n, rtol, atol, 0, null);
    }

    /**
     * As {@link #logDensity(Sde, double, ScoreFunction, double[], int, double, double)}, with the
     * divergence estimated by Hutchinson's trick from {@code probes} Rademacher vectors per row
     * (drawn once from {@code rng} and held fixed along each trajectory, as Grathwohl et al. 2019
     * and the reference code do, so the ODE stays smooth); {@code probes = 0} computes it exactly.
     * The estimate of log p is unbiased only for the divergence's integral; use it where D jets
     * per evaluation are too many.
     */
    public static Result logDensity(Sde sde, double epsilon, ScoreFunction f, double[] x, int n, double rtol,
                                    double atol, int probes, java.util.random.RandomGenerator rng) {
        int d = f.dimension();
        double[] v = new double[probes * n * d];
        for (int e = 0; e < v.length; e++) {
            v[e] = rng.nextBoolean() ? 1 : -1;
        }
        OrdinaryDifferentialEquation flow = new OrdinaryDifferentialEquation() {
            @Override
            public int getDimension() {
                return n * d + n;
            }

            @Override
            public double[] computeDerivatives(double t, double[] y) {
                double sigma = sde.sigma(t);
                double a = sde.driftRate(t);
                double g2 = sde.diffusion(t) * sde.diffusion(t);
                double[] s = f.score(y, n, sigma);
                double[] div = probes == 0 ? f.divergence(y, n, sigma) : f.divergenceEstimate(y, n, sigma, v, probes);
                double[] dy = new double[n * d + n];
                for (int e = 0; e < n * d; e++) {
                    dy[e] = a * y[e] - 0.5 * g2 * s[e];
                }
                for (int i = 0; i < n; i++) {
                    dy[n * d + i] = a * d - 0.5 * g2 * div[i];
                }
                return dy;
            }
        };
        double[] y0 = new double[n * d + n];
        System.arraycopy(x, 0, y0, 0, n * d);
        DormandPrince54Integrator integrator = new DormandPrince54Integrator(1e-8, 1 - epsilon, atol, rtol);
        ODEStateAndDerivative end = integrator.integrate(flow, new ODEState(epsilon, y0), 1.0);
        double[] y1 = end.getPrimaryState();
        double[] logp = new double[n];
        for (int i = 0; i < n; i++) {
            logp[i] = sde.priorLogDensity(y1, i * d, d) + y1[n * d + i];
        }
        return new Result(logp, integrator.getEvaluations());
    }
}
