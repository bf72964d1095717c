package org.scorematch.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.scorematch.ScorematchException;
import org.scorematch.data.Dataset;
import org.scorematch.expfam.ExponentialFamilyFit;
import org.scorematch.expfam.GaussianStatistics;
import org.scorematch.expfam.GraphicalScoreMatching;
import org.scorematch.expfam.Weights;
import org.scorematch.io.CsvData;
import org.scorematch.linalg.Matrix;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scorematch graph}: Gaussian graphical models and Gaussian families by closed-form score matching. */
@Command(name = "graph", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Estimate a Gaussian graphical model by score matching (in data units unless --standardize).", "",
                "Default: ℓ1-penalised score matching (Lin, Drton & Shojaie 2016) along a λ path with warm starts, the "
                        + "graph chosen by extended BIC (--select ebic) or K-fold cross-validated score-matching loss "
                        + "(--select cv). The path is solved on the correlation scale (λ and the loss are unit-free, so "
                        + "the graph does not depend on the columns' units); the precision is written in data units. "
                        + "--unpenalized gives the closed-form estimate (the inverse sample covariance) "
                        + "with sandwich standard errors; --nonnegative identity|square fits a truncated Gaussian on the "
                        + "non-negative orthant by generalised score matching with h(x) = x or x² (Hyvärinen 2007; Yu, "
                        + "Drton & Shojaie 2019).", ""},
        footer = {"", "Examples:",
                "  scorematch graph --data wine.csv --drop cultivar --standardize --out-precision K.csv --out-edges edges.csv",
                "  scorematch graph --data x.csv --select cv --folds 5 --out-precision K.csv --out-edges e.csv",
                "  scorematch graph --data counts.csv --nonnegative identity --out-parameters theta.csv"})
