package org.scorematch.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.scorematch.ScorematchException;
import org.scorematch.metrics.FisherDivergence;
import org.scorematch.engine.Engine;
import org.scorematch.engine.Precision;
import org.scorematch.datasets.BuiltinDataset;
import org.scorematch.data.Dataset;
import org.scorematch.data.Standardization;
import org.scorematch.engine.Initialization;
import org.scorematch.io.ModelFile;
import org.scorematch.linalg.Blas;
import org.scorematch.linalg.Matrix;
import org.scorematch.engine.Activation;
import org.scorematch.model.Architecture;
import org.scorematch.model.NoiseLadder;
import org.scorematch.model.Sde;
import org.scorematch.model.TrainedModel;
import org.scorematch.objective.DenoisingScoreMatching;
import org.scorematch.objective.Objective;
import org.scorematch.objective.ObjectiveName;
import org.scorematch.objective.Projection;
import org.scorematch.objective.Weighting;
import org.scorematch.optim.OptimizerKind;
import org.scorematch.optim.Schedule;
import org.scorematch.target.Target;
import org.scorematch.train.BatchOrder;
import org.scorematch.train.DefaultObjective;
import org.scorematch.train.HeldOutMetric;
import org.scorematch.train.Trainer;
import org.scorematch.train.TrainingDefaults;
import org.scorematch.options.TrainingOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scorematch train}: trains an energy or score model on a data file or a built-in data set. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train an energy or score model by score matching and write it as a safetensors model file.", "",
                "Data are standardised (mean 0, standard deviation 1 per column, fitted on the training rows) unless "
                        + "--no-standardize is given; noise levels (--sigma, --sigma-max, --sigma-min) are in "
                        + "standardised units, or in data units with --no-standardize. Without them the smallest level is "
                        + "0.1 × the data's RMS standard deviation, multiscale ladders start at the largest pairwise "
                        + "distance and have at least 10 levels (Song & Ermon 2020); the choice is printed.", ""},
        footer = {"", "Examples:",
                "  scorematch train",
                "  scorematch train --dataset faithful --steps 3000 --out faithful.safetensors",
                "  scorematch train --data samples.csv --drop label --objective sliced --projections 4 --out m.safetensors",
                "  scorematch train --dataset digits --dequantize --model score --objective denoising --sigma 0.3",
                "  scorematch train --dataset ring --model score --objective multiscale --levels 12 --steps 5000",
                "  scorematch train --dataset faithful --checkpoint ckpt.safetensors --checkpoint-every 500",
                "  scorematch train --dataset faithful --resume ckpt.safetensors --steps 4000"})
