package org.scorematch.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.scorematch.ScorematchException;
import org.scorematch.data.Dataset;
import org.scorematch.engine.Engine;
import org.scorematch.io.CsvData;
import org.scorematch.io.ModelFile;
import org.scorematch.linalg.Matrix;
import org.scorematch.model.Sde;
import org.scorematch.model.TrainedModel;
import org.scorematch.sample.ChainDiagnostics;
import org.scorematch.sample.DiffusionSampler;
import org.scorematch.sample.Sampler;
import org.scorematch.sample.ScoreFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scorematch sample}: draws samples from a trained model with Langevin dynamics. */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Draw samples from a model: unadjusted Langevin, MALA (energy models; Metropolis-corrected, "
                + "step size adapted towards 57%% acceptance during burn-in), tempering (energy models with separated "
                + "modes: replica exchange over a temperature ladder, MALA at each temperature), HMC (energy models; path length jittered, "
                + "step size adapted towards 65%% acceptance) or annealed Langevin (noise-conditional "
                + "models). The default, --sampler auto, picks annealed for noise-conditional models, MALA with a burn-in "
                + "for energies and Langevin for score networks. Each run reports the rank-normalised split-R̂ and the "
                + "bulk effective sample size over the chains and warns when R̂ > 1.01. Step sizes are in the model's "
                + "standardised units; samples are written in data units.", ""},
        footer = {"", "Examples:",
                "  scorematch sample --model faithful.safetensors --n 2000 --sampler mala --out samples.csv",
                "  scorematch sample --model modes.safetensors --n 2000 --sampler tempering --max-temperature 50 "
                        + "--out samples.csv",
                "  scorematch sample --model ring.safetensors --n 1000 --sampler langevin --steps 500 --step-size 1e-3 "
                        + "--out s.csv",
                "  scorematch sample --model ncsn.safetensors --n 1000 --sampler annealed --steps 100 --step-size 2e-5 "
                        + "--init noise --out s.csv"})
