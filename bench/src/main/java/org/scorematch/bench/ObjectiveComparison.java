package org.scorematch.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.scorematch.engine.Engine;
import org.scorematch.metrics.FisherDivergence;
import org.scorematch.engine.Activation;
import org.scorematch.model.EnergyModel;
import org.scorematch.objective.DenoisingScoreMatching;
import org.scorematch.objective.Objective;
import org.scorematch.objective.Projection;
import org.scorematch.objective.ScoreMatching;
import org.scorematch.optim.Adam;
import org.scorematch.plot.FigureFiles;
import org.scorematch.plot.Figures;
import org.scorematch.target.GaussianMixture;

/**
 * The comparison every score-matching text asks for: exact, sliced (K=1), sliced-VR (K=1) and
 * denoising (σ = 0.3) on the ring and the 10-D mixture — Fisher divergence to the clean target against
 * training wall-clock time (3×128 SiLU energy, batch 256, Adam 2e-3, several seeds; median and
 * min–max band) — and the time of one training step against D for each objective. Writes CSV and
 * PNG figures to the given folder (default docs/). Usage:
 * {@code java -cp bench/target/scorematch-bench.jar org.scorematch.bench.ObjectiveComparison [dir] [seeds]}.
 */
public final class ObjectiveComparison {
    private ObjectiveComparison() {
    }

    private record Run(double[] seconds, double[] fisher) {
    }

    /** Runs this benchmark; the class comment gives its arguments and what it prints. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "docs");
        int seeds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Files.createDirectories(dir);
        StringBuilder csv = new StringBuilder("target,objective,seed,step,seconds,fisher_divergence\n");
        try (Engine engine = Engine.create(2)) {
            for (GaussianMixture target : List.of(GaussianMixture.ring(), GaussianMixture.mixture10())) {
                int steps = target.dimension() == 2 ? 2000 : 1500;
                List<Figures.Band> bands = new ArrayList<>();
                for (String name : List.of("exact", "sliced", "sliced-vr", "denoising")) {
                    List<Run> runs = new ArrayList<>();
                    for (int seed = 1; seed <= seeds; seed++) {
                        Run run = train(target, objective(name, target), steps, seed, engine);
                        runs.add(run);
                        for (int i = 0; i < run.seconds().length; i++) {
                            csv.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%.4f,%.6f%n", target.name(), name, seed,
                                    (i + 1) * 100, run.seconds()[i], run.fisher()[i]));
                        }
                        System.out.printf(Locale.ROOT, "%s %s seed %d: Fisher %.4f after %.1f s%n", target.name(), name,
                                seed, run.fisher()[run.fisher().length - 1], run.seconds()[run.seconds().length - 1]);
                    }
                    bands.add(band(name, runs));
                }
                FigureFiles.write(Figures.bands("Fisher divergence during training: " + target.name() + " (D = "
                                + target.dimension() + ", " + seeds + " seeds, median and range)",
                        "training time (s, 2 threads)", "Fisher divergence to the true score", false, true, bands),
                        dir.resolve("objectives-" + target.name() + ".png"), 900, 620);
            }
            Files.writeString(dir.resolve("objectives.csv"), csv.toString());
            stepTimes(dir);
        }
    }

    private static Objective objective(String name, GaussianMixture target) {
        return switch (name) {
            case "exact" -> ScoreMatching.exact();
            case "sliced" -> ScoreMatching.sliced(1, Projection.RADEMACHER);
            case "sliced-vr" -> ScoreMatching.slicedVarianceReduced(1, Projection.RADEMACHER);
            default -> DenoisingScoreMatching.singleLevel(0.3);
        };
    }

    /** Trains for {@code steps}, measuring the Fisher divergence every 100 steps outside the timed part. */
    private static Run train(GaussianMixture target, Objective objective, int steps, int seed, Engine engine) {
        SplittableRandom rng = new SplittableRandom(seed);
        EnergyModel model = EnergyModel.mlp(target.dimension(), new int[] {128, 128, 128}, Activation.SILU, rng);
        double[] theta = model.parameters();
        double[] grad = new double[theta.length];
        Adam adam = Adam.of(2e-3);
        double[] seconds = new double[steps / 100];
        double[] fisher = new double[steps / 100];
        double elapsed = 0;
        for (int step = 1; step <= steps; step++) {
            long t0 = System.nanoTime();
            double[] x = target.sample(256, rng);
            objective.lossAndGradient(engine, model.architecture(), theta, x, 256, rng, grad);
            adam.step(theta, grad);
            elapsed += (System.nanoTime() - t0) / 1e9;
            if (step % 100 == 0) {
                seconds[step / 100 - 1] = elapsed;
                fisher[step / 100 - 1] = FisherDivergence.estimate(model.withParameters(theta), target, 2000,
                        new SplittableRandom(99), engine);
            }
        }
        return new Run(seconds, fisher);
    }

    private static Figures.Band band(String name, List<Run> runs) {
        int k = runs.get(0).fisher().length;
        double[] x = new double[k];
        double[] mid = new double[k];
        double[] lo = new double[k];
        double[] hi = new double[k];
        for (int i = 0; i < k; i++) {
            double[] f = new double[runs.size()];
            double[] t = new double[runs.size()];
            for (int r = 0; r < runs.size(); r++) {
                f[r] = runs.get(r).fisher()[i];
                t[r] = runs.get(r).seconds()[i];
            }
            Arrays.sort(f);
            Arrays.sort(t);
            x[i] = t[t.length / 2];
            mid[i] = f[f.length / 2];
            lo[i] = f[0];
            hi[i] = f[f.length - 1];
        }
        return new Figures.Band(name, x, mid, lo, hi);
    }

    /** Median ms per step (B=256, 3×128 SiLU, 2 threads) for D ∈ {2, 10, 50, 100, 200}. */
    private static void stepTimes(Path dir) throws Exception {
        int[] dims = {2, 10, 50, 100, 200};
        List<Figures.Band> bands = new ArrayList<>();
        StringBuilder csv = new StringBuilder("objective,dim,ms_per_step\n");
        try (Engine engine = Engine.create(2)) {
            for (String name : List.of("exact", "sliced", "sliced-vr", "denoising-energy")) {
                double[] x = new double[dims.length];
                double[] ms = new double[dims.length];
                for (int i = 0; i < dims.length; i++) {
                    StepWorkload w = new StepWorkload(name, dims[i], 256, new int[] {128, 128, 128}, 1);
                    ms[i] = StepHarness.timeMs(() -> w.step(engine), 1.0);
                    x[i] = dims[i];
                    csv.append(String.format(Locale.ROOT, "%s,%d,%.3f%n", name, dims[i], ms[i]));
                    System.out.printf(Locale.ROOT, "%s D=%d: %.2f ms/step%n", name, dims[i], ms[i]);
                }
                bands.add(new Figures.Band(name.equals("denoising-energy") ? "denoising" : name, x, ms, ms, ms));
            }
        }
        Files.writeString(dir.resolve("step-time.csv"), csv.toString());
        FigureFiles.write(Figures.bands("Time of one training step against dimension (B = 256, 3×128 SiLU, 2 threads)",
                "dimension D", "ms per step (loss, gradient, Adam)", true, true, bands), dir.resolve("step-time.png"), 900, 620);
    }
}
