package org.scorematch.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.scorematch.ScorematchException;
import org.scorematch.data.Dataset;
import org.scorematch.engine.Engine;
import org.scorematch.linalg.Matrix;
import org.scorematch.model.Architecture;
import org.scorematch.model.TrainedModel;
import org.scorematch.objective.Projection;
import org.scorematch.objective.ScoreMatching;
import org.scorematch.sample.DiffusionSampler;
import org.scorematch.sample.OdeSolver;
import org.scorematch.sample.Sampler;
import org.scorematch.sample.ScoreFunction;
import org.scorematch.target.Target;

/**
 * Everything {@code scorematch eval} and the HTML report show about a model on test data, in one
 * ordered map: held-out score-matching loss, KSD with p-value, MMD between model samples and the
 * data with p-value, the Fisher divergence when the true score is known, and for energy models
 * with D ≤ 3 the log-likelihood beside KDE and Gaussian baselines fitted on training data.
 */
public final class Evaluation {
    /**
     * Test rows used by KSD, MMD and likelihoods, sampler settings, bootstrap rounds and the seed;
     * for diffusion models the likelihood's ODE solver and its divergence (0 probes: exact, else
     * Hutchinson's with that many); and whether test and training rows are integers to dequantise
     * uniformly (as training did), which adds bits per dimension.
     */
    public record Options(int rows, int samplerSteps, double stepSize, int bootstrap, long seed,
                          OdeSolver.Integration flow, int probes, boolean dequantize) {
        /** The likelihood's defaults, as the reference code's: RK45 at rtol = atol = 1e-5. */
        public static final OdeSolver.Integration DEFAULT_FLOW = OdeSolver.Integration.rk45(1e-5, 1e-5);

        /** 1000 rows, 1000 sampler steps at η = 0.01, 500 bootstrap rounds, seed 1, exact likelihoods. */
        public static Options defaults() {
            return new Options(1000, 1000, 0.01, 500, 1, DEFAULT_FLOW, 0, false);
        }
    }

    private Evaluation() {
    }

    /**
     * Model samples in data units: the reverse SDE for diffusion models, MALA for energies, annealed
     * Langevin for multi-scale models, else Langevin.
     */
    public static Matrix draw(TrainedModel m, int n, Options o, Engine engine, SplittableRandom rng) {
        ScoreFunction f = ScoreFunction.of(m.model(), engine);
        Architecture arch = m.model().architecture();
        if (arch.sde() != null) {
            double[] z = reverseSde(arch, f, n, o, rng);
            return Matrix.of(n, m.dimension(), m.standardization().invert(z, n));
        }
        Sampler.Result r = sample(f, n, o, rng);
        return Matrix.of(r.rows(), m.dimension(), m.standardization().invert(r.samples(), r.rows()));
    }

    /** A diffusion model's reverse-SDE samples (standardised units), Tweedie-denoised at ε. */
    private static double[] reverseSde(Architecture arch, ScoreFunction f, int n, Options o, SplittableRandom rng) {
        return DiffusionSampler.reverseSde(arch.sde(), f, DiffusionSampler.prior(arch.sde(), n, f.dimension(), rng), n,
                o.samplerSteps(), arch.sdeEpsilon(), true, rng);
    }

    private static Sampler.Result sample(ScoreFunction f, int n, Options o, SplittableRandom rng) {
        Sampler.Kind kind = Sampler.choose("auto", f);
        double[] start = new double[n * f.dimension()];
        for (int i = 0; i < start.length; i++) {
            start[i] = kind == Sampler.Kind.ANNEALED ? rng.nextDouble(-3, 3) : rng.nextGaussian();
        }
        double eta = kind == Sampler.Kind.ANNEALED ? Sampler.defaultStepSize(kind, f) : o.stepSize();
        return Sampler.run(f, start, n, new Sampler.Options(kind, o.samplerSteps(), eta,
                kind == Sampler.Kind.MALA ? o.samplerSteps() / 2 : 0, o.samplerSteps(),
                Sampler.Options.defaultAcceptance(kind)), rng);
    }

