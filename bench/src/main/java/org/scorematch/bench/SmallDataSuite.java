package org.scorematch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.scorematch.datasets.BuiltinDataset;
import org.scorematch.data.Dataset;
import org.scorematch.io.AtomicFiles;
import org.scorematch.io.CsvData;
import org.scorematch.linalg.Matrix;

/**
 * Held-out log-likelihood on small real two-column data sets: {@code scorematch train} with no
 * tuning flags against scikit-learn's cross-validated Gaussian KDE and a BIC-chosen Gaussian
 * mixture ({@code bench/python/density_baselines.py}) on the same splits.
 *
 * <p>Every data set is split at random into 80 % training and 20 % test rows, five times
 * (seeds 0–4); each side fits on the training rows and reports the mean log-density of the test
 * rows in the data's units (nats per row), scorematch's from {@code scorematch eval} (normalising
 * constant on a grid). Besides the defaults, the old defaults (exact score matching, Glorot
 * initialisation, batches drawn with replacement, no weight averaging, 10 % validation split
 * reporting the held-out loss) are
 * run for comparison, and a VP diffusion score network with its defaults, scored by the
 * probability-flow ODE. Last, digits (D = 64), dequantised once so every method sees the same
 * rows: test bits per dimension of the diffusion model and the two baselines ({@code --no-digits}
 * leaves it out, {@code --digits-splits} sets its splits).
 *
 * <p>Data: Old Faithful (eruptions, waiting; 272 rows), wine (alcohol, malic acid; 178 rows) and
 * the UCI seeds data (area, asymmetry coefficient; 210 rows, {@code bench/data/seeds.csv}).
 *
 * <p>Usage: {@code java -cp scorematch-bench.jar org.scorematch.bench.SmallDataSuite [--splits 5]
 * [--python /usr/bin/python3] [--work DIR] [--out FILE]}; {@code bench/small-data.sh} runs it.
 */
public final class SmallDataSuite {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A diffusion model (VP) with everything else default; its likelihood by the probability-flow ODE. */
    private static final String[] DIFFUSION = {"--objective", "diffusion", "--sde", "vp", "--model", "score"};
    private static final String[] OLD_DEFAULTS = {"--objective", "exact", "--init", "glorot", "--batches", "replacement",
        "--ema", "0", "--validation", "0.1", "--held-out-metric", "loss"};

    private SmallDataSuite() {
    }

    /** A two-column data set. */
    record Set2(String name, Dataset data) {
    }

