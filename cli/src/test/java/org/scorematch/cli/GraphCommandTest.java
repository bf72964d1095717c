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
        // The edge list is the support of the written precision, with −K_ij/√(K_ii K_jj) beside each entry,
        // and contains the five true chain edges (i, i+1).
        double[][] kk = Files.readAllLines(k).subList(1, 7).stream()
                .map(l -> java.util.Arrays.stream(l.split(",")).mapToDouble(Double::parseDouble).toArray())
                .toArray(double[][]::new);
        java.util.Set<String> listed = new java.util.HashSet<>();
        for (String line : e.subList(1, e.size())) {
            String[] c = line.split(",");
            int i = (int) Double.parseDouble(c[0]) - 1;
            int j = (int) Double.parseDouble(c[1]) - 1;
            assertThat(Double.parseDouble(c[2])).isEqualTo(kk[i][j]);
            assertThat(Double.parseDouble(c[3])).isCloseTo(-kk[i][j] / Math.sqrt(kk[i][i] * kk[j][j]),
                    org.assertj.core.data.Offset.offset(1e-12));
            listed.add(i + "," + j);
        }
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
                assertThat(listed.contains(i + "," + j)).as("edge %d–%d", i + 1, j + 1).isEqualTo(kk[i][j] != 0);
                assertThat(kk[j][i]).isEqualTo(kk[i][j]);
            }
            if (i + 1 < d) {
                assertThat(listed).as("true edge %d–%d", i + 1, i + 2).contains(i + "," + (i + 1));
            }
        }

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
