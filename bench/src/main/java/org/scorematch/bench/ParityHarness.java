package org.scorematch.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.scorematch.data.Dataset;
import org.scorematch.data.Standardization;
import org.scorematch.engine.Engine;
import org.scorematch.engine.Initialization;
import org.scorematch.io.AtomicFiles;
import org.scorematch.io.Npy;
import org.scorematch.linalg.Matrix;
import org.scorematch.engine.Activation;
import org.scorematch.model.Architecture;
import org.scorematch.model.NoiseLadder;
import org.scorematch.objective.DenoisingScoreMatching;
import org.scorematch.objective.Projection;
import org.scorematch.objective.ScoreMatching;
import org.scorematch.optim.Adam;
import org.scorematch.target.FullCovarianceMixture;
import org.scorematch.train.Seeds;

/**
 * The parity harness: scorematch and the PyTorch reference formulation
 * ({@code bench/python/torch_train.py}, parity mode) trained from one initial θ on one sequence
 * of batches, noise and directions, all drawn by scorematch; the two parameter trajectories must
 * agree to {@code max|Δθ| / max|θ| ≤ 1e-8} (float64) after every one of 100 Adam steps, for every
 * objective. A gap that remains between the two libraries' trained models then lies in the
 * defaults (initialisation, batches, schedules), not in the engine or the optimiser.
 *
 * <p>Cases: energies by exact (also with a first layer narrower than the input, the D &gt; H
 * path), sliced, sliced-VR and denoising score matching, and a noise-conditional energy by
 * multiscale denoising; score networks by exact, sliced, denoising and multiscale denoising.
 * Data: rows of an anisotropic 5-D Gaussian mixture (12-D for the narrow case), standardised.
 *
 * <p>Usage: {@code java -cp scorematch-bench.jar org.scorematch.bench.ParityHarness [--steps 100]
 * [--batch 256] [--lr 1e-3] [--hidden 128,128,128] [--python /usr/bin/python3] [--out FILE]};
 * {@code bench/parity.sh} runs it. Exits non-zero when any case exceeds the tolerance.
 */
public final class ParityHarness {
    private static final double TOLERANCE = 1e-8;

    private ParityHarness() {
    }

    /** One trajectory to compare: a model kind, an objective, the data dimension and hidden widths. */
    record Case(String model, String objective, int dim, int[] hidden) {
        String label() {
            return model + " | " + objective + " | D = " + dim + ", hidden " + java.util.Arrays.toString(hidden);
        }
    }

