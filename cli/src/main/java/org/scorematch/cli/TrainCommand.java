package org.scorematch.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.scorematch.engine.Engine;
import org.scorematch.linalg.Blas;
import org.scorematch.metrics.FisherDivergence;
import org.scorematch.model.Activation;
import org.scorematch.model.EnergyModel;
import org.scorematch.objective.Objective;
import org.scorematch.objective.Projection;
import org.scorematch.objective.ScoreMatching;
import org.scorematch.optim.Adam;
import org.scorematch.target.GaussianMixture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scorematch train}: trains an MLP energy on a built-in target with a known score. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train an MLP energy by score matching on a built-in target and report the Fisher divergence "
                + "to its analytic score.", ""},
        footer = {"", "Examples:",
                "  scorematch train",
                "  scorematch train --dataset ring --objective sliced --projections 4 --steps 3000",
                "  scorematch train --dataset mixture10 --objective sliced-vr --hidden 256,256 --lr 5e-4"})
public final class TrainCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--dataset", defaultValue = "ring",
            description = "Built-in target: ring (8 Gaussians, radius 4, std 0.5) or mixture10 (10-D, 4 Gaussians). "
                    + "Default: ${DEFAULT-VALUE}.")
    String dataset;

    @Option(names = "--objective", defaultValue = "exact",
            description = "exact, sliced or sliced-vr. Default: ${DEFAULT-VALUE}.")
    String objective;

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
        Objective obj = switch (objective) {
            case "exact" -> ScoreMatching.exact();
            case "sliced" -> ScoreMatching.sliced(projections, Projection.fromId(projection));
            case "sliced-vr" -> ScoreMatching.slicedVarianceReduced(projections, Projection.fromId(projection));
            default -> throw new IllegalArgumentException(
                    "unknown objective '" + objective + "'; expected exact, sliced or sliced-vr");
        };
        if (steps < 1 || batch < 1) {
            throw new IllegalArgumentException("--steps and --batch must be positive");
        }
        int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        SplittableRandom rng = new SplittableRandom(seed);
        EnergyModel model = EnergyModel.mlp(target.dimension(), hidden, Activation.fromId(activation), rng);
        out.printf("BLAS: %s%n", Blas.description());
        out.printf("training %s on %s (D=%d) with %s score matching: %d steps, batch %d, lr %g, %d threads, seed %d%n",
                model, target.name(), target.dimension(), obj.id(), steps, batch, lr, t, seed);
        out.flush();
        try (Engine engine = Engine.create(t)) {
            double before = FisherDivergence.estimate(model, target, 5000, new SplittableRandom(seed + 1), engine);
            out.printf("Fisher divergence before training: %.4f%n", before);
            long start = System.nanoTime();
            double[] window = new double[1];
            EnergyModel trained = org.scorematch.train.TargetTraining.train(model, obj, target, steps, batch,
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
            out.printf("Fisher divergence after training: %.4f (5000 fresh samples; %.1f s, %.2f ms/step)%n", after,
                    seconds, 1000 * seconds / steps);
            out.printf("hidden widths %s, %d parameters%n", Arrays.toString(hidden), model.network().parameterCount());
        }
        return 0;
    }
}