public final class TrainCommand extends TrainingOptions implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    DataOptions file = new DataOptions();

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "A built-in data set instead of --data (scorematch datasets lists them). Default: ring.")
    String dataset;

    @Option(names = "--rows", defaultValue = "10000",
            description = "Samples drawn from a synthetic built-in data set. Default: ${DEFAULT-VALUE}.")
    int rows;

    @Option(names = "--dequantize",
            description = "Add U(0, 1) noise to integer-valued data (such as digits) before standardising.")
    boolean dequantize;

    @Option(names = "--batches", defaultValue = "epochs",
            description = "epochs (every row once per pass, in a fresh random order each pass) or replacement (rows drawn "
                    + "with replacement). Default: ${DEFAULT-VALUE}.")
    String batches;

    @Option(names = "--validation", defaultValue = "0",
            description = "Fraction of rows held out for the held-out loss, early stopping and, for energies with D ≤ 3, "
                    + "the held-out log-likelihood that picks the best weights (0: every row trains). "
                    + "Default: ${DEFAULT-VALUE}.")
    double validation;

    @Option(names = "--held-out-metric", defaultValue = "auto",
            description = "What picks the best held-out weights and stops early: likelihood (held-out log-likelihood, "
                    + "energies with D ≤ 3), loss (the objective on held-out rows) or auto (likelihood where it applies). "
                    + "Default: ${DEFAULT-VALUE}.")
    String heldOutMetric;

    @Option(names = "--eval-every", defaultValue = "100", description = "Steps between held-out evaluations. Default: ${DEFAULT-VALUE}.")
    int evalEvery;

    @Option(names = "--patience", defaultValue = "0",
            description = "Stop after this many evaluations without improvement (0: never). Default: ${DEFAULT-VALUE}.")
    int patience;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "Where to write checkpoints.")
    Path checkpoint;

    @Option(names = "--checkpoint-every", defaultValue = "0", description = "Steps between checkpoints (0: none).")
    int checkpointEvery;

    @Option(names = "--resume", paramLabel = "CHECKPOINT", description = "Continue from a checkpoint (same options).")
    Path resume;

    @Option(names = "--log", paramLabel = "FILE", description = "Write the loss curve as CSV.")
    Path log;

    @Option(names = "--threads", description = "Engine threads. Default: the number of processors.")
    Integer threads;

    @Option(names = "--out", defaultValue = "model.safetensors", paramLabel = "MODEL",
            description = "Model file to write. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        BuiltinDataset builtin = null;
        Dataset data;
        if (file.data != null && dataset != null) {
            throw new ScorematchException("give either --data FILE or --dataset NAME, not both");
        }
        if (file.data != null) {
            try (CompilerWarmUp warmUp = warmUp()) {
                data = file.read(null, o);
            }
        } else {
            builtin = BuiltinDataset.fromId(dataset == null ? "ring" : dataset);
            data = builtin.load(rows, new SplittableRandom(seed + 7));
        }
        if (dequantize) {
            data = data.dequantized(new SplittableRandom(seed + 11));
        }
        int d = data.dimension();
        TrainingDefaults defaults = TrainingDefaults.forObjective(objective.equals("auto") ? null
                : ObjectiveName.fromId(objective));
        Architecture.Kind kind = model == null ? defaults.kind() : Architecture.Kind.fromId(model);
        int batchSize = batch == null ? defaults.batch() : batch;
        double rate = lr == null ? defaults.learningRate() : lr;
        // The data in the units the noise levels are given in, made only when a default is taken from it:
        // a copy of the data is about 30 ms of a cold start on 20 000 × 50 values (BENCHMARKS.md, whole process).
        Dataset samples = data;
        double[][] standardized = new double[1][];
        Supplier<double[]> z = () -> {
            if (standardized[0] == null) {
                standardized[0] = (noStandardize ? Standardization.identity(d) : Standardization.fit(samples))
                        .applyInPlace(samples.values().toArray(), samples.rows());
            }
            return standardized[0];
        };
        DoubleSupplier defaultSigma = () -> NoiseLadder.defaultMinimum(z.get(), samples.rows(), d);
        NoiseLadder ladder = null;
        String units = noStandardize ? "data units" : "standardised units";
        Sde diffusion = objective.equals("diffusion") ? sde(z.get(), data.rows(), d, units, o) : null;
        if ((betaMin != null || betaMax != null) && (diffusion == null || diffusion.id().equals("ve"))) {
            throw new ScorematchException("--beta-min and --beta-max apply to --objective diffusion with --sde vp or subvp");
        }
        Objective obj = switch (objective) {
            case "auto" -> {
                DefaultObjective chosen = DefaultObjective.forData(z.get(), data.rows(), d, new SplittableRandom(seed + 5));
                o.printf("objective: %s (the default; choose one with --objective)%n", chosen.reason());
                yield chosen.objective();
            }
            default -> ObjectiveName.fromId(objective).create(projections, Projection.fromId(projection),
                    sigma != null ? sigma : objective.equals("denoising") ? defaultSigma.getAsDouble() : Double.NaN,
                    diffusion,
                    weighting == null ? Weighting.SIGMA2 : Weighting.fromId(weighting));
        };
        if (weighting != null && diffusion == null) {
            throw new ScorematchException("--weighting applies to --objective diffusion");
        }
        if (objective.equals("multiscale")) {
            double min = sigmaMin != null ? sigmaMin : defaultSigma.getAsDouble();
            NoiseLadder suggested = NoiseLadder.suggest(z.get(), data.rows(), d, min, new SplittableRandom(seed + 3));
            ladder = NoiseLadder.geometric(sigmaMax != null ? sigmaMax : suggested.max(), min,
                    levels != null ? levels : suggested.size());
            o.printf("noise levels (%s): %s%s%n", units, ladder, (sigmaMax == null || levels == null || sigmaMin == null)
                    ? " (defaults from the data: σ_max = largest pairwise distance, L from the dimension; "
                    + "override with --sigma-max, --sigma-min, --levels)" : "");
        } else if ((diffusion == null && (sigmaMax != null || sigmaMin != null)) || levels != null) {
            throw new ScorematchException("--sigma-max, --sigma-min and --levels apply to --objective multiscale "
                    + "(and --sigma-min, --sigma-max to --objective diffusion with --sde ve)");
        } else if (objective.equals("denoising")) {
            o.printf("noise level (%s): σ = %.4g%s%n", units, ((DenoisingScoreMatching) obj).sigma(),
                    sigma == null ? " (default: 0.1 × the data's RMS standard deviation; override with --sigma)" : "");
        }
        if (sigma != null && !objective.equals("denoising")) {
            throw new ScorematchException("--sigma applies to --objective denoising");
        }
        Architecture arch;
        try {
            arch = diffusion != null
                    ? Architecture.diffusion(kind, d, hidden, Activation.fromId(activation), diffusion,
                            DenoisingScoreMatching.DEFAULT_EPSILON)
                    : Architecture.mlp(kind, d, hidden, Activation.fromId(activation), ladder);
        } catch (IllegalArgumentException e) {
            throw new ScorematchException(e.getMessage());
        }
        Schedule sched = Schedule.of(schedule == null ? defaults.schedule() : Schedule.Kind.fromId(schedule), stepEvery,
                stepGamma);
        int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        Trainer.Builder builder = Trainer.builder().architecture(arch).objective(obj).schedule(sched)
                .weightDecay(weightDecay).clipNorm(clipNorm).ema(ema).validationFraction(validation)
                .evaluateEvery(evalEvery).patience(patience).steps(steps).batch(batchSize).seed(seed).threads(t)
                .standardize(!noStandardize).log(log);
        try {
            builder.initialization(Initialization.fromId(init)).precision(Precision.fromId(precision)).batchOrder(BatchOrder.fromId(batches))
                    .heldOutMetric(HeldOutMetric.fromId(heldOutMetric));
        } catch (IllegalArgumentException e) {
            throw new ScorematchException(e.getMessage());
        }
        builder.optimizer(OptimizerKind.fromId(optimizer), rate, momentum);
        if (checkpointEvery > 0 || checkpoint != null) {
            if (checkpoint == null || checkpointEvery < 1) {
                throw new ScorematchException("--checkpoint and --checkpoint-every go together");
            }
            builder.checkpoint(checkpoint, checkpointEvery);
        }
        int startStep = resume == null ? 0 : 1;
        builder.listener(new ProgressDisplay(o, System.console() != null, Math.max(1, steps / 20), startStep));
        Trainer trainer = builder.build();

        o.printf("BLAS: %s%n", Blas.description());
        o.printf("training %s on %s (%d rows × %d columns) with %s score matching: %d steps, batch %d, %s lr %g, "
                        + "%d threads, seed %d, %s%n", arch, data.source(), data.rows(), d, obj.id(), steps, batchSize, optimizer, rate,
                t, seed, precision);
        o.flush();
        TrainedModel trained = resume == null ? trainer.fit(data) : trainer.resume(resume, data);
        ModelFile.save(trained, out);
        var info = trained.info();
        o.printf(Locale.ROOT, "trained %s steps in %s s; final loss %s%s%s%n", info.get("steps"), info.get("seconds"),
                shortNumber(info.get("final_loss")), info.containsKey("held_out_loss")
                        ? ", held-out loss " + shortNumber(info.get("held_out_loss")) : "",
                info.containsKey("held_out_log_likelihood") ? ", held-out log-likelihood "
                        + shortNumber(info.get("held_out_log_likelihood")) + " (standardised units, best kept)" : "");
        Optional<Target> target = builtin == null ? Optional.empty() : builtin.target();
        // A diffusion model's score at t → ε is its least trained part and not its fit: sample it instead.
        if (target.isPresent() && !dequantize && diffusion == null) {
            // A single-σ denoising model estimates the score of the data convolved with N(0, σ²I),
            // so its divergence from the clean score includes that smoothing bias, not only error.
            String against = obj instanceof DenoisingScoreMatching dsm && !dsm.isMultiScale()
                    ? String.format(Locale.ROOT, "; against the clean target, so it includes the bias of smoothing at "
                            + "σ = %.4g", dsm.sigma())
                    : "";
            o.printf(Locale.ROOT, "Fisher divergence to the analytic score: %.4f (5000 fresh samples, data units%s)%n",
                    fisher(trained, target.get(), t), against);
        }
        o.printf("wrote %s%n", out);
        return 0;
    }

    /** The diffusion objective's SDE, from --sde and its parameters or the data's defaults. */
    /** Warms the engine's code up on a second thread while the data file is read ({@link CompilerWarmUp}). */
    private CompilerWarmUp warmUp() {
        try {
            ObjectiveName name = objective.equals("auto") ? null : ObjectiveName.fromId(objective);
            Architecture.Kind kind = model == null ? TrainingDefaults.forObjective(name).kind()
                    : Architecture.Kind.fromId(model);
            return CompilerWarmUp.start(kind, hidden, activation, precision,
                    name == null ? ObjectiveName.DENOISING : name);
        } catch (RuntimeException unparsed) {
            // The run reports bad settings itself, after reading the data as before.
            return CompilerWarmUp.none();
        }
    }

    private Sde sde(double[] z, int n, int d, String units, PrintWriter o) {
        boolean ve = sde.equals("ve");
        if (!ve && (sigmaMin != null || sigmaMax != null)) {
            throw new ScorematchException("--sigma-min and --sigma-max apply to --sde ve; vp and subvp take --beta-min, "
                    + "--beta-max");
        }
        Sde chosen = Sde.forData(sde, z, n, d, ve ? sigmaMin : betaMin, ve ? sigmaMax : betaMax,
                new SplittableRandom(seed + 3));
        boolean defaults = ve ? sigmaMin == null || sigmaMax == null : betaMin == null || betaMax == null;
        o.printf("SDE (%s): %s%s%n", units, chosen.spec(), defaults ? (ve
                ? " (defaults: σ_min = 0.01, σ_max = the data's largest pairwise distance; override with --sigma-min, --sigma-max)"
                : " (defaults: β from 0.1 to 20; override with --beta-min, --beta-max)") : "");
        return chosen;
    }

    private static String shortNumber(String s) {
        return String.format(Locale.ROOT, "%.4f", Double.parseDouble(s));
    }

    private double fisher(TrainedModel trained, Target target, int threads) {
        try (Engine engine = Engine.create(threads)) {
            return FisherDivergence.estimate(trained, target, 5000, new SplittableRandom(seed + 99), engine);
        }
    }

}
