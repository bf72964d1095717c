package org.scorematch.metrics;

import org.scorematch.model.Sde;
import org.scorematch.sample.OdeSolver;
import org.scorematch.sample.ScoreFunction;

/**
 * Exact log-likelihoods of a diffusion model by its probability-flow ODE (Song et al., ICLR 2021,
 * §4.3 and appendix D.2): with {@code f̃(x, t) = a(t)x − ½g(t)²s(x, t)},
 * {@code log p_ε(x) = log p₁(x₁) + ∫_ε¹ ∇·f̃(x_t, t) dt}, where {@code x_t} solves
 * {@code dx/dt = f̃} from {@code x_ε = x}, and {@code ∇·f̃ = a(t)D − ½g(t)² ∇·s}. The state and the
 * integral are one augmented ODE, integrated for all rows at once ({@link OdeSolver}; an adaptive
 * solver's steps shared by the rows, as in the reference code). The divergence is by default the
 * model's exact one ({@link ScoreFunction#divergence}: basis jets, no Hutchinson noise).
 */
public final class FlowLikelihood {
    private FlowLikelihood() {
    }

    /** How the divergence of the flow is computed, as settings name it. */
    public enum Divergence implements org.scorematch.Identified {
        /** Exactly, from D basis jets (the Laplacian for energies). */
        EXACT,
        /** Hutchinson's estimate from K Rademacher probes per row, held fixed along the trajectory. */
        HUTCHINSON;

        /** Parses {@link #id()}; the error lists the ids. */
        public static Divergence fromId(String id) {
            return org.scorematch.Identified.parse(Divergence.class, id, "divergence");
        }
    }

    /** The log-densities of the rows, and the number of score (and divergence) evaluations spent. */
    public record Result(double[] logDensity, int evaluations) {
    }

    /**
     * {@code log p_ε} at the n rows of {@code x} (n × D, the model's units), the augmented ODE
     * integrated by {@code how} (the reference: RK45 at rtol = atol = 1e-5). With {@code probes = 0}
     * the divergence is exact; otherwise it is Hutchinson's estimate from {@code probes} Rademacher
     * vectors per row, drawn once from {@code rng} and held fixed along each trajectory (as
     * Grathwohl et al. 2019 and the reference code do, so the ODE stays smooth), unbiased for the
     * divergence's integral, for D too large for D jets per evaluation.
     */
    public static Result logDensity(Sde sde, double epsilon, ScoreFunction f, double[] x, int n,
                                    OdeSolver.Integration how, int probes, java.util.random.RandomGenerator rng) {
        int d = f.dimension();
        double[] v = new double[probes * n * d];
        for (int e = 0; e < v.length; e++) {
            v[e] = rng.nextBoolean() ? 1 : -1;
        }
        OdeSolver.Field flow = (t, y) -> {
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
        };
        double[] y0 = new double[n * d + n];
        System.arraycopy(x, 0, y0, 0, n * d);
        OdeSolver.Solution end = how.solve(flow, y0, epsilon, 1.0);
        double[] y1 = end.state();
        double[] logp = new double[n];
        for (int i = 0; i < n; i++) {
            logp[i] = sde.priorLogDensity(y1, i * d, d) + y1[n * d + i];
        }
        return new Result(logp, end.evaluations());
    }
}
