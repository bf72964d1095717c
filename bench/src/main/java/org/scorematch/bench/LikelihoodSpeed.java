package org.scorematch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.scorematch.data.Dataset;
import org.scorematch.datasets.BuiltinDataset;
import org.scorematch.engine.Activation;
import org.scorematch.engine.Engine;
import org.scorematch.io.Npy;
import org.scorematch.metrics.FlowLikelihood;
import org.scorematch.model.Architecture;
import org.scorematch.model.Sde;
import org.scorematch.model.TrainedModel;
import org.scorematch.objective.DenoisingScoreMatching;
import org.scorematch.sample.OdeSolver;
import org.scorematch.sample.ScoreFunction;
import org.scorematch.train.Trainer;

/**
 * Likelihood speed against score_sde's PyTorch formulation ({@code bench/python/torch_likelihood.py}):
 * a VP diffusion score network (3×128 SiLU, the network seeing {@code [x, log σ(t)]}) trained on
 * dequantised digits (D = 64) for {@code --steps} steps, then the probability-flow log-likelihood
 * of {@code --rows} rows by RK45 at rtol = atol = 1e-5, float64 on both sides, two threads each:
 * scorematch's exact divergence (D basis jets in one forward pass) and Hutchinson's with K probes,
 * against PyTorch's exact divergence (D backward passes, as sbi and score_sde's exact option do)
 * and Hutchinson with K probes (score_sde's default, K = 1). Prints seconds, function
 * evaluations, milliseconds per evaluation and the mean log-density (both sides integrate the
 * same ODE, so these agree to the solver's tolerance: an independent check of the likelihood),
 * the ratio of PyTorch's exact time to ours, and the K at which PyTorch's Hutchinson per
 * evaluation costs as much as scorematch's exact divergence.
 *
 * <p>Usage: {@code bench/likelihood.sh [--rows 1000] [--steps 300] [--probes 1,4,16]}.
 */
public final class LikelihoodSpeed {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LikelihoodSpeed() {
    }

