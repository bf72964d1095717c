package org.scorematch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.scorematch.ScorematchException;
import org.scorematch.datasets.BuiltinDataset;
import org.scorematch.data.Dataset;
import org.scorematch.engine.Engine;
import org.scorematch.io.CsvData;
import org.scorematch.io.ModelFile;
import org.scorematch.linalg.Matrix;
import org.scorematch.metrics.Evaluation;
import org.scorematch.model.TrainedModel;
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
public final class EvalCommand extends ModelCommand {
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

    @Mixin
    LikelihoodOptions likelihood = new LikelihoodOptions();

    @Mixin
    FlowOptions flow = new FlowOptions();

    @Override
    public Integer call() {
        TrainedModel m = input.load();
        int d = m.dimension();
        Dataset test;
        Target target = null;
        if (input.hasData() == (dataset != null)) {
            throw new ScorematchException("give test data with either --data FILE or --dataset NAME");
        }
        if (dataset != null) {
            BuiltinDataset b = BuiltinDataset.fromId(dataset);
            test = b.load(5000, new SplittableRandom(seed + 5));
            target = b.target().orElse(null);
        } else {
            test = input.dataFor(m, m.columns(), "", spec.commandLine().getOut());
        }
        input.checked(m, test);
        Matrix trainRows = ModelAndData.baselineRows(train, m);
        ObjectNode report = new ObjectMapper().createObjectNode();
        report.put("model", input.model.toString());
        try (Engine engine = Engine.create(Runtime.getRuntime().availableProcessors())) {
            Evaluation.run(m, test, target, trainRows, options(),
                    engine).forEach((key, value) -> {
                        if (value instanceof Integer i) {
                            report.put(key, i);
                        } else if (value instanceof Boolean b) {
                            report.put(key, b);
                        } else if (value instanceof Double v) {
                            report.put(key, v);
                        } else {
                            report.put(key, value.toString());
                        }
                    });
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(report.toPrettyString());
        } else {
            out.println(table(report));
        }
        return 0;
    }

    private Evaluation.Options options() {
        return new Evaluation.Options(rows, samplerSteps, stepSize, bootstrap, seed, flow.integration(),
                likelihood.probesOrExact(), likelihood.dequantize);
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