public final class GraphCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    DataOptions data = new DataOptions();

    @Option(names = "--lambdas", defaultValue = "40", description = "Points on the λ path. Default: ${DEFAULT-VALUE}.")
    int lambdas;

    @Option(names = "--lambda-ratio", defaultValue = "0.05", description = "Smallest λ / λ_max. Default: ${DEFAULT-VALUE}.")
    double ratio;

    @Option(names = "--delta", defaultValue = "1", description = "Diagonal multiplier δ ≥ 1 of the covariance. Default: ${DEFAULT-VALUE}.")
    double delta;

    @Option(names = "--select", defaultValue = "ebic", description = "ebic or cv. Default: ${DEFAULT-VALUE}.")
    String select;

    @Option(names = "--gamma", defaultValue = "0.5", description = "eBIC parameter γ. Default: ${DEFAULT-VALUE}.")
    double gamma;

    @Option(names = "--folds", defaultValue = "5", description = "Cross-validation folds. Default: ${DEFAULT-VALUE}.")
    int folds;

    @Option(names = "--standardize",
            description = "Scale columns to mean 0 and standard deviation 1 first (the precision is then of the scaled data).")
    boolean standardize;

    @Option(names = "--unpenalized", description = "Closed-form estimate with sandwich standard errors, no penalty.")
    boolean unpenalized;

    @Option(names = "--nonnegative", paramLabel = "H", description = "identity or square: truncated Gaussian on ℝ₊ᴰ.")
    String nonnegative;

    @Option(names = "--ridge", defaultValue = "0", description = "Ridge for the closed-form estimates. Default: ${DEFAULT-VALUE}.")
    double ridge;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the cross-validation folds. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out-precision", paramLabel = "FILE", description = "Write the precision matrix K (CSV).")
    Path outPrecision;

    @Option(names = "--out-edges", paramLabel = "FILE", description = "Write the graph as an edge list (CSV).")
    Path outEdges;

    @Option(names = "--out-parameters", paramLabel = "FILE",
            description = "Write θ with standard errors (closed-form estimates, CSV).")
    Path outParameters;

    @Override
    public Integer call() {
        if (data.data == null) {
            throw new ScorematchException("--data FILE is required");
        }
        PrintWriter out = spec.commandLine().getOut();
        Dataset ds = data.read(null, out);
        if (standardize) {
            var st = org.scorematch.data.Standardization.fit(ds);
            ds = Dataset.of(ds.source(), ds.columns(), Matrix.of(ds.rows(), ds.dimension(),
                    st.applyInPlace(ds.values().toArray(), ds.rows())));
        }
        int d = ds.dimension();
        List<String> names = ds.columns();
        double[] k;
        if (unpenalized || nonnegative != null) {
            Weights w = nonnegative == null ? Weights.ONE : Weights.fromId(nonnegative);
            if (w != Weights.ONE) {
                for (double v : ds.values().toArray()) {
                    if (v < 0) {
                        throw new ScorematchException(ds.source() + ": --nonnegative needs data ≥ 0, found " + v);
                    }
                }
            }
            GaussianStatistics stats = new GaussianStatistics(d);
            ExponentialFamilyFit fit = ExponentialFamilyFit.fit(stats, w, ds.values(), ridge);
            k = stats.precision(fit.theta());
            out.printf(Locale.ROOT, "closed-form score matching (%s, h = %s, ridge %g) on %d rows × %d columns%n",
                    w == Weights.ONE ? "Gaussian on ℝᴰ" : "truncated Gaussian on ℝ₊ᴰ", w.id(), ridge, ds.rows(), d);
            if (outParameters != null) {
                writeParameters(stats, fit, names);
            }
        } else {
            double[] s = GraphicalScoreMatching.covariance(ds.values(), delta);
            double[] path = GraphicalScoreMatching.lambdaPath(s, d, lambdas, ratio);
            var points = GraphicalScoreMatching.path(s, d, ds.rows(), path, gamma);
            double[] cv = select.equals("cv")
                    ? GraphicalScoreMatching.crossValidate(ds.values(), delta, path, folds, new SplittableRandom(seed))
                    : null;
            if (!select.equals("cv") && !select.equals("ebic")) {
                throw new ScorematchException("unknown --select '" + select + "'; expected ebic or cv");
            }
            int best = 0;
            out.printf("%10s %6s %12s %12s%s%n", "lambda", "edges", "loss", "eBIC", cv == null ? "" : "      CV loss");
            for (int i = 0; i < points.size(); i++) {
                var p = points.get(i);
                double criterion = cv == null ? p.ebic() : cv[i];
                double bestCriterion = cv == null ? points.get(best).ebic() : cv[best];
                if (criterion < bestCriterion) {
                    best = i;
                }
                out.printf(Locale.ROOT, "%10.4g %6d %12.5g %12.5g%s%n", p.lambda(), p.edges(), p.loss(), p.ebic(),
                        cv == null ? "" : String.format(Locale.ROOT, " %12.5g", cv[i]));
            }
            var chosen = points.get(best);
            out.printf(Locale.ROOT, "selected by %s: λ = %.4g with %d edges%n", select, chosen.lambda(), chosen.edges());
            k = chosen.precision();
        }
        if (outPrecision != null) {
            CsvData.write(outPrecision, names, Matrix.of(d, d, k));
        }
        if (outEdges != null) {
            writeEdges(k, names);
        }
        return 0;
    }

    private void writeEdges(double[] k, List<String> names) {
        int d = names.size();
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
                if (k[i * d + j] != 0) {
                    double partial = -k[i * d + j] / Math.sqrt(k[i * d + i] * k[j * d + j]);
                    rows.add(new double[] {i + 1, j + 1, k[i * d + j], partial});
                }
            }
        }
        double[] flat = new double[rows.size() * 4];
        for (int r = 0; r < rows.size(); r++) {
            System.arraycopy(rows.get(r), 0, flat, 4 * r, 4);
        }
        CsvData.write(outEdges, List.of("from", "to", "precision", "partial_correlation"), Matrix.of(rows.size(), 4, flat));
        spec.commandLine().getOut().printf("wrote %d edges to %s (nodes numbered as the columns %s)%n", rows.size(),
                outEdges, names);
    }

    private void writeParameters(GaussianStatistics stats, ExponentialFamilyFit fit, List<String> names) {
        int d = names.size();
        double[] theta = fit.theta();
        double[] se = fit.standardErrors();
        double[] flat = new double[theta.length * 2];
        for (int i = 0; i < theta.length; i++) {
            flat[2 * i] = theta[i];
            flat[2 * i + 1] = se == null ? Double.NaN : se[i];
        }
        CsvData.write(outParameters, List.of("estimate", "standard_error"), Matrix.of(theta.length, 2, flat));
        spec.commandLine().getOut().printf("wrote %d parameters to %s: K_jk for j ≤ k row by row over %s, then η%n",
                theta.length, outParameters, names);
        if (d != stats.dimension()) {
            throw new IllegalStateException("dimension mismatch");
        }
    }
}