    /** Runs this benchmark; the class comment gives its arguments and what it prints. */
    public static void main(String[] args) throws Exception {
        BenchOptions o = BenchOptions.parse(args, Set.of("no-digits"));
        int splits = o.integer("splits", 5);
        String python = o.get("python", "/usr/bin/python3");
        String script = o.get("script", "bench/python/density_baselines.py");
        Path work = Files.createDirectories(Path.of(o.get("work", "bench/quality-work/small-data")));
        List<Set2> sets = List.of(
                new Set2("faithful (eruptions, waiting)", columns(BuiltinDataset.FAITHFUL.load(0, null), 0, 1)),
                new Set2("wine (alcohol, malic acid)", columns(BuiltinDataset.WINE.load(0, null), 0, 1)),
                new Set2("seeds (area, asymmetry)", columns(CsvData.read(Path.of(o.get("seeds", "bench/data/seeds.csv")),
                        new CsvData.Options(List.of("area", "asymmetry"), List.of(), false)).dataset(), 0, 1)));
        Map<String, double[][]> results = new LinkedHashMap<>();
        for (Set2 set : sets) {
            double[][] r = new double[5][splits];
            for (int split = 0; split < splits; split++) {
                Path dir = Files.createDirectories(work.resolve(set.name().split(" ")[0]).resolve("split" + split));
                Path train = dir.resolve("train.csv");
                Path test = dir.resolve("test.csv");
                write(set.data(), split, train, test);
                r[0][split] = scorematch(train, test, dir.resolve("defaults.safetensors"), new String[0]);
                r[1][split] = scorematch(train, test, dir.resolve("old.safetensors"), OLD_DEFAULTS);
                r[2][split] = scorematch(train, test, dir.resolve("diffusion.safetensors"), DIFFUSION);
                JsonNode base = baselines(python, script, train, test);
                r[3][split] = base.get("kde").asDouble();
                r[4][split] = base.get("gmm").asDouble();
                System.err.printf(Locale.ROOT, "%s split %d: defaults %.4f, old defaults %.4f, diffusion %.4f, KDE-CV %.4f "
                                + "(h = %.3g), GMM-BIC %.4f (%d components)%n", set.name(), split, r[0][split], r[1][split],
                        r[2][split], r[3][split], base.get("bandwidth").asDouble(), r[4][split],
                        base.get("components").asInt());
            }
            results.put(set.name() + " | " + set.data().rows(), r);
        }
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "Held-out log-likelihood (nats per test row, data "
                + "units; higher is better), mean [min – max] over %d random 80/20 splits:%n%n| data | rows | scorematch "
                + "defaults | old defaults | diffusion (vp, ODE likelihood) | KDE, 5-fold CV bandwidth | Gaussian mixture, "
                + "BIC | defaults − KDE | diffusion − KDE |%n|---|---|---|---|---|---|---|---|---|%n", splits));
        for (Map.Entry<String, double[][]> e : results.entrySet()) {
            double[][] r = e.getValue();
            md.append("| ").append(e.getKey()).append(" |");
            for (double[] v : r) {
                md.append(String.format(Locale.ROOT, " %.3f [%.3f – %.3f] |", Summary.mean(v), Summary.min(v), Summary.max(v)));
            }
            md.append(String.format(Locale.ROOT, " %+.3f | %+.3f |%n", Summary.mean(r[0]) - Summary.mean(r[3]),
                    Summary.mean(r[2]) - Summary.mean(r[3])));
        }
        if (!o.has("no-digits")) {
            md.append(digits(python, script, o.integer("digits-splits", 1), work));
        }
        System.out.print(md);
        if (o.has("out")) {
            String text = md.toString();
            AtomicFiles.write(Path.of(o.get("out", "")), out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
        }
    }

    /**
     * Digits (D = 64, values 0–16), dequantised once (x + u, u ~ U[0, 1)ᴰ, the same rows for every
     * side), split 80/20: test bits per dimension {@code −log₂ p(x + u)/D} of the diffusion model and
     * the two baselines.
     */
    private static String digits(String python, String script, int splits, Path work) throws Exception {
        Dataset all = BuiltinDataset.DIGITS.load(0, null).dequantized(new SplittableRandom(11));
        double[][] r = new double[3][splits];
        for (int split = 0; split < splits; split++) {
            Path dir = Files.createDirectories(work.resolve("digits").resolve("split" + split));
            Path train = dir.resolve("train.csv");
            Path test = dir.resolve("test.csv");
            write(all, split, train, test);
            r[0][split] = bitsPerDim(scorematch(train, test, dir.resolve("diffusion.safetensors"), DIFFUSION), 64);
            JsonNode base = baselines(python, script, train, test);
            r[1][split] = bitsPerDim(base.get("kde").asDouble(), 64);
            r[2][split] = bitsPerDim(base.get("gmm").asDouble(), 64);
            System.err.printf(Locale.ROOT, "digits split %d: diffusion %.4f, KDE-CV %.4f, GMM-BIC %.4f bits/dim%n", split,
                    r[0][split], r[1][split], r[2][split]);
        }
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "%nDigits (1797 × 64, values 0–16, uniformly "
                + "dequantised): test bits per dimension (lower is better), mean [min – max] over %d random 80/20 "
                + "split(s):%n%n| diffusion (vp, ODE likelihood) | KDE, 5-fold CV bandwidth | Gaussian mixture, BIC |%n"
                + "|---|---|---|%n|", splits));
        for (double[] v : r) {
            md.append(String.format(Locale.ROOT, " %.3f [%.3f – %.3f] |", Summary.mean(v), Summary.min(v), Summary.max(v)));
        }
        return md.append('\n').toString();
    }

    private static double bitsPerDim(double logLikelihood, int d) {
        return -logLikelihood / (d * Math.log(2));
    }

    private static Dataset columns(Dataset d, int a, int b) {
        int n = d.rows();
        double[] v = new double[2 * n];
        for (int i = 0; i < n; i++) {
            v[2 * i] = d.values().get(i, a);
            v[2 * i + 1] = d.values().get(i, b);
        }
        return Dataset.of(d.source(), List.of(d.columns().get(a), d.columns().get(b)), Matrix.of(n, 2, v));
    }

    /** A seeded random 80/20 split of the rows, written as CSV with the columns' names. */
    private static void write(Dataset d, int split, Path train, Path test) throws java.io.IOException {
        int n = d.rows();
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(7919L * (split + 1));
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        int m = (int) Math.round(0.8 * n);
        StringBuilder a = new StringBuilder(String.join(",", d.columns())).append('\n');
        StringBuilder b = new StringBuilder(a);
        for (int i = 0; i < n; i++) {
            StringBuilder target = i < m ? a : b;
            for (int c = 0; c < d.dimension(); c++) {
                target.append(c == 0 ? "" : ",").append(d.values().get(p[i], c));
            }
            target.append('\n');
        }
        Files.writeString(train, a);
        Files.writeString(test, b);
    }

    private static double scorematch(Path train, Path test, Path model, String[] extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("train", "--data", train.toString(), "--out", model.toString(),
                "--threads", "2"));
        args.addAll(List.of(extra));
        CliRunner.run(args.toArray(String[]::new));
        // Every test row enters the likelihood (eval's --rows also caps its KSD and MMD subsets).
        String report = CliRunner.run("eval", "--model", model.toString(), "--data", test.toString(), "--json",
                "--rows", "100000", "--sampler-steps", "20", "--bootstrap", "20");
        return JSON.readTree(report.substring(report.indexOf('{'))).get("log_likelihood").asDouble();
    }

    private static JsonNode baselines(String python, String script, Path train, Path test) throws Exception {
        Process p = new ProcessBuilder(python, script, train.toString(), test.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            line = r.readLine();
        }
        if (p.waitFor() != 0 || line == null) {
            throw new IllegalStateException(script + " failed on " + train);
        }
        return JSON.readTree(line);
    }
}
