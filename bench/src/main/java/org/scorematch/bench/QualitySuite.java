package org.scorematch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.scorematch.data.Standardization;
import org.scorematch.io.AtomicFiles;
import org.scorematch.io.ModelFile;
import org.scorematch.io.Npy;
import org.scorematch.linalg.Matrix;
import org.scorematch.model.NoiseLadder;
import org.scorematch.model.TrainedModel;
import org.scorematch.target.AnalyticTargets;
import org.scorematch.target.FullCovarianceMixture;
import org.scorematch.target.StudentTProduct;
import org.scorematch.target.Target;

/**
 * The quality suite: trains scorematch and the PyTorch reference with the same settings on
 * targets with analytic scores and reports the Fisher divergence {@code ½E‖s_θ − ∇log p‖²} (data
 * units, on fresh points) per seed, side by side.
 *
 * <p>For each target and seed, n training rows and m evaluation rows are drawn once and handed to
 * both sides as {@code .npy} files. The variants:
 * <ul>
 *   <li>{@code torch}: {@code bench/python/torch_train.py} in quality mode — PyTorch's own
 *       initialisation, all rows, {@code DataLoader(shuffle=True)} batches;</li>
 *   <li>{@code reference}: {@code scorematch train} with the reference hyperparameters given
 *       explicitly — network (3×128 SiLU), optimiser (Adam, no weight decay or clipping), learning
 *       rate (1e-3, constant), batch (256) and steps (2000) — and everything else (initialisation,
 *       validation split, batch drawing, weight averaging) left to scorematch's defaults;</li>
 *   <li>{@code defaults}: {@code scorematch train --data X --objective O --steps 2000} (plus
 *       {@code --model score} for score networks): scorematch's own defaults;</li>
 *   <li>{@code NAME=ARGS}, given with {@code --variant} (several separated by {@code ;}): the
 *       defaults with these {@code scorematch train} arguments, for experiments.</li>
 * </ul>
 * Both sides use the same noise level (σ = 0.1 in standardised units, scorematch's default) and
 * noise ladder (the one {@code scorematch train} chooses for the data). PyTorch results are
 * cached in the work folder by job, since the reference is deterministic and slow.
 *
 * <p>Usage: {@code java -cp scorematch-bench.jar org.scorematch.bench.QualitySuite [--targets
 * banana,mixture5,student-t10,ar1-20,mixture50] [--cases energy:exact,...] [--seeds 5] [--rows 5000]
 * [--eval-rows 5000] [--steps 2000] [--variants torch,reference,defaults] [--variant NAME=ARGS]
 * [--torch-skip TARGET:MODEL:OBJECTIVE,...] [--work bench/quality-work] [--out FILE]};
 * {@code --torch-skip} leaves rows out of the PyTorch side where its cost is out of reach (they
 * read "not run"). {@code bench/quality.sh} runs it with the environment both sides share.
 */
public final class QualitySuite {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALL_TARGETS = "banana,mixture5,student-t10,ar1-20,mixture50";
    private static final String ALL_CASES = "energy:exact,energy:sliced,energy:sliced-vr,energy:denoising,"
            + "score:sliced,score:denoising,score:multiscale";
    /** The reference's network, optimiser, learning rate and batch; the steps are passed to every variant. */
    private static final String[] REFERENCE_ARGS = {"--hidden", "128,128,128", "--activation", "silu", "--optimizer",
        "adam", "--lr", "1e-3", "--schedule", "constant", "--weight-decay", "0", "--clip-norm", "0", "--batch", "256"};

    private QualitySuite() {
    }

    /** A row of the table: a target and a model kind trained by one objective. */
    record Case(String target, String model, String objective) {
        String label() {
            return target + " | " + model + " | " + objective;
        }

        String id() {
            return target + ":" + model + ":" + objective;
        }
    }

    /** A target's files for one seed. */
    record Draw(Path train, Path eval, Path evalScore, double[] evalPoints, double[] truth, int dim, double[] ladder) {
    }

