package org.scorematch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scorematch.io.ModelFile;
import org.scorematch.model.TrainedModel;
import picocli.CommandLine;

class TrainCommandTest {
    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return new Result(Main.run(args), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void trainsABuiltinDataSetAndWritesAModel(@TempDir Path dir) {
        Path out = dir.resolve("ring.safetensors");
        Result r = run("train", "--dataset", "ring", "--steps", "150", "--hidden", "32,32", "--lr", "1e-2",
                "--threads", "1", "--out", out.toString());
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.out).contains("BLAS:").contains("step 150/150").contains("held-out")
                .contains("Fisher divergence to the analytic score").contains("wrote " + out);
        TrainedModel m = ModelFile.load(out);
        assertThat(m.info()).containsEntry("steps", "150").containsEntry("objective", "exact");
        assertThat(r.out).doesNotContain("bias of smoothing");
        Result denoising = run("train", "--dataset", "ring", "--objective", "denoising", "--sigma", "0.3", "--steps", "20",
                "--hidden", "8", "--threads", "1", "--out", dir.resolve("d.safetensors").toString());
        assertThat(denoising.out).contains("against the clean target, so it includes the bias of smoothing at σ = 0.3");
    }

    /**
     * With no tuning flags, a few hundred rows get denoising at the cross-validated bandwidth, and
     * the held-out log-likelihood reaches that of the cross-validated KDE itself (the benchmark
     * `bench/small-data.sh` shows it above on every split; 0.1 nats allow for training rounding on
     * other CPUs). The old default, exact score matching, scores about −11 nats per row here.
     */
    @Test
    void smallDataDefaultsMatchTheCrossValidatedKde(@TempDir Path dir) throws Exception {
        var faithful = org.scorematch.datasets.BuiltinDataset.FAITHFUL.load(0, null);
        int n = faithful.rows();
        int m = n - n / 5;
        StringBuilder train = new StringBuilder("eruptions,waiting\n");
        StringBuilder test = new StringBuilder("eruptions,waiting\n");
        double[] tr = new double[2 * m];
        double[] te = new double[2 * (n - m)];
        // Every fifth row is a test row: the file's order is unrelated to the values.
        for (int i = 0, a = 0, b = 0; i < n; i++) {
            double x = faithful.values().get(i, 0);
            double y = faithful.values().get(i, 1);
            boolean isTest = i % 5 == 4;
            (isTest ? test : train).append(x).append(',').append(y).append('\n');
            double[] into = isTest ? te : tr;
            int k = isTest ? b++ : a++;
            into[2 * k] = x;
            into[2 * k + 1] = y;
        }
        Path trainCsv = dir.resolve("train.csv");
        Path testCsv = dir.resolve("test.csv");
        Files.writeString(trainCsv, train);
        Files.writeString(testCsv, test);
        Path model = dir.resolve("m.safetensors");
        Result t = run("train", "--data", trainCsv.toString(), "--threads", "2", "--out", model.toString());
        assertThat(t.code).as(t.err).isZero();
        assertThat(t.out).contains("objective: denoising at σ");
        Result e = run("eval", "--model", model.toString(), "--data", testCsv.toString(), "--json", "--rows", "20",
                "--sampler-steps", "10", "--bootstrap", "10");
        assertThat(e.code).as(e.err).isZero();
        double ll = new com.fasterxml.jackson.databind.ObjectMapper().readTree(e.out.substring(e.out.indexOf('{'))).get("log_likelihood").asDouble();

        var st = org.scorematch.data.Standardization.fit(org.scorematch.data.Dataset.of("train",
                List.of("eruptions", "waiting"), org.scorematch.linalg.Matrix.of(m, 2, tr)));
        double[] zt = st.apply(tr, m);
        double[] zs = st.apply(te, n - m);
        double h = org.scorematch.metrics.KdeBandwidth.leaveOneOut(zt, m, 2, new java.util.SplittableRandom(1));
        double kde = org.scorematch.metrics.KdeBandwidth.meanLogDensity(zt, m, zs, n - m, 2, h) - st.logScaleSum();
        assertThat(ll).isGreaterThan(kde - 0.1);
    }

    @Test
    void trainsOnACsvFileThenScoresAndEnergies(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("data.csv");
        StringBuilder sb = new StringBuilder("x,y,label\n");
        java.util.SplittableRandom rng = new java.util.SplittableRandom(1);
        for (int i = 0; i < 300; i++) {
            sb.append(10 + rng.nextGaussian()).append(',').append(100 + 5 * rng.nextGaussian()).append(",k\n");
        }
        Files.writeString(csv, sb.toString());
        Path model = dir.resolve("m.safetensors");
        Result t = run("train", "--data", csv.toString(), "--drop", "label", "--steps", "60", "--hidden", "16",
                "--threads", "1", "--out", model.toString());
        assertThat(t.code).as(t.err).isZero();
        Path scores = dir.resolve("scores.csv");
        Result s = run("score", "--model", model.toString(), "--data", csv.toString(), "--out", scores.toString());
        assertThat(s.code).as(s.err).isZero();
        List<String> lines = Files.readAllLines(scores);
        assertThat(lines.get(0)).isEqualTo("score_x,score_y");
        assertThat(lines).hasSize(301);
        Path energies = dir.resolve("energy.csv");
        Result e = run("energy", "--model", model.toString(), "--data", csv.toString(), "--out", energies.toString());
        assertThat(e.code).as(e.err).isZero();
        assertThat(Files.readAllLines(energies).get(0)).isEqualTo("energy");
    }