    /** Runs this benchmark; the class comment gives its arguments and what it prints. */
    public static void main(String[] args) throws Exception {
        BenchOptions o = BenchOptions.parse(args, Set.of());
        int steps = o.integer("steps", 100);
        int batch = o.integer("batch", 256);
        double lr = o.number("lr", 1e-3);
        int[] hidden = o.integers("hidden", "128,128,128");
        TorchTrainer torch = new TorchTrainer(o.get("python", "/usr/bin/python3"),
                o.get("script", "bench/python/torch_train.py"));
        List<Case> cases = new ArrayList<>();
        for (String objective : List.of("exact", "sliced", "sliced-vr", "denoising", "multiscale")) {
            cases.add(new Case("energy", objective, 5, hidden));
        }
        cases.add(new Case("energy", "exact", 12, new int[] {8, 8}));
        for (String objective : List.of("exact", "sliced", "denoising", "multiscale")) {
            cases.add(new Case("score", objective, 5, hidden));
        }
        Path work = Files.createTempDirectory("scorematch-parity");
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "%d Adam steps (lr %g), batch %d, float64, one "
                + "initial θ and one sequence of batch indices, noise and directions drawn by scorematch and fed to "
                + "both; worst step's max|Δθ| / max|θ| (tolerance %.0e):%n%n| model | objective | network | "
                + "parameters | worst max|Δθ| / max|θ| | at step | agree |%n|---|---|---|---|---|---|---|%n", steps, lr,
                batch, TOLERANCE));
        boolean allAgree = true;
        try (Engine engine = Engine.create(2)) {
            for (Case c : cases) {
                Path dir = Files.createDirectories(work.resolve(c.model() + "-" + c.objective() + "-" + c.dim()));
                Map<String, Object> job = new LinkedHashMap<>();
                double[][] ours = scorematch(c, steps, batch, lr, engine, dir, job);
                torch.run(List.of(job), null);
                double[] theirs = Npy.read(dir.resolve("trajectory.npy")).values().toArray();
                int p = ours[0].length;
                double worst = 0;
                int worstStep = 0;
                for (int t = 0; t < steps; t++) {
                    double diff = 0;
                    double scale = 0;
                    for (int i = 0; i < p; i++) {
                        diff = Math.max(diff, Math.abs(ours[t][i] - theirs[t * p + i]));
                        scale = Math.max(scale, Math.abs(ours[t][i]));
                    }
                    if (diff / scale > worst) {
                        worst = diff / scale;
                        worstStep = t + 1;
                    }
                }
                boolean agree = worst <= TOLERANCE;
                allAgree &= agree;
                String line = String.format(Locale.ROOT, "| %s | %s | %d → %s | %d | %.2e | %d | %s |%n", c.model(),
                        c.objective(), c.dim(), java.util.Arrays.toString(c.hidden()), p, worst, worstStep,
                        agree ? "yes" : "**no**");
                md.append(line);
                System.err.print(line);
            }
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        System.out.print(md);
        if (o.has("out")) {
            String text = md.toString();
            AtomicFiles.write(Path.of(o.get("out", "")), out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        if (!allAgree) {
            System.exit(1);
        }
    }

    /**
     * scorematch's trajectory (θ after each step), writing the inputs for the PyTorch side into
     * {@code dir} and describing its job in {@code job}.
     */
    private static double[][] scorematch(Case c, int steps, int batch, double lr, Engine engine, Path dir,
                                         Map<String, Object> job) {
        int d = c.dim();
        int n = 1024;
        double[] raw = FullCovarianceMixture.anisotropic(d, 3, new SplittableRandom(40 + d)).sample(n,
                new SplittableRandom(41));
        double[] x = Standardization.fit(Dataset.of("parity", Summary.columnNames(d), Matrix.of(n, d, raw))).apply(raw, n);
        boolean conditional = c.objective().equals("multiscale");
        NoiseLadder ladder = conditional ? NoiseLadder.geometric(5, 0.1, 10) : null;
        Architecture arch = Architecture.mlp(c.model().equals("energy") ? Architecture.Kind.ENERGY
                : Architecture.Kind.SCORE, d, c.hidden(), Activation.SILU, ladder);
        double[] theta = Initialization.PYTORCH.draw(arch.network(), new SplittableRandom(7));
        Npy.write(dir.resolve("theta0.npy"), 1, theta.length, theta);
        Npy.write(dir.resolve("data.npy"), n, d, x);
        int k = 1;
        double[] index = new double[steps * batch];
        double[] noise = new double[steps * batch * d];
        double[] sigmas = new double[steps * batch];
        double[] dirs = new double[steps * batch * k * d];
        Adam adam = Adam.of(lr);
        double[][] trajectory = new double[steps][];
        double[] grad = new double[theta.length];
        double[] xb = new double[batch * d];
        for (int t = 0; t < steps; t++) {
            SplittableRandom rng = new SplittableRandom(Seeds.mix(11, t + 1));
            for (int b = 0; b < batch; b++) {
                int row = rng.nextInt(n);
                index[t * batch + b] = row;
                System.arraycopy(x, row * d, xb, b * d, d);
            }
            double[] eps = new double[batch * d];
            for (int i = 0; i < eps.length; i++) {
                eps[i] = rng.nextGaussian();
            }
            double[] sig = new double[batch];
            double[] v = new double[batch * k * d];
            for (int b = 0; b < batch; b++) {
                sig[b] = conditional ? ladder.sigma(rng.nextInt(ladder.size())) : 0.1;
            }
            for (int r = 0; r < batch * k; r++) {
                Projection.RADEMACHER.draw(v, r * d, d, rng);
            }
            System.arraycopy(eps, 0, noise, t * batch * d, eps.length);
            System.arraycopy(sig, 0, sigmas, t * batch, batch);
            System.arraycopy(v, 0, dirs, t * batch * k * d, v.length);
            switch (c.objective()) {
                case "exact" -> ScoreMatching.exact().lossAndGradientAlong(engine, arch, theta, xb, batch, null, grad);
                case "sliced" -> ScoreMatching.sliced(k, Projection.RADEMACHER).lossAndGradientAlong(engine, arch, theta,
                        xb, batch, v, grad);
                case "sliced-vr" -> ScoreMatching.slicedVarianceReduced(k, Projection.RADEMACHER).lossAndGradientAlong(
                        engine, arch, theta, xb, batch, v, grad);
                case "denoising" -> DenoisingScoreMatching.singleLevel(0.1).lossAndGradientWith(engine, arch, theta, xb,
                        batch, sig, eps, grad);
                case "multiscale" -> DenoisingScoreMatching.multiScale().lossAndGradientWith(engine, arch, theta, xb,
                        batch, sig, eps, grad);
                default -> throw new IllegalArgumentException(c.objective());
            }
            adam.step(theta, grad);
            trajectory[t] = theta.clone();
        }
        Npy.write(dir.resolve("index.npy"), steps, batch, index);
        Npy.write(dir.resolve("noise.npy"), steps, batch * d, noise);
        Npy.write(dir.resolve("sigmas.npy"), steps, batch, sigmas);
        Npy.write(dir.resolve("dirs.npy"), steps, batch * k * d, dirs);
        job.put("mode", "parity");
        job.put("model", c.model());
        job.put("objective", c.objective());
        job.put("hidden", c.hidden());
        job.put("dim", d);
        job.put("lr", lr);
        job.put("sigma", 0.1);
        job.put("projections", k);
        job.put("threads", 2);
        if (conditional) {
            job.put("ladder", ladder.sigmas());
        }
        for (String f : List.of("theta0", "data", "index", "noise", "sigmas", "dirs", "trajectory")) {
            job.put(f, dir.resolve(f + ".npy").toString());
        }
        return trajectory;
    }
}
