package org.scorematch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.scorematch.io.CsvData;
import org.scorematch.linalg.Matrix;
import org.scorematch.metrics.KdeBandwidth;
import org.scorematch.target.FullCovarianceMixture;

/**
 * Issue 14's acceptance run for diffusion models: on random 5-D anisotropic mixtures of three
 * Gaussians with unequal weights ({@link FullCovarianceMixture#anisotropic}, weights 1/6, 2/6,
 * 3/6), {@code scorematch train --objective diffusion --sde vp --steps 10000} with everything else
 * default, then {@code scorematch sample} and {@code scorematch eval} with their defaults. Per
 * mixture seed it prints
 * <ul>
 *   <li>the largest error of the sample's component shares (each sample assigned to its likeliest
 *       component under the true mixture) against the true weights (the bar: 0.03);</li>
 *   <li>the largest coordinate error of the sample mean against the mixture mean (bar: 0.1);</li>
 *   <li>the held-out mean log-likelihood by the probability-flow ODE against the true density's
 *       (bar: within 0.1 nats) and against a Gaussian KDE with leave-one-out cross-validated
 *       bandwidth fitted on the training rows (bar: above it).</li>
 * </ul>
 * Usage: {@code java -cp scorematch-bench.jar org.scorematch.bench.DiffusionQuality [--seeds 1,2,3]
 * [--rows 10000] [--held-out 2000] [--samples 10000] [--steps 10000] [--work bench/diffusion-work]
 * [--train-args "more train arguments"]}.
 */
public final class DiffusionQuality {
    private DiffusionQuality() {
    }

    /** Runs the acceptance run; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        BenchOptions o = BenchOptions.parse(args, java.util.Set.of("reuse"));
        int[] seeds = o.integers("seeds", "1,2,3");
        int rows = o.integer("rows", 10_000);
        int heldOut = o.integer("held-out", 2000);
        int samples = o.integer("samples", 10_000);
        int steps = o.integer("steps", 10_000);
        Path work = Files.createDirectories(Path.of(o.get("work", "bench/diffusion-work")));
        String extra = o.get("train-args", "").trim();
        String[] samplers = o.list("samplers", "default");
        System.out.println("| mixture seed | sampler | weight error | mean error | log-lik (ODE) | true | KDE (CV) | train s |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (int seed : seeds) {
            int dim = 5;
            FullCovarianceMixture target = FullCovarianceMixture.anisotropic(dim, 3, new SplittableRandom(seed));
            SplittableRandom rng = new SplittableRandom(1000L + seed);
            double[] train = target.sample(rows, rng);
            double[] test = target.sample(heldOut, rng);
            List<String> names = new ArrayList<>();
            for (int c = 0; c < dim; c++) {
                names.add("x" + c);
            }
            Path dir = Files.createDirectories(work.resolve("seed" + seed));
            Path trainFile = dir.resolve("train.csv");
            Path testFile = dir.resolve("test.csv");
            CsvData.write(trainFile, names, Matrix.of(rows, dim, train));
            CsvData.write(testFile, names, Matrix.of(heldOut, dim, test));
            Path model = dir.resolve("model.safetensors");
            List<String> trainArgs = new ArrayList<>(List.of("train", "--data", trainFile.toString(), "--objective",
                    "diffusion", "--sde", "vp", "--steps", Integer.toString(steps), "--out", model.toString()));
            if (!extra.isEmpty()) {
                trainArgs.addAll(List.of(extra.split(" +")));
            }
            long t0 = System.nanoTime();
            if (!(o.has("reuse") && Files.exists(model))) {
                CliRunner.run(trainArgs.toArray(String[]::new));
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            JsonNode eval = new ObjectMapper().readTree(CliRunner.run("eval", "--model", model.toString(), "--data",
                    testFile.toString(), "--rows", Integer.toString(heldOut), "--json"));
            double truth = Arrays.stream(target.logDensity(test, heldOut)).average().orElseThrow();
            double h = KdeBandwidth.leaveOneOut(train, rows, dim, new SplittableRandom(seed));
            double kde = KdeBandwidth.meanLogDensity(train, rows, test, heldOut, dim, h);
            for (String sampler : samplers) {
                Path sampleFile = dir.resolve("samples-" + sampler + ".csv");
                List<String> sampleArgs = new ArrayList<>(List.of("sample", "--model", model.toString(), "--n",
                        Integer.toString(samples), "--out", sampleFile.toString()));
                if (!sampler.equals("default")) {
                    sampleArgs.addAll(List.of("--sampler", sampler));
                }
                CliRunner.run(sampleArgs.toArray(String[]::new));
                double[] drawn = CsvData.read(sampleFile, CsvData.Options.all()).dataset().values().toArray();
                System.out.printf(Locale.ROOT, "| %d | %s | %.4f | %.4f | %.4f | %.4f | %.4f | %.0f |%n", seed, sampler,
                        weightError(target, drawn, samples), meanError(target, drawn, samples),
                        eval.get("log_likelihood").asDouble(), truth, kde, seconds);
            }
        }
    }

    /** The largest error of the samples' component shares (likeliest component under the truth). */
    private static double weightError(FullCovarianceMixture target, double[] drawn, int samples) {
        double[] weights = target.weights();
        double[] share = new double[weights.length];
        for (int j : target.likeliestComponent(drawn, samples)) {
            share[j] += 1.0 / samples;
        }
        double error = 0;
        for (int j = 0; j < weights.length; j++) {
            error = Math.max(error, Math.abs(share[j] - weights[j]));
        }
        return error;
    }

    /** The largest coordinate error of the sample mean. */
    private static double meanError(FullCovarianceMixture target, double[] drawn, int samples) {
        double[] mean = target.mean();
        int dim = mean.length;
        double error = 0;
        for (int c = 0; c < dim; c++) {
            double m = 0;
            for (int i = 0; i < samples; i++) {
                m += drawn[i * dim + c] / samples;
            }
            error = Math.max(error, Math.abs(m - mean[c]));
        }
        return error;
    }
}