    @Test
    void badInputExitsNonZeroWithLocationAndWritesNothing(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("m.safetensors");
        assertThat(run("train", "--dataset", "faithful", "--steps", "5", "--hidden", "8", "--threads", "1", "--out",
                model.toString()).code).isZero();
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "eruptions,waiting\n3.6,79\n1.8,oops\n");
        Path out = dir.resolve("scores.csv");
        Result r = run("score", "--model", model.toString(), "--data", bad.toString(), "--out", out.toString());
        assertThat(r.code).isNotZero();
        assertThat(r.err).contains(bad + ":3:2: 'oops' in column 'waiting' is not a number");
        assertThat(out).doesNotExist();

        Path wide = dir.resolve("wide.csv");
        Files.writeString(wide, "a,b,c\n1,2,3\n");
        Result w = run("score", "--model", model.toString(), "--data", wide.toString(), "--out", out.toString());
        assertThat(w.code).isNotZero();
        assertThat(w.err).contains("the data have 3 columns").contains("expects 2");
        assertThat(out).doesNotExist();

        Path corrupt = dir.resolve("corrupt.safetensors");
        Files.write(corrupt, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        Result c = run("energy", "--model", corrupt.toString(), "--data", bad.toString(), "--out", out.toString());
        assertThat(c.code).isNotZero();
        assertThat(c.err).contains(corrupt + ": header length");
        assertThat(out).doesNotExist();

        Result missing = run("train", "--data", dir.resolve("none.csv").toString(), "--out", out.toString());
        assertThat(missing.code).isNotZero();
        assertThat(missing.err).contains("none.csv: cannot read");
    }

    @Test
    void scoreModelsHaveNoEnergy(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("s.safetensors");
        assertThat(run("train", "--dataset", "faithful", "--model", "score", "--objective", "denoising", "--steps", "5",
                "--hidden", "8", "--threads", "1", "--out", model.toString()).code).isZero();
        Path data = dir.resolve("f.csv");
        Files.writeString(data, "eruptions,waiting\n3.6,79\n");
        Path out = dir.resolve("e.csv");
        Result r = run("energy", "--model", model.toString(), "--data", data.toString(), "--out", out.toString());
        assertThat(r.code).isNotZero();
        assertThat(r.err).contains("score model: it has no energy");
        assertThat(out).doesNotExist();
    }

    @Test
    void multiscaleReportsAndHonoursNoiseLevels(@TempDir Path dir) {
        Result r = run("train", "--model", "score", "--objective", "multiscale", "--steps", "20", "--hidden", "16",
                "--sigma-max", "8", "--sigma-min", "0.5", "--levels", "4", "--threads", "1", "--out",
                dir.resolve("m.safetensors").toString());
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.out).contains("4 levels from σ_max = 8.000 to σ_min = 0.5000").contains("standardised units");
        Result defaults = run("train", "--objective", "multiscale", "--steps", "5", "--hidden", "16", "--threads", "1",
                "--out", dir.resolve("n.safetensors").toString());
        assertThat(defaults.code).as(defaults.err).isZero();
        assertThat(defaults.out).contains("defaults from the data").contains("--sigma-max");
    }

    @Test
    void unknownNamesAndMisplacedOptionsAreExplained() {
        Result o = run("train", "--objective", "magic", "--steps", "1");
        assertThat(o.code).isNotZero();
        assertThat(o.err).contains("unknown objective 'magic'").contains("exact, sliced, sliced-vr, denoising, multiscale or diffusion");
        assertThat(run("train", "--sigma", "0.3", "--steps", "1").err).contains("--sigma applies to --objective denoising");
        assertThat(run("train", "--levels", "3", "--steps", "1").err).contains("apply to --objective multiscale");
        assertThat(run("train", "--model", "flow", "--steps", "1").err).contains("unknown model kind 'flow'");
        assertThat(run("train", "--dataset", "mnist", "--steps", "1").err).contains("unknown data set 'mnist'");
        assertThat(run("train", "--activation", "relu", "--steps", "1", "--hidden", "8").err).contains("smooth activation");
    }

    @Test
    void everyCommandHasHelpWithExamples() {
        CommandLine cl = Main.commandLine("");
        assertThat(cl.getSubcommands()).containsKeys("train", "score", "energy", "sample", "eval", "plot", "report",
                "graph", "datasets");
        for (String command : List.of("train", "score", "energy", "sample", "eval", "plot", "report", "graph",
                "datasets")) {
            Result r = run(command, "--help");
            assertThat(r.code).isZero();
            assertThat(r.out).as(command).contains("Examples:");
            assertThat(r.err).as(command + " help renders without picocli warnings").doesNotContain("WARN");
        }
        Result top = run("--help");
        assertThat(top.out).contains("train").contains("graph").contains("report");
        assertThat(top.err).doesNotContain("WARN");
        Result list = run("datasets");
        assertThat(list.out).contains("ring").contains("faithful").contains("digits").contains("funnel");
    }
}