    /** Runs the comparison; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        BenchOptions o = BenchOptions.parse(args, java.util.Set.of());
        int rows = o.integer("rows", 1000);
        int steps = o.integer("steps", 300);
        int[] probes = o.integers("probes", "1,4,16");
        String python = o.get("python", "python3");
        Path work = Files.createDirectories(Path.of(o.get("work", "bench/likelihood-work")));
        Dataset digits = BuiltinDataset.DIGITS.load(0, new SplittableRandom(1)).dequantized(new SplittableRandom(2));
        int d = digits.dimension();
        int[] hidden = {128, 128, 128};
        Sde sde = Sde.vp(0.1, 20);
        double eps = DenoisingScoreMatching.DEFAULT_EPSILON;
        Architecture arch = Architecture.diffusion(Architecture.Kind.SCORE, d, hidden, Activation.SILU, sde, eps);
        TrainedModel m = Trainer.builder().architecture(arch).objective(DenoisingScoreMatching.continuous(sde, eps))
                .adam(1e-3).steps(steps).batch(256).seed(1).threads(2).build().fit(digits);
        double[] z = m.standardization().applyInPlace(digits.values().toArray(), digits.rows());
        double[] x = java.util.Arrays.copyOf(z, Math.min(rows, digits.rows()) * d);
        int n = x.length / d;
        Npy.write(work.resolve("theta.npy"), 1, m.model().parameters().length, m.model().parameters());
        Npy.write(work.resolve("rows.npy"), n, d, x);

        OdeSolver.Integration rk45 = OdeSolver.Integration.rk45(1e-5, 1e-5);
        Map<String, double[]> ours = new LinkedHashMap<>();
        try (Engine engine = Engine.create(2)) {
            ScoreFunction f = ScoreFunction.of(m.model(), engine);
            FlowLikelihood.logDensity(sde, eps, f, java.util.Arrays.copyOf(x, 20 * d), 20, rk45, 0, null);
            List<String> methods = new ArrayList<>(List.of("exact"));
            for (int k : probes) {
                methods.add("hutchinson:" + k);
            }
            for (String method : methods) {
                int k = method.equals("exact") ? 0 : Integer.parseInt(method.substring(method.indexOf(':') + 1));
                long t0 = System.nanoTime();
                FlowLikelihood.Result r = FlowLikelihood.logDensity(sde, eps, f, x, n, rk45, k, new SplittableRandom(3));
                double seconds = (System.nanoTime() - t0) / 1e9;
                ours.put(method, new double[] {seconds, r.evaluations(),
                    java.util.Arrays.stream(r.logDensity()).average().orElseThrow()});
            }
        }
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("theta", work.resolve("theta.npy").toString());
        job.put("data", work.resolve("rows.npy").toString());
        job.put("hidden", hidden);
        job.put("beta_min", 0.1);
        job.put("beta_max", 20.0);
        job.put("eps", eps);
        job.put("rtol", 1e-5);
        job.put("atol", 1e-5);
        job.put("methods", new ArrayList<>(ours.keySet()));
        job.put("seed", 3);
        JsonNode theirs = runTorch(python, job);

        System.out.printf(Locale.ROOT, "Probability-flow log-likelihood of %d digits rows (D = %d), VP, 3×128 SiLU score "
                + "network trained %d steps; RK45 rtol = atol = 1e-5, float64, 2 threads each%n%n", n, d, steps);
        System.out.println("| side | divergence | seconds | evaluations | ms per evaluation | mean log p (standardised) |");
        System.out.println("|---|---|---|---|---|---|");
        for (var e : ours.entrySet()) {
            double[] v = e.getValue();
            System.out.printf(Locale.ROOT, "| scorematch | %s | %.2f | %.0f | %.1f | %.4f |%n", e.getKey(), v[0], v[1],
                    1e3 * v[0] / v[1], v[2]);
        }
        for (var it = theirs.fields(); it.hasNext();) {
            var e = it.next();
            JsonNode v = e.getValue();
            System.out.printf(Locale.ROOT, "| PyTorch | %s | %.2f | %d | %.1f | %.4f |%n", e.getKey(),
                    v.get("seconds").asDouble(), v.get("evaluations").asInt(),
                    1e3 * v.get("seconds").asDouble() / v.get("evaluations").asInt(), v.get("mean_log_density").asDouble());
        }
        double[] exact = ours.get("exact");
        JsonNode torchExact = theirs.get("exact");
        System.out.printf(Locale.ROOT, "%nPyTorch exact / scorematch exact: %.1f× in time, %.1f× per evaluation%n",
                torchExact.get("seconds").asDouble() / exact[0],
                torchExact.get("seconds").asDouble() / torchExact.get("evaluations").asDouble() / (exact[0] / exact[1]));
        // PyTorch's Hutchinson cost per evaluation is about a + b·K: fitted through the smallest and largest K.
        double perEval = exact[0] / exact[1];
        int k1 = probes[0];
        int k2 = probes[probes.length - 1];
        double c1 = perProbeEval(theirs.get("hutchinson:" + k1));
        double c2 = perProbeEval(theirs.get("hutchinson:" + k2));
        double slope = k2 == k1 ? c1 / k1 : (c2 - c1) / (k2 - k1);
        double intercept = c1 - slope * k1;
        System.out.printf(Locale.ROOT, "PyTorch's Hutchinson costs as much per evaluation as scorematch's exact divergence "
                + "at K ≈ %.1f probes (its cost per evaluation ≈ %.1f + %.2f·K ms)%n", (perEval - intercept) / slope,
                1e3 * intercept, 1e3 * slope);
    }

    private static double perProbeEval(JsonNode r) {
        return r.get("seconds").asDouble() / r.get("evaluations").asDouble();
    }

    private static JsonNode runTorch(String python, Map<String, Object> job) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(python, "bench/python/torch_likelihood.py")
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(JSON.writeValueAsBytes(job));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("torch_likelihood.py failed: " + out);
        }
        return JSON.readTree(out);
    }
}