    /**
     * The evaluation of {@code m} on {@code test}; {@code target} (analytic score) and {@code train}
     * (for the likelihood baselines) may be null.
     */
    public static Map<String, Object> run(TrainedModel m, Dataset test, Target target, Matrix train, Options o,
                                          Engine engine) {
        int d = m.dimension();
        if (test.dimension() != d) {
            throw new ScorematchException(test.source() + ": the data have " + test.dimension()
                    + " columns, the model expects " + d + " " + m.columns());
        }
        if (o.dequantize()) {
            // The same uniform dequantisation as training's, on both sides of every comparison.
            test = test.dequantized(new SplittableRandom(o.seed() + 17));
            train = train == null ? null
                    : Dataset.of("training rows", test.columns(), train).dequantized(new SplittableRandom(o.seed() + 19))
                            .values();
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("kind", m.model().architecture().kind().id());
        report.put("test_rows", test.rows());
        report.put("dimension", d);
        SplittableRandom rng = new SplittableRandom(o.seed());
        ScoreFunction f = ScoreFunction.of(m.model(), engine);
        double[] z = m.standardization().applyInPlace(test.values().toArray(), test.rows());
        if (!m.model().architecture().isConditional()) {
            ScoreMatching objective = d <= 100 ? ScoreMatching.exact() : ScoreMatching.sliced(8, Projection.RADEMACHER);
            report.put("held_out_" + objective.id() + "_loss", objective.lossAndGradient(engine, m.model().architecture(),
                    m.model().parameters(), z, test.rows(), new SplittableRandom(o.seed()), null));
        }
        int k = Math.min(o.rows(), test.rows());
        double[] sub = subset(z, test.rows(), d, k, rng);
        Architecture arch = m.model().architecture();
        // A diffusion model's score at t → ε is its least trained part, not its fit: it is judged by
        // its samples and its likelihood instead of KSD and the Fisher divergence.
        if (arch.sde() == null) {
            double sigma = f.ladder() == null ? 1.0 : f.ladder().min();
            KernelStein.Result ksd = KernelStein.test(sub, f.score(sub, k, sigma), k, d, o.bootstrap(), rng);
            report.put("ksd", ksd.statistic());
            report.put("ksd_p_value", ksd.pValue());
        }
        if (arch.sde() != null) {
            // A diffusion model's own sampler, and its likelihood by the probability-flow ODE.
            double[] drawn = reverseSde(arch, f, k, o, rng);
            Mmd.Result mmd = Mmd.test(drawn, k, sub, k, d, o.bootstrap(), rng);
            report.put("mmd_sampler", "reverse-sde");
            report.put("mmd", mmd.statistic());
            report.put("mmd_p_value", mmd.pValue());
            FlowLikelihood.Result ll = FlowLikelihood.logDensity(arch.sde(), arch.sdeEpsilon(), f, sub, k, o.flow(),
                    o.probes(), new SplittableRandom(o.seed() + 23));
            double logJacobian = 0;
            for (double s : m.standardization().scale()) {
                logJacobian += Math.log(s);
            }
            double logLikelihood = java.util.Arrays.stream(ll.logDensity()).average().orElse(Double.NaN) - logJacobian;
            report.put("log_likelihood", logLikelihood);
            if (o.dequantize()) {
                report.put("bits_per_dim", bitsPerDim(logLikelihood, d));
            }
            report.put("likelihood_solver", o.flow().solver().id());
            if (o.flow().solver() == OdeSolver.RK45) {
                report.put("likelihood_rtol", o.flow().rtol());
                report.put("likelihood_atol", o.flow().atol());
            } else {
                report.put("likelihood_steps", o.flow().steps());
            }
            report.put("likelihood_evaluations", ll.evaluations());
            report.put("likelihood_divergence_exact", o.probes() == 0);
            if (o.probes() > 0) {
                report.put("likelihood_probes", o.probes());
            }
        } else {
            Sampler.Result samples = sample(f, k, o, rng);
            Mmd.Result mmd = Mmd.test(samples.samples(), samples.rows(), sub, k, d, o.bootstrap(), rng);
            report.put("mmd_sampler", f.ladder() != null ? "annealed" : f.hasEnergy() ? "mala" : "langevin");
            report.put("mmd", mmd.statistic());
            report.put("mmd_p_value", mmd.pValue());
            if (!Double.isNaN(samples.acceptanceRate())) {
                report.put("mala_acceptance", samples.acceptanceRate());
            }
        }
        if (target != null && arch.sde() == null) {
            report.put("fisher_divergence", FisherDivergence.between(m.score(test.values(), engine).toArray(),
                    target.score(test.values().toArray(), test.rows()), test.rows()));
        }
        if (train != null && arch.sde() != null) {
            double kde = LogLikelihood.kde(train, test.values());
            double gaussian = LogLikelihood.gaussian(train, test.values());
            report.put("kde_log_likelihood", kde);
            report.put("gaussian_log_likelihood", gaussian);
            if (o.dequantize()) {
                report.put("kde_bits_per_dim", bitsPerDim(kde, d));
                report.put("gaussian_bits_per_dim", bitsPerDim(gaussian, d));
            }
        }
        if (d <= 3 && f.hasEnergy() && arch.sde() == null) {
            // The normaliser evaluates (2m)ᴰ + (m+1)ᴰ energies (LogLikelihood.Normalizer).
            int grid = d == 1 ? 4000 : d == 2 ? 400 : 60;
            LogLikelihood.ModelResult ll = LogLikelihood.model(m, f, test.values(), test.values(), grid);
            report.put("log_likelihood", ll.meanLogLikelihood());
            report.put("log_z_error", ll.normalizer().error());
            if (train != null) {
                report.put("kde_log_likelihood", LogLikelihood.kde(train, test.values()));
                report.put("gaussian_log_likelihood", LogLikelihood.gaussian(train, test.values()));
            }
        }
        return report;
    }

    /** {@code −log₂ p / D}: a mean log-likelihood in nats as bits per dimension. */
    private static double bitsPerDim(double logLikelihood, int d) {
        return -logLikelihood / (d * Math.log(2));
    }

    private static double[] subset(double[] z, int n, int d, int k, SplittableRandom rng) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        double[] out = new double[k * d];
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
            System.arraycopy(z, idx[i] * d, out, i * d, d);
        }
        return out;
    }
}