public final class SampleCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "A model file written by train.")
    Path model;

    @Option(names = "--n", defaultValue = "1000", description = "Number of chains (one sample each unless --thin). Default: ${DEFAULT-VALUE}.")
    int n;

    @Option(names = "--sampler", defaultValue = "auto",
            description = "auto (sde for diffusion models, annealed for noise-conditional models, mala for "
                    + "energies, langevin for score networks), langevin, mala, hmc, tempering (energy models), annealed, "
                    + "or for diffusion models pc (predictor–corrector), sde (reverse SDE, Euler–Maruyama) and ode "
                    + "(probability flow, by --solver). Default: ${DEFAULT-VALUE}.")
    String sampler;

    @Option(names = "--steps", defaultValue = "1000",
            description = "Steps per chain after burn-in (per noise level for annealed). Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--step-size", description = "Step size η (the start of adaptation for mala and hmc). Default: "
            + "0.1·σ_L² for annealed, 0.01 otherwise.")
    Double stepSize;

    @Option(names = "--burn-in", description = "Steps before samples are kept. Default: --steps for mala and hmc (the "
            + "step size adapts during it), 0 otherwise.")
    Integer burnIn;

    @Option(names = "--thin", description = "Keep every thin-th state of each chain. Default: only the last.")
    Integer thin;

    @Option(names = "--target-acceptance",
            description = "Acceptance rate MALA and HMC adapt the step size towards during burn-in. Default: 0.574 for "
                    + "MALA, 0.65 for HMC.")
    Double targetAcceptance;

    @Mixin
    TemperingOptions tempering = new TemperingOptions();

    @Mixin
    FlowOptions flow = new FlowOptions();

    @Option(names = "--snr", defaultValue = "0.16",
            description = "Diffusion, pc: the corrector's signal-to-noise ratio. Default: ${DEFAULT-VALUE}.")
    double snr;

    @Option(names = "--corrector-steps", defaultValue = "1",
            description = "Diffusion, pc: Langevin corrector steps per time step. Default: ${DEFAULT-VALUE}.")
    int correctorSteps;

    @Option(names = "--init", defaultValue = "gaussian",
            description = "Initial states: gaussian (N(0, I) standardised), noise (uniform on [-3, 3]^D standardised) or "
                    + "data (random rows of --data). Default: ${DEFAULT-VALUE}.")
    String init;

    @Mixin
    DataOptions data = new DataOptions();

    @Option(names = "--seed", defaultValue = "1", description = "Random seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--threads", description = "Engine threads. Default: the number of processors.")
    Integer threads;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "CSV file to write (atomically).")
    Path out;

    @Override
    public Integer call() {
        TrainedModel m = ModelFile.load(model);
        int d = m.dimension();
        if (n < 1) {
            throw new ScorematchException("--n must be positive");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        if (m.model().architecture().sde() != null && (sampler.equals("auto")
                || org.scorematch.Identified.isId(DiffusionSampler.Kind.class, sampler))) {
            // The reverse SDE by default, not predictor–corrector: with the same steps, PC's Langevin
            // corrector (snr 0.16) doubled the largest mode-share error on the ring and missed the
            // weights or the mean more often on 5-D mixtures (BENCHMARKS.md, "Diffusion"): it samples
            // each p_t of the learned score more faithfully, errors at small t included.
            return reverseDiffusion(m, d, sampler.equals("auto") ? DiffusionSampler.Kind.SDE
                    : DiffusionSampler.Kind.fromId(sampler), rng);
        }
        double[] start = initial(m, d, rng);
        int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        Sampler.Result r;
        Sampler.Options options;
        try (Engine engine = Engine.create(t)) {
            ScoreFunction f = ScoreFunction.of(m.model(), engine);
            Sampler.Kind kind = Sampler.choose(sampler, f);
            Sampler.Temperatures ladder = tempering.forDimension(d);
            options = new Sampler.Options(kind, steps, stepSize == null ? Sampler.defaultStepSize(kind, f) : stepSize,
                    burnIn == null ? Sampler.defaultBurnIn(kind, steps) : burnIn, thin == null ? steps : thin,
                    targetAcceptance == null ? Sampler.Options.defaultAcceptance(kind) : targetAcceptance, ladder);
            r = Sampler.run(f, start, n, options, rng);
        }
        double[] x = m.standardization().invert(r.samples(), r.rows());
        CsvData.write(out, m.columns(), Matrix.of(r.rows(), d, x));
        var o = spec.commandLine().getOut();
        if (!Double.isNaN(r.acceptanceRate())) {
            o.printf("%s acceptance rate %.3f at step size %.4g%n", options.kind() == Sampler.Kind.HMC ? "HMC" : "MALA",
                    r.acceptanceRate(), r.finalStepSize());
        }
        if (!Double.isNaN(r.swapRate())) {
            o.printf(Locale.ROOT, "tempering: %d temperatures up to %.4g, swap acceptance %.3f between neighbours%s%n",
                    options.temperatures().count(), options.temperatures().max(), r.swapRate(),
                    r.swapRate() < 0.1 ? " (low: use more --temperatures)" : "");
        }
        if (!r.diagnostics().isEmpty()) {
            o.printf(Locale.ROOT, "%s: R̂ %.3f (largest over the %d coordinates), bulk ESS %.0f (smallest), from %d chains "
                    + "after burn-in%n", options.kind().id(), r.maxRHat(), d, r.minBulkEss(),
                    Math.min(n, Sampler.TRACED_CHAINS));
            if (r.maxRHat() > ChainDiagnostics.R_HAT_LIMIT) {
                o.printf(Locale.ROOT, "warning: R̂ %.3f > %.2f: the chains have not mixed (separated modes or too few "
                        + "steps); the samples may not follow the model: try more --steps or --burn-in%s%n", r.maxRHat(),
                        ChainDiagnostics.R_HAT_LIMIT, m.model() instanceof org.scorematch.model.EnergyModel
                                && options.kind() != Sampler.Kind.TEMPERING
                                ? ", or --sampler tempering for separated modes" : "");
            }
        }
        o.printf("wrote %d samples to %s%n", r.rows(), out);
        return 0;
    }

    /**
     * A diffusion model's own samplers: from its prior at t = 1 to ε, predictor–corrector or the
     * reverse SDE in --steps steps, or the probability-flow ODE by --solver; then Tweedie's denoising.
     */
    private int reverseDiffusion(TrainedModel m, int d, DiffusionSampler.Kind kind, SplittableRandom rng) {
        var arch = m.model().architecture();
        Sde sde = arch.sde();
        int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        double[] z;
        String how;
        try (Engine engine = Engine.create(t)) {
            ScoreFunction f = ScoreFunction.of(m.model(), engine);
            double[] start = DiffusionSampler.prior(sde, n, d, rng);
            double eps = arch.sdeEpsilon();
            switch (kind) {
                case ODE -> {
                    DiffusionSampler.Flow solved = DiffusionSampler.probabilityFlow(sde, f, start, n, eps,
                            flow.integration(), true);
                    z = solved.samples();
                    how = String.format(Locale.ROOT, "%s by %s, %d score evaluations", kind.title(),
                            flow.integration().describe(), solved.evaluations());
                }
                case PC -> {
                    z = DiffusionSampler.predictorCorrector(sde, f, start, n, steps, eps, snr, correctorSteps, true, rng);
                    how = kind.title() + " (" + correctorSteps + " Langevin corrector step(s) at snr " + snr + "), "
                            + steps + " steps";
                }
                case SDE -> {
                    z = DiffusionSampler.reverseSde(sde, f, start, n, steps, eps, true, rng);
                    how = kind.title() + ", " + steps + " steps";
                }
                default -> throw new IllegalStateException(kind.id());
            }
        }
        double[] x = m.standardization().invert(z, n);
        CsvData.write(out, m.columns(), Matrix.of(n, d, x));
        var o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "%s for the %s SDE, from t = 1 to %.3g, then Tweedie's denoising%n", how, sde.spec(),
                arch.sdeEpsilon());
        o.printf("wrote %d samples to %s%n", n, out);
        return 0;
    }

    private double[] initial(TrainedModel m, int d, SplittableRandom rng) {
        double[] x = new double[n * d];
        switch (init) {
            case "gaussian" -> {
                for (int i = 0; i < x.length; i++) {
                    x[i] = rng.nextGaussian();
                }
            }
            case "noise" -> {
                for (int i = 0; i < x.length; i++) {
                    x[i] = rng.nextDouble(-3, 3);
                }
            }
            case "data" -> {
                if (data.data == null) {
                    throw new ScorematchException("--init data needs --data FILE");
                }
                Dataset ds = data.read(m.columns(), spec.commandLine().getOut());
                if (ds.dimension() != d) {
                    throw new ScorematchException(data.data + ": the data have " + ds.dimension() + " columns, the model "
                            + "expects " + d);
                }
                double[] z = m.standardization().applyInPlace(ds.values().toArray(), ds.rows());
                for (int i = 0; i < n; i++) {
                    System.arraycopy(z, rng.nextInt(ds.rows()) * d, x, i * d, d);
                }
            }
            default -> throw new ScorematchException("unknown --init '" + init + "'; expected gaussian, noise or data");
        }
        return x;
    }

}
