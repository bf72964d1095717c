package org.scorematch.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.scorematch.engine.Engine;
import org.scorematch.linalg.Blas;
import org.scorematch.metrics.FisherDivergence;
import org.scorematch.model.Activation;
import org.scorematch.model.Architecture;
import org.scorematch.model.EnergyModel;
import org.scorematch.model.Model;
import org.scorematch.model.NoiseLadder;
import org.scorematch.model.ScoreModel;
import org.scorematch.objective.DenoisingScoreMatching;
import org.scorematch.objective.Objective;
import org.scorematch.objective.Projection;
import org.scorematch.objective.ScoreMatching;
import org.scorematch.optim.Adam;
import org.scorematch.target.GaussianMixture;
import org.scorematch.train.TargetTraining;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scorematch train}: trains an MLP energy or score network on a built-in target with a known score. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train an MLP energy or score network by score matching on a built-in target and report the "
                + "Fisher divergence to its analytic score.", "",
                "Noise levels are in the data's units. Without --sigma / --sigma-min the smallest level is 0.1 × the "
                        + "data's RMS standard deviation; multiscale ladders start at the largest pairwise distance "
                        + "of 2000 samples and have at least 10 levels (Song & Ermon 2020); the choice is printed.",
                ""},
        footer = {"", "Examples:",
                "  scorematch train",
                "  scorematch train --dataset ring --objective sliced --projections 4 --steps 3000",
                "  scorematch train --dataset mixture10 --objective sliced-vr --hidden 256,256 --lr 5e-4",
                "  scorematch train --model score --objective denoising --sigma 0.3",
                "  scorematch train --model score --objective multiscale --sigma-max 10 --sigma-min 0.2 --levels 12 "
                        + "--steps 5000"})
