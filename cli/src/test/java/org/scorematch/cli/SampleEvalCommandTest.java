package org.scorematch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scorematch.io.ModelFile;
import org.scorematch.linalg.Matrix;
import org.scorematch.model.TrainedModel;

class SampleEvalCommandTest {
    private static TrainCommandTest.Result run(String... args) {
        return TrainCommandTest.run(args);
    }

    @Test
    void samplesInDataUnitsAndEvaluatesWithBaselines(@TempDir Path dir) throws Exception {
        Path model = faithfulEnergy(dir);
        Path samples = dir.resolve("s.csv");
        TrainCommandTest.Result s = run("sample", "--model", model.toString(), "--n", "300", "--sampler", "mala",
                "--steps", "200", "--burn-in", "100", "--step-size", "0.1", "--threads", "1", "--out", samples.toString());
        assertThat(s.code()).as(s.err()).isZero();
        assertThat(s.out()).contains("MALA acceptance rate");
        List<String> lines = Files.readAllLines(samples);
        assertThat(lines.get(0)).isEqualTo("eruptions,waiting");
        assertThat(lines).hasSize(301);
        double waiting = 0;
        for (String line : lines.subList(1, lines.size())) {
            waiting += Double.parseDouble(line.split(",")[1]) / 300;
        }
        assertThat(waiting).as("samples are in minutes, like the data").isBetween(55.0, 85.0);
        TrainCommandTest.Result hmc = run("sample", "--model", model.toString(), "--n", "100", "--sampler", "hmc",
                "--steps", "20", "--burn-in", "20", "--step-size", "0.1", "--threads", "1", "--out",
                dir.resolve("h.csv").toString());
        assertThat(hmc.code()).as(hmc.err()).isZero();
        assertThat(Files.readAllLines(dir.resolve("h.csv"))).hasSize(101);

        Path data = dir.resolve("faithful.csv");
        Files.writeString(data, String.join("\n", lines.get(0), "3.6,79", "1.8,54", "3.333,74", "2.283,62", "4.533,85",
                "2.883,55", "4.7,88", "3.6,85", "1.95,51", "4.35,85") + "\n");
        TrainCommandTest.Result e = run("eval", "--model", model.toString(), "--data", data.toString(), "--train",
                data.toString(), "--sampler-steps", "200", "--bootstrap", "100", "--json");
        assertThat(e.code()).as(e.err()).isZero();
        JsonNode r = new ObjectMapper().readTree(e.out());
        for (String key : List.of("held_out_exact_loss", "ksd", "ksd_p_value", "mmd", "mmd_p_value", "log_likelihood",
                "log_z_error", "kde_log_likelihood", "gaussian_log_likelihood")) {
            assertThat(r.has(key)).as(key).isTrue();
        }
        // Independently: exp(−E) of the model in data units (energy() includes the Jacobian of the
        // standardisation) integrated by the midpoint rule on 600² cells over eval's box (the rows'
        // range widened by 3 standard units); both quadratures of one smooth integrand agree far
        // within 1e-3, while a dropped Jacobian (log 1.14 + log 13.6 ≈ 2.7) or a sign flip would not.
        TrainedModel tm = ModelFile.load(model);
        Matrix rows = Matrix.of(10, 2, Files.readAllLines(data).subList(1, 11).stream()
                .flatMap(l -> java.util.Arrays.stream(l.split(","))).mapToDouble(Double::parseDouble).toArray());
        double[] lo = new double[2];
        double[] hi = new double[2];
        for (int c = 0; c < 2; c++) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < 10; i++) {
                min = Math.min(min, rows.get(i, c));
                max = Math.max(max, rows.get(i, c));
            }
            lo[c] = min - 3 * tm.standardization().scale()[c];
            hi[c] = max + 3 * tm.standardization().scale()[c];
        }
        int g = 600;
        double[] cells = new double[g * g * 2];
        for (int a = 0; a < g; a++) {
            for (int b = 0; b < g; b++) {
                cells[2 * (a * g + b)] = lo[0] + (a + 0.5) * (hi[0] - lo[0]) / g;
                cells[2 * (a * g + b) + 1] = lo[1] + (b + 0.5) * (hi[1] - lo[1]) / g;
            }
        }
        double[] gridEnergy = tm.energy(Matrix.of(g * g, 2, cells));
        double lowest = java.util.Arrays.stream(gridEnergy).min().orElseThrow();
        double sum = 0;
        for (double v : gridEnergy) {
            sum += Math.exp(-(v - lowest));
        }
        double logZ = -lowest + Math.log(sum * (hi[0] - lo[0]) * (hi[1] - lo[1]) / (g * g));
        double expected = -java.util.Arrays.stream(tm.energy(rows)).average().orElseThrow() - logZ;
        assertThat(r.get("log_likelihood").asDouble()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-3));
        TrainCommandTest.Result table = run("eval", "--model", model.toString(), "--data", data.toString(),
                "--sampler-steps", "50", "--bootstrap", "20");
        assertThat(table.out()).contains("log likelihood").contains("ksd p value").contains("higher is better");
    }

    /**
     * Default {@code sample} draws from the model: on an energy trained on faithful, 20 000 chains
     * (one draw each, so independent when the chains have mixed) put a share of their samples in
     * {eruptions &lt; 3} that is within 4 standard errors (√(p(1−p)/n); false failure 6e-5) of the
     * model's own mass there, exp(−E) summed on 800² cells over ±10 standard units (the cells at
     * the box's edge carry below 1e-6 of the mass, checked). The region lies between the two modes
     * and holds 0.3–0.7 of the mass; the old default (unadjusted Langevin, η = 0.01, no burn-in)
     * missed by 4 standard errors. The run prints R̂ and ESS.
     */
    @Test
    void defaultSamplesCarryTheModelsMass(@TempDir Path dir) throws Exception {
        Path model = faithfulEnergy(dir);
        Path samples = dir.resolve("s.csv");
        int n = 20_000;
        TrainCommandTest.Result s = run("sample", "--model", model.toString(), "--n", Integer.toString(n), "--threads",
                "1", "--out", samples.toString());
        assertThat(s.code()).as(s.err()).isZero();
        assertThat(s.out()).contains("MALA acceptance rate").contains("R̂").contains("bulk ESS");
        List<String> lines = Files.readAllLines(samples);
        assertThat(lines).hasSize(n + 1);
        double share = lines.subList(1, lines.size()).stream()
                .filter(l -> Double.parseDouble(l.split(",")[0]) < 3).count() / (double) n;

        TrainedModel tm = ModelFile.load(model);
        double[] mean = tm.standardization().mean();
        double[] scale = tm.standardization().scale();
        int g = 800;
        double[] cells = new double[g * g * 2];
        double[] lo = new double[2];
        double[] width = new double[2];
        for (int c = 0; c < 2; c++) {
            lo[c] = mean[c] - 10 * scale[c];
            width[c] = 20 * scale[c] / g;
        }
        for (int a = 0; a < g; a++) {
            for (int b = 0; b < g; b++) {
                cells[2 * (a * g + b)] = lo[0] + (a + 0.5) * width[0];
                cells[2 * (a * g + b) + 1] = lo[1] + (b + 0.5) * width[1];
            }
        }
        double[] energy = tm.energy(Matrix.of(g * g, 2, cells));
        double lowest = java.util.Arrays.stream(energy).min().orElseThrow();
        double total = 0;
        double inRegion = 0;
        double onEdge = 0;
        for (int a = 0; a < g; a++) {
            for (int b = 0; b < g; b++) {
                double w = Math.exp(-(energy[a * g + b] - lowest));
                total += w;
                if (cells[2 * (a * g + b)] < 3) {
                    inRegion += w;
                }
                if (a == 0 || b == 0 || a == g - 1 || b == g - 1) {
                    onEdge += w;
                }
            }
        }
        double mass = inRegion / total;
        assertThat(onEdge / total).isLessThan(1e-6);
        assertThat(mass).isBetween(0.3, 0.7);
        double se = Math.sqrt(mass * (1 - mass) / n);
        assertThat(Math.abs(share - mass)).as("share %.4f, model mass %.4f, s.e. %.4f", share, mass, se)
                .isLessThan(4 * se);
    }

    /** A 32,32 energy trained for 300 steps on faithful. */
    private static Path faithfulEnergy(Path dir) {
        Path model = dir.resolve("f.safetensors");
        assertThat(run("train", "--dataset", "faithful", "--steps", "300", "--hidden", "32,32", "--threads", "1",
                "--out", model.toString()).code()).isZero();
        return model;
    }

    /** A 16-unit score network trained for 50 steps on the ring by {@code objective}. */
    private static Path smallRingScoreModel(Path dir, String objective) {
        Path model = dir.resolve(objective + ".safetensors");
        assertThat(run("train", "--dataset", "ring", "--model", "score", "--objective", objective, "--steps", "50",
                "--hidden", "16", "--threads", "1", "--out", model.toString()).code()).isZero();
        return model;
    }

    @Test
    void scoreModelsGetNoMalaAndNoLikelihood(@TempDir Path dir) throws Exception {
        Path model = smallRingScoreModel(dir, "denoising");
        Path out = dir.resolve("x.csv");
        TrainCommandTest.Result m = run("sample", "--model", model.toString(), "--sampler", "mala", "--steps", "5",
                "--out", out.toString());
        assertThat(m.code()).isNotZero();
        assertThat(m.err()).contains("MALA needs an energy").as("the core names the setting, the CLI its flag")
                .contains("use --sampler langevin").doesNotContain("setting");
        assertThat(out).doesNotExist();
        TrainCommandTest.Result e = run("eval", "--model", model.toString(), "--dataset", "ring", "--rows", "200",
                "--sampler-steps", "50", "--bootstrap", "20", "--json");
        assertThat(e.code()).as(e.err()).isZero();
        JsonNode r = new ObjectMapper().readTree(e.out());
        assertThat(r.has("log_likelihood")).isFalse();
        assertThat(r.has("fisher_divergence")).isTrue();
        assertThat(r.get("mmd_sampler").asText()).isEqualTo("langevin");
    }

    @Test
    void annealedSamplingFromAMultiscaleModel(@TempDir Path dir) throws Exception {
        Path model = smallRingScoreModel(dir, "multiscale");
        Path out = dir.resolve("a.csv");
        TrainCommandTest.Result a = run("sample", "--model", model.toString(), "--sampler", "annealed", "--n", "50",
                "--steps", "10", "--step-size", "1e-4", "--init", "noise", "--out", out.toString());
        assertThat(a.code()).as(a.err()).isZero();
        assertThat(Files.readAllLines(out)).hasSize(51);
    }
}
