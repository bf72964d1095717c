package org.scorematch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.scorematch.expfam.GraphSimulation;
import org.scorematch.expfam.GraphicalScoreMatching;
import org.scorematch.io.CsvData;
import org.scorematch.linalg.Matrix;

/**
 * Graph recovery, D = 50, n = 500, chain and random graphs over several seeds: the ROC area of
 * ℓ1-penalised score matching along its λ path against scikit-learn's graphical lasso on the same
 * samples ({@code bench/python/glasso_path.py}), plus the eBIC choice's rates. Prints a Markdown
 * table. Usage: {@code java -cp scorematch-bench.jar org.scorematch.bench.GraphRecovery [python] [seeds]}.
 */
public final class GraphRecovery {
    private GraphRecovery() {
    }

    /** Runs this benchmark; the class comment gives its arguments and what it prints. */
    public static void main(String[] args) throws Exception {
        String python = args.length > 0 ? args[0] : "/usr/bin/python3";
        int seeds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int d = 50;
        int n = 500;
        Path dir = Files.createTempDirectory("graph-recovery");
        List<String> names = new ArrayList<>();
        for (int c = 0; c < d; c++) {
            names.add("x" + (c + 1));
        }
        StringBuilder md = new StringBuilder("| graph | seed | score matching AUC | graphical lasso AUC | SM eBIC TPR | SM eBIC FPR |"
                + " SM eBIC edges | true edges |\n|---|---|---|---|---|---|---|---|\n");
        for (String graph : List.of("chain", "random")) {
            for (int seed = 1; seed <= seeds; seed++) {
                SplittableRandom rng = new SplittableRandom(seed);
                double[] truth = graph.equals("chain") ? GraphSimulation.chain(d) : GraphSimulation.random(d, 0.04, rng);
                Matrix x = Matrix.of(n, d, GraphSimulation.gaussian(truth, new double[d], n, rng));
                double[] s = GraphicalScoreMatching.covariance(x, 1);
                var path = GraphicalScoreMatching.path(s, d, n, GraphicalScoreMatching.lambdaPath(s, d, 40, 0.05), 0.5);
                List<double[]> roc = new ArrayList<>();
                for (var p : path) {
                    roc.add(GraphSimulation.rates(p.precision(), truth, d));
                }
                var best = path.stream().min((a, b) -> Double.compare(a.ebic(), b.ebic())).orElseThrow();
                double[] chosen = GraphSimulation.rates(best.precision(), truth, d);
                Path samples = dir.resolve("x.csv");
                Path truthFile = dir.resolve("k.csv");
                CsvData.write(samples, names, x);
                CsvData.write(truthFile, names, Matrix.of(d, d, truth));
                Process p = new ProcessBuilder(python, "bench/python/glasso_path.py", samples.toString(), truthFile.toString())
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("glasso_path.py failed");
                }
                JsonNode glasso = new ObjectMapper().readTree(out);
                md.append(String.format(Locale.ROOT, "| %s | %d | %.4f | %.4f | %.3f | %.4f | %d | %d |%n", graph, seed,
                        GraphSimulation.auc(roc), glasso.get("auc").asDouble(), chosen[0], chosen[1], best.edges(),
                        GraphicalScoreMatching.edges(truth, d)));
            }
        }
        System.out.print(md);
    }
}