public final class TrainCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--dataset", defaultValue = "ring",
            description = "Built-in target: ring (8 Gaussians, radius 4, std 0.5) or mixture10 (10-D, 4 Gaussians). "
                    + "Default: ${DEFAULT-VALUE}.")
    String dataset;

    @Option(names = "--model", defaultValue = "energy",
            description = "energy (E with score −∇E) or score (a network that outputs the score). "
                    + "Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--objective", defaultValue = "exact",
            description = "exact, sliced, sliced-vr, denoising (one σ) or multiscale (noise-conditional, σ ladder). "
                    + "Default: ${DEFAULT-VALUE}.")
    String objective;

    @Option(names = "--sigma", description = "Noise level of single-level denoising (data units).")
    Double sigma;

    @Option(names = "--sigma-max", description = "Largest noise level of the multiscale ladder (data units).")
    Double sigmaMax;

    @Option(names = "--sigma-min", description = "Smallest noise level of the multiscale ladder (data units).")
    Double sigmaMin;

    @Option(names = "--levels", description = "Number of multiscale noise levels.")
    Integer levels;

    @Option(names = "--projections", defaultValue = "1",
            description = "Directions per sample for sliced objectives. Default: ${DEFAULT-VALUE}.")
    int projections;

    @Option(names = "--projection", defaultValue = "rademacher",
            description = "Direction law for sliced objectives: rademacher, gaussian or sphere (radius √D). "
                    + "Default: ${DEFAULT-VALUE}.")
    String projection;

    @Option(names = "--hidden", defaultValue = "128,128,128", split = ",",
            description = "Hidden layer widths. Default: ${DEFAULT-VALUE}.")
    int[] hidden;

    @Option(names = "--activation", defaultValue = "silu",
            description = "silu, softplus, tanh or gelu. Default: ${DEFAULT-VALUE}.")
    String activation;

    @Option(names = "--steps", defaultValue = "2000", description = "Adam steps. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--batch", defaultValue = "256", description = "Samples per step. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Adam learning rate. Default: ${DEFAULT-VALUE}.")
    double lr;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--threads", description = "Engine threads. Default: the number of processors.")
    Integer threads;

    @Option(names = "--log-every", defaultValue = "200", description = "Steps between progress lines. Default: ${DEFAULT-VALUE}.")
    int logEvery;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        GaussianMixture target = switch (dataset) {
            case "ring" -> GaussianMixture.ring();
            case "mixture10" -> GaussianMixture.mixture10();
            default -> throw new IllegalArgumentException("unknown dataset '" + dataset + "'; expected ring or mixture10");
        };
        if (steps < 1 || batch < 1) {
            throw new IllegalArgumentException("--steps and --batch must be positive");
        }
        Architecture.Kind kind = switch (model) {
            case "energy" -> Architecture.Kind.ENERGY;
            case "score" -> Architecture.Kind.SCORE;
            default -> throw new IllegalArgumentException("unknown model '" + model + "'; expected energy or score");
        };
        double[] sample = target.sample(2000, new SplittableRandom(seed + 2));
        double defaultSigmaMin = 0.1 * rmsStd(sample, 2000, target.dimension());
        NoiseLadder ladder = null;
        Objective obj = switch (objective) {
            case "exact" -> ScoreMatching.exact();
            case "sliced" -> ScoreMatching.sliced(projections, Projection.fromId(projection));
            case "sliced-vr" -> ScoreMatching.slicedVarianceReduced(projections, Projection.fromId(projection));
            case "denoising" -> DenoisingScoreMatching.singleLevel(sigma != null ? sigma : defaultSigmaMin);
            case "multiscale" -> DenoisingScoreMatching.multiScale();
            default -> throw new IllegalArgumentException("unknown objective '" + objective
                    + "'; expected exact, sliced, sliced-vr, denoising or multiscale");
        };
        if (objective.equals("multiscale")) {
            double min = sigmaMin != null ? sigmaMin : defaultSigmaMin;
            NoiseLadder suggested = NoiseLadder.suggest(sample, 2000, target.dimension(), min,
                    new SplittableRandom(seed + 3));
            ladder = NoiseLadder.geometric(sigmaMax != null ? sigmaMax : suggested.max(), min,
                    levels != null ? levels : suggested.size());
            out.printf("noise levels: %s%s%n", ladder, (sigmaMax == null || levels == null)
                    ? " (defaults from the data: σ_max = largest pairwise distance, L from the dimension; "
                    + "override with --sigma-max, --sigma-min, --levels)" : "");
        } else if (sigmaMax != null || sigmaMin != null || levels != null) {
            throw new IllegalArgumentException("--sigma-max, --sigma-min and --levels apply to --objective multiscale");
        } else if (objective.equals("denoising")) {
            out.printf("noise level: σ = %.4g%s%n", ((DenoisingScoreMatching) obj).sigma(),
                    sigma == null ? " (default: 0.1 × the data's RMS standard deviation; override with --sigma)" : "");
        }
        if (sigma != null && !objective.equals("denoising")) {
            throw new IllegalArgumentException("--sigma applies to --objective denoising");
        }
        int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        SplittableRandom rng = new SplittableRandom(seed);
        Architecture arch = Architecture.mlp(kind, target.dimension(), hidden, Activation.fromId(activation), ladder);
        Model initial = kind == Architecture.Kind.ENERGY ? EnergyModel.of(arch, rng) : ScoreModel.of(arch, rng);
        out.printf("BLAS: %s%n", Blas.description());
        out.printf("training %s on %s (D=%d) with %s score matching: %d steps, batch %d, lr %g, %d threads, seed %d%n",
                arch, target.name(), target.dimension(), obj.id(), steps, batch, lr, t, seed);
        out.flush();
        try (Engine engine = Engine.create(t)) {
            double before = FisherDivergence.estimate(initial, target, 5000, new SplittableRandom(seed + 1), engine);
            out.printf("Fisher divergence before training: %.4f%n", before);
            long start = System.nanoTime();
            double[] window = new double[1];
            Model trained = TargetTraining.train(initial, obj, target, steps, batch,
                    Adam.of(lr), engine, rng, (step, loss) -> {
                        window[0] += loss;
                        if (step % logEvery == 0 || step == steps) {
                            int n = step % logEvery == 0 ? logEvery : step % logEvery;
                            double elapsed = (System.nanoTime() - start) / 1e9;
                            out.printf("step %6d  loss %10.4f  %7.1f steps/s%n", step, window[0] / n, step / elapsed);
                            out.flush();
                            window[0] = 0;
                        }
                    });
            double seconds = (System.nanoTime() - start) / 1e9;
            double after = FisherDivergence.estimate(trained, target, 5000, new SplittableRandom(seed + 1), engine);
            out.printf("Fisher divergence after training: %.4f (5000 fresh samples%s; %.1f s, %.2f ms/step)%n", after,
                    ladder == null ? "" : String.format(java.util.Locale.ROOT, ", at σ_min = %.4g", ladder.min()),
                    seconds, 1000 * seconds / steps);
            out.printf("hidden widths %s, %d parameters%n", Arrays.toString(hidden), arch.network().parameterCount());
        }
        return 0;
    }

    private static double rmsStd(double[] x, int n, int dim) {
        double total = 0;
        for (int c = 0; c < dim; c++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += x[i * dim + c] / n;
            }
            for (int i = 0; i < n; i++) {
                double dv = x[i * dim + c] - mean;
                total += dv * dv / n;
            }
        }
        return Math.sqrt(total / dim);
    }
}
