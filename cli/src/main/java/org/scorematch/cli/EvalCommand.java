package org.scorematch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.scorematch.ScorematchException;
import org.scorematch.data.BuiltinDataset;
import org.scorematch.data.Dataset;
import org.scorematch.engine.Engine;
import org.scorematch.io.CsvData;
import org.scorematch.io.ModelFile;
import org.scorematch.linalg.Matrix;
import org.scorematch.metrics.KernelStein;
import org.scorematch.metrics.LogLikelihood;
import org.scorematch.metrics.Mmd;
import org.scorematch.model.TrainedModel;
import org.scorematch.objective.Projection;
import org.scorematch.objective.ScoreMatching;
import org.scorematch.sample.Sampler;
import org.scorematch.sample.ScoreFunction;
import org.scorematch.target.Target;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scorematch eval}: how well a model fits test data. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate a model on test data: held-out score-matching loss, kernel Stein discrepancy (IMQ "
                + "kernel, wild-bootstrap p-value), MMD between model samples and the data (Gaussian kernel, median "
                + "heuristic, permutation p-value), the Fisher divergence for built-in targets with analytic scores, and "
                + "for energy models with D ≤ 3 the test log-likelihood (normalising constant computed numerically) "
                + "beside a Gaussian KDE (Scott's bandwidth) and a Gaussian fitted on --train.", ""},
        footer = {"", "Examples:",
                "  scorematch eval --model faithful.safetensors --data test.csv --train train.csv",
                "  scorematch eval --model ring.safetensors --dataset ring --json"})