    /** Runs this benchmark; the class comment gives its arguments and what it prints. */
    public static void main(String[] args) throws Exception {
        BenchOptions o = BenchOptions.parse(args, Set.of());
        String[] targets = o.list("targets", ALL_TARGETS);
        String[] cases = o.list("cases", ALL_CASES);
        int seeds = o.integer("seeds", 5);
        int rows = o.integer("rows", 5000);
        int evalRows = o.integer("eval-rows", 5000);
        int steps = o.integer("steps", 2000);
        int threads = o.integer("threads", 2);
        Set<String> torchSkip = Set.of(o.list("torch-skip", ""));
        Map<List<String>, Double> memo = new java.util.HashMap<>();
        List<String> variants = new ArrayList<>(List.of(o.list("variants", "torch,reference,defaults")));
        Map<String, String[]> custom = new LinkedHashMap<>();
        if (o.has("variant")) {
            for (String v : o.get("variant", "").split(";")) {
                int eq = v.indexOf('=');
                custom.put(v.substring(0, eq), v.substring(eq + 1).trim().split("\\s+"));
                if (!variants.contains(v.substring(0, eq))) {
                    variants.add(v.substring(0, eq));
                }
            }
        }
        Path work = Path.of(o.get("work", "bench/quality-work"));
        Files.createDirectories(work);
        TorchTrainer torch = new TorchTrainer(o.get("python", "/usr/bin/python3"),
                o.get("script", "bench/python/torch_train.py"));
        Path cacheFile = work.resolve("torch-cache.jsonl");
        Map<String, Double> cache = readCache(cacheFile);

        Map<String, Map<String, double[]>> results = new LinkedHashMap<>();
        for (String targetName : targets) {
            Target target = target(targetName);
            List<Draw> draws = new ArrayList<>();
            for (int seed = 0; seed < seeds; seed++) {
                draws.add(draw(target, targetName, seed, rows, evalRows, work));
            }
            List<Case> rowsOfTarget = new ArrayList<>();
            for (String c : cases) {
                String[] mo = c.split(":");
                rowsOfTarget.add(new Case(targetName, mo[0], mo[1]));
            }
            if (variants.contains("torch")) {
                runTorch(torch, rowsOfTarget.stream().filter(c -> !torchSkip.contains(c.id())).toList(), draws, rows,
                        steps, cache, cacheFile);
            }
            for (Case c : rowsOfTarget) {
                Map<String, double[]> byVariant = results.computeIfAbsent(c.label(), k -> new LinkedHashMap<>());
                for (String variant : variants) {
                    double[] f = new double[seeds];
                    for (int seed = 0; seed < seeds; seed++) {
                        f[seed] = variant.equals("torch") ? cache.getOrDefault(torchKey(c, seed, rows, steps), Double.NaN)
                                : scorematch(c, draws.get(seed), seed, steps, variant, custom.get(variant), work, threads,
                                        memo);
                    }
                    byVariant.put(variant, f);
                    System.err.printf(Locale.ROOT, "%s | %s: %s%n", c.label(), variant, Arrays.toString(f));
                }
            }
        }
        String report = report(results, variants, seeds, rows, evalRows, steps);
        System.out.print(report);
        if (o.has("out")) {
            AtomicFiles.write(Path.of(o.get("out", "")), out -> out.write(report.getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** The suite's targets; their own parameters (rotations, means) are fixed, only the samples change with the seed. */
    static Target target(String name) {
        return switch (name) {
            case "banana" -> AnalyticTargets.banana();
            case "mixture5" -> FullCovarianceMixture.anisotropic(5, 3, new SplittableRandom(105));
            case "student-t10" -> StudentTProduct.of(10, 3, new SplittableRandom(110));
            case "ar1-20" -> AnalyticTargets.correlatedGaussian(20, 0.9);
            case "mixture50" -> FullCovarianceMixture.anisotropic(50, 3, new SplittableRandom(150));
            default -> throw new IllegalArgumentException("unknown target " + name + "; expected one of " + ALL_TARGETS);
        };
    }

    private static Draw draw(Target target, String name, int seed, int rows, int evalRows, Path work) {
        Path dir = work.resolve(name + "-n" + rows).resolve("seed" + seed);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        int d = target.dimension();
        double[] train = target.sample(rows, new SplittableRandom(1000 + seed));
        double[] eval = target.sample(evalRows, new SplittableRandom(2000 + seed));
        double[] truth = target.score(eval, evalRows);
        Draw draw = new Draw(dir.resolve("train.npy"), dir.resolve("eval.npy"), dir.resolve("eval_score.npy"), eval, truth,
                d, ladderFor(train, rows, d, seed));
        Npy.write(draw.train(), rows, d, train);
        Npy.write(draw.eval(), evalRows, d, eval);
        Npy.write(draw.evalScore(), evalRows, d, truth);
        return draw;
    }

    /** The ladder {@code scorematch train --seed seed --objective multiscale} picks for these rows. */
    private static double[] ladderFor(double[] train, int rows, int d, int seed) {
        double[] z = Standardization.fit(org.scorematch.data.Dataset.of("train", Summary.columnNames(d), Matrix.of(rows, d, train)))
                .apply(train, rows);
        return NoiseLadder.suggest(z, rows, d, NoiseLadder.defaultMinimum(z, rows, d), new SplittableRandom(seed + 3))
                .sigmas();
    }

    private static String torchKey(Case c, int seed, int rows, int steps) {
        return c.label() + " | seed " + seed + " | n " + rows + " | steps " + steps;
    }

    private static void runTorch(TorchTrainer torch, List<Case> cases, List<Draw> draws, int rows, int steps,
                                 Map<String, Double> cache, Path cacheFile) throws Exception {
        List<Map<String, Object>> jobs = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (Case c : cases) {
            for (int seed = 0; seed < draws.size(); seed++) {
                Draw dr = draws.get(seed);
                String key = torchKey(c, seed, rows, steps);
                if (cache.containsKey(key)) {
                    continue;
                }
                Map<String, Object> job = new LinkedHashMap<>();
                job.put("mode", "quality");
                job.put("id", key);
                job.put("model", c.model());
                job.put("objective", c.objective());
                job.put("hidden", List.of(128, 128, 128));
                job.put("lr", 1e-3);
                job.put("steps", steps);
                job.put("batch", 256);
                job.put("dim", dr.dim());
                job.put("seed", seed);
                job.put("sigma", 0.1);
                job.put("projections", 1);
                job.put("projection", "rademacher");
                job.put("threads", 2);
                if (c.objective().equals("multiscale")) {
                    job.put("ladder", dr.ladder());
                }
                job.put("train", dr.train().toString());
                job.put("eval", dr.eval().toString());
                job.put("eval_score", dr.evalScore().toString());
                jobs.add(job);
                keys.add(key);
            }
        }
        torch.run(jobs, (i, node) -> {
            double f = node.get("fisher").asDouble();
            cache.put(keys.get(i), f);
            System.err.printf(Locale.ROOT, "torch %s: %.4f (%.0f s)%n", keys.get(i), f,
                    node.has("seconds") ? node.get("seconds").asDouble() : Double.NaN);
            try {
                Files.writeString(cacheFile, JSON.writeValueAsString(Map.of("key", keys.get(i), "fisher", f)) + "\n",
                        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static Map<String, Double> readCache(Path file) throws IOException {
        Map<String, Double> cache = new LinkedHashMap<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    JsonNode n = JSON.readTree(line);
                    cache.put(n.get("key").asText(), n.get("fisher").asDouble());
                }
            }
        }
        return cache;
    }

    /** Trains with {@code scorematch train} in this JVM and returns the Fisher divergence on the draw's evaluation rows. */
    private static double scorematch(Case c, Draw dr, int seed, int steps, String variant, String[] extra, Path work,
                                     int threads, Map<List<String>, Double> memo) throws IOException {
        Path model = Files.createTempFile(work, "model", ".safetensors");
        List<String> args = new ArrayList<>(List.of("train", "--data", dr.train().toString(), "--objective", c.objective(),
                "--model", c.model(), "--steps", Integer.toString(steps), "--seed", Integer.toString(seed), "--threads",
                Integer.toString(threads),
                "--out", model.toString()));
        if (variant.equals("reference")) {
            override(args, REFERENCE_ARGS);
        } else if (extra != null) {
            override(args, extra);
        }
        // Variants whose arguments state the same settings (the defaults equal the reference's
        // hyperparameters, say) train the same model: it is trained once. Only --out differs.
        List<String> key = new ArrayList<>(args);
        key.set(key.indexOf("--out") + 1, "");
        key.add(dr.train().toString());
        Double known = memo.get(canonical(key));
        if (known != null) {
            Files.deleteIfExists(model);
            return known;
        }
        double f = train(c, dr, args, variant, model);
        memo.put(canonical(key), f);
        return f;
    }

    /**
     * {@code train}'s arguments (after the subcommand) as flag → value with every option's default
     * filled in from the command's own definition, so that spelling a default out changes nothing.
     */
    private static List<String> canonical(List<String> args) {
        java.util.TreeMap<String, String> m = new java.util.TreeMap<>();
        for (int i = 1; i + 1 < args.size(); i += 2) {
            m.put(args.get(i), args.get(i + 1));
        }
        m.put("", args.get(args.size() - 1));
        for (picocli.CommandLine.Model.OptionSpec option : new picocli.CommandLine(new org.scorematch.cli.TrainCommand())
                .getCommandSpec().options()) {
            if (option.defaultValue() != null) {
                m.putIfAbsent(option.longestName(), option.defaultValue());
            }
        }
        List<String> out = new ArrayList<>();
        m.forEach((k, v) -> {
            out.add(k);
            out.add(v);
        });
        return out;
    }

    private static double train(Case c, Draw dr, List<String> args, String variant, Path model) throws IOException {
        try {
            try {
                CliRunner.run(args.toArray(String[]::new));
            } catch (IllegalStateException e) {
                System.err.println(c.label() + " " + variant + ": " + e.getMessage());
                return Double.NaN;
            }
            TrainedModel trained = ModelFile.load(model);
            NoiseLadder ladder = trained.model().architecture().ladder();
            if (ladder != null && !Arrays.equals(ladder.sigmas(), dr.ladder())) {
                throw new IllegalStateException("scorematch chose the ladder " + ladder + ", PyTorch was given "
                        + Arrays.toString(dr.ladder()));
            }
            int m = dr.truth().length / dr.dim();
            double[] s = trained.score(Matrix.of(m, dr.dim(), dr.evalPoints())).toArray();
            double sum = 0;
            for (int i = 0; i < s.length; i++) {
                double diff = s[i] - dr.truth()[i];
                sum += diff * diff;
            }
            return 0.5 * sum / m;
        } finally {
            Files.deleteIfExists(model);
        }
    }

    /** Appends {@code --flag value} pairs to {@code args}, replacing an earlier value of the same flag. */
    private static void override(List<String> args, String[] pairs) {
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            int at = args.indexOf(pairs[i]);
            if (at >= 0) {
                args.set(at + 1, pairs[i + 1]);
            } else {
                args.add(pairs[i]);
                args.add(pairs[i + 1]);
            }
        }
    }

    private static String report(Map<String, Map<String, double[]>> results, List<String> variants, int seeds, int rows,
                                 int evalRows, int steps) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Fisher divergence to the true score (data units, %d fresh points), mean "
                + "[min – max] over seeds 0–%d; %d training rows per seed, %d steps.%n%n", evalRows, seeds - 1, rows, steps));
        md.append("| target | model | objective |");
        for (String v : variants) {
            md.append(' ').append(v).append(" |");
        }
        boolean ratios = variants.contains("torch");
        for (String v : variants) {
            if (ratios && !v.equals("torch")) {
                md.append(' ').append(v).append(" / torch |");
            }
        }
        md.append('\n').append("|---|---|---|");
        md.append("---|".repeat((int) (variants.size() + (ratios ? variants.size() - 1 : 0))));
        md.append('\n');
        for (Map.Entry<String, Map<String, double[]>> row : results.entrySet()) {
            md.append("| ").append(row.getKey()).append(" |");
            for (String v : variants) {
                double[] f = row.getValue().get(v);
                md.append(Arrays.stream(f).allMatch(Double::isNaN) ? " not run |" : String.format(Locale.ROOT,
                        " %.4g [%.3g – %.3g] |", Summary.mean(f), Summary.min(f), Summary.max(f)));
            }
            if (ratios) {
                double t = Summary.mean(row.getValue().get("torch"));
                for (String v : variants) {
                    if (!v.equals("torch")) {
                        md.append(Double.isNaN(t) ? " – |"
                                : String.format(Locale.ROOT, " %.2f |", Summary.mean(row.getValue().get(v)) / t));
                    }
                }
            }
            md.append('\n');
        }
        return md.toString();
    }
}
