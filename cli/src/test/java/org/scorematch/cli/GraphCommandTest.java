package org.scorematch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scorematch.expfam.GraphSimulation;
import org.scorematch.io.CsvData;
import org.scorematch.linalg.Matrix;

class GraphCommandTest {
    @Test
    void writesPathSummaryPrecisionAndEdges(@TempDir Path dir) throws Exception {
        int d = 6;
        double[] truth = GraphSimulation.chain(d);
        Path data = dir.resolve("x.csv");
        CsvData.write(data, List.of("a", "b", "c", "d", "e", "f"),
                Matrix.of(400, d, GraphSimulation.gaussian(truth, new double[d], 400, new SplittableRandom(1))));
        Path k = dir.resolve("K.csv");
        Path edges = dir.resolve("edges.csv");
        TrainCommandTest.Result r = TrainCommandTest.run("graph", "--data", data.toString(), "--select", "cv", "--lambdas",
                "15", "--out-precision", k.toString(), "--out-edges", edges.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("CV loss").contains("selected by cv");
        assertThat(Files.readAllLines(k)).hasSize(7).first().isEqualTo("a,b,c,d,e,f");
        List<String> e = Files.readAllLines(edges);
        assertThat(e.get(0)).isEqualTo("from,to,precision,partial_correlation");
        assertThat(e).contains("1.0,2.0," + e.get(1).split(",")[2] + "," + e.get(1).split(",")[3]);
        assertThat(e.size() - 1).isGreaterThanOrEqualTo(5);

        Path theta = dir.resolve("theta.csv");
        TrainCommandTest.Result u = TrainCommandTest.run("graph", "--data", data.toString(), "--unpenalized",
                "--out-parameters", theta.toString());
        assertThat(u.code()).as(u.err()).isZero();
        assertThat(Files.readAllLines(theta)).hasSize(1 + d * (d + 1) / 2 + d).first().isEqualTo("estimate,standard_error");

        TrainCommandTest.Result neg = TrainCommandTest.run("graph", "--data", data.toString(), "--nonnegative", "identity");
        assertThat(neg.code()).isNotZero();
        assertThat(neg.err()).contains("--nonnegative needs data ≥ 0");
    }
}