public final class EvalCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "A model file written by train.")
    Path model;

    @Mixin
    DataOptions data = new DataOptions();

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "A built-in data set as test data (fresh samples); with an analytic score, also the Fisher divergence.")
    String dataset;

    @Option(names = "--train", paramLabel = "FILE", description = "Training data for the KDE and Gaussian baselines (CSV).")
    Path train;

    @Option(names = "--rows", defaultValue = "1000",
            description = "Test rows used for KSD and MMD (a random subset when there are more). Default: ${DEFAULT-VALUE}.")
    int rows;

    @Option(names = "--sampler-steps", defaultValue = "1000", description = "Sampler steps for MMD. Default: ${DEFAULT-VALUE}.")
    int samplerSteps;

    @Option(names = "--step-size", defaultValue = "0.01",
            description = "Langevin/MALA step size (standardised units; MALA adapts it); annealed Langevin uses 0.1·σ_L². "
                    + "Default: ${DEFAULT-VALUE}.")
    double stepSize;

    @Option(names = "--bootstrap", defaultValue = "500", description = "Bootstrap and permutation rounds. Default: ${DEFAULT-VALUE}.")
    int bootstrap;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() {
        TrainedModel m = ModelFile.load(model);
        int d = m.dimension();
        Dataset test;
        Target target = null;
        if ((data.data == null) == (dataset == null)) {
            throw new ScorematchException("give test data with either --data FILE or --dataset NAME");
        }
        if (dataset != null) {
            BuiltinDataset b = BuiltinDataset.fromId(dataset);
            test = b.load(5000, new SplittableRandom(seed + 5));
            target = b.target().orElse(null);
        } else {
            test = data.read(m.columns(), spec.commandLine().getOut());
        }
        if (test.dimension() != d) {
            throw new ScorematchException(test.source() + ": the data have " + test.dimension() + " columns, the model "
                    + "expects " + d + " " + m.columns());
        }
        ObjectNode report = new ObjectMapper().createObjectNode();
        report.put("model", model.toString());
        report.put("kind", m.model().architecture().kind().id());
        report.put("test_rows", test.rows());
        report.put("dimension", d);
        SplittableRandom rng = new SplittableRandom(seed);
        try (Engine engine = Engine.create(Runtime.getRuntime().availableProcessors())) {
            ScoreFunction f = ScoreFunction.of(m.model(), engine);
            double[] z = m.standardization().apply(test.values().toArray(), test.rows());
            if (!m.model().architecture().isConditional()) {
                ScoreMatching objective = d <= 100 ? ScoreMatching.exact() : ScoreMatching.sliced(8, Projection.RADEMACHER);
                report.put("held_out_" + objective.id() + "_loss", objective.lossAndGradient(engine,
                        m.model().architecture(), m.model().parameters(), z, test.rows(), new SplittableRandom(seed), null));
            }
            int k = Math.min(rows, test.rows());
            double[] sub = subset(z, test.rows(), d, k, rng);
            double sigma = f.ladder() == null ? 1.0 : f.ladder().min();
            KernelStein.Result ksd = KernelStein.test(sub, f.score(sub, k, sigma), k, d, bootstrap, rng);
            report.put("ksd", ksd.statistic());
            report.put("ksd_p_value", ksd.pValue());
            Sampler.Kind kind = f.ladder() != null ? Sampler.Kind.ANNEALED
                    : f.hasEnergy() ? Sampler.Kind.MALA : Sampler.Kind.LANGEVIN;
            double[] start = new double[k * d];
            for (int i = 0; i < start.length; i++) {
                start[i] = kind == Sampler.Kind.ANNEALED ? rng.nextDouble(-3, 3) : rng.nextGaussian();
            }
            // Annealed Langevin scales η by (σᵢ/σ_L)², so its base step must be of the order of σ_L².
            double eta = kind == Sampler.Kind.ANNEALED ? 0.1 * sigma * sigma : stepSize;
            Sampler.Result samples = Sampler.run(f, start, k,
                    new Sampler.Options(kind, samplerSteps, eta, kind == Sampler.Kind.MALA ? samplerSteps / 2 : 0,
                            samplerSteps, 0.574), rng);
            Mmd.Result mmd = Mmd.test(samples.samples(), samples.rows(), sub, k, d, bootstrap, rng);
            report.put("mmd_sampler", kind.id());
            report.put("mmd", mmd.statistic());
            report.put("mmd_p_value", mmd.pValue());
            if (!Double.isNaN(samples.acceptanceRate())) {
                report.put("mala_acceptance", samples.acceptanceRate());
            }
            if (target != null) {
                double[] truth = target.score(test.values().toArray(), test.rows());
                double[] s = m.score(test.values()).toArray();
                double sum = 0;
                for (int i = 0; i < s.length; i++) {
                    sum += (s[i] - truth[i]) * (s[i] - truth[i]);
                }
                report.put("fisher_divergence", 0.5 * sum / test.rows());
            }
            if (d <= 3 && f.hasEnergy()) {
                int grid = d == 1 ? 4000 : d == 2 ? 400 : 100;
                LogLikelihood.ModelResult ll = LogLikelihood.model(m, f, test.values(), test.values(), grid);
                report.put("log_likelihood", ll.meanLogLikelihood());
                report.put("log_z_error", ll.normalizer().error());
                if (train != null) {
                    Matrix tr = CsvData.read(train, new CsvData.Options(m.columns(), java.util.List.of(), false))
                            .dataset().values();
                    report.put("kde_log_likelihood", LogLikelihood.kde(tr, test.values()));
                    report.put("gaussian_log_likelihood", LogLikelihood.gaussian(tr, test.values()));
                }
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(report.toPrettyString());
        } else {
            out.println(table(report));
        }
        return 0;
    }

    private static double[] subset(double[] z, int n, int d, int k, SplittableRandom rng) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        double[] out = new double[k * d];
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
            System.arraycopy(z, idx[i] * d, out, i * d, d);
        }
        return out;
    }

    private static String table(ObjectNode r) {
        StringBuilder sb = new StringBuilder();
        r.fields().forEachRemaining(e -> {
            String v = e.getValue().isNumber() && !e.getValue().isIntegralNumber()
                    ? String.format(Locale.ROOT, "%.5g", e.getValue().asDouble()) : e.getValue().asText();
            sb.append(String.format(Locale.ROOT, "%-26s %s%n", e.getKey().replace('_', ' '), v));
        });
        if (r.has("log_likelihood")) {
            sb.append("(log-likelihoods: mean nats per test point in data units; higher is better)\n");
        }
        return sb.toString().stripTrailing();
    }
}
