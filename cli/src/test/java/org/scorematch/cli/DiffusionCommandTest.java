package org.scorematch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --objective diffusion} then {@code sample}: on the ring (8 Gaussians of weight ⅛ at
 * radius 4, std 0.5) a 3×64 score network trained 1500 steps by VP diffusion and sampled by the
 * reverse SDE (500 steps) puts each mode's share of 2000 samples within 5 standard errors
 * (√(⅛·⅞/2000) = 0.0074; false failure below 1e-5 per mode) of ⅛: the weights of separated modes,
 * which no single-level objective learns. Measured: shares 0.109–0.141, mean radius 3.83; the
 * radius is bounded loosely ([3.4, 4.6]) because 1500 steps leave the modes wider than 0.5.
 * The true ring's mean log-density is log(1/8) − log(2πe·0.25) = −3.53 nats; the model's, by
 * the flow, must lie in [−5, −3.4] (measured −4.10).
 */
class DiffusionCommandTest {
    @Test
    void aDiffusionModelSamplesTheRingsModesInTheirWeights(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("d.safetensors");
        TrainCommandTest.Result t = TrainCommandTest.run("train", "--dataset", "ring", "--model", "score", "--objective",
                "diffusion", "--steps", "1500", "--hidden", "64,64,64", "--threads", "2", "--out", model.toString());
        assertThat(t.code()).as(t.err()).isZero();
        assertThat(t.out()).contains("SDE (standardised units): vp 0.1 20.0").doesNotContain("Fisher divergence");
        Path out = dir.resolve("s.csv");
        TrainCommandTest.Result s = TrainCommandTest.run("sample", "--model", model.toString(), "--n", "2000", "--steps",
                "500", "--threads", "2", "--out", out.toString());
        assertThat(s.code()).as(s.err()).isZero();
        assertThat(s.out()).contains("reverse SDE (Euler–Maruyama), 500 steps for the vp 0.1 20.0 SDE");
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize(2001);
        int[] modes = new int[8];
        double radius = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            double a = Double.parseDouble(cells[0]);
            double b = Double.parseDouble(cells[1]);
            radius += Math.hypot(a, b) / 2000;
            modes[(int) Math.floorMod(Math.round(Math.atan2(b, a) / (Math.PI / 4)), 8)]++;
        }
        double se = Math.sqrt(0.125 * 0.875 / 2000);
        for (int k = 0; k < 8; k++) {
            assertThat(Math.abs(modes[k] / 2000.0 - 0.125)).as("mode %d share %s", k, modes[k] / 2000.0)
                    .isLessThan(5 * se);
        }
        assertThat(radius).isBetween(3.4, 4.6);

        TrainCommandTest.Result ode = TrainCommandTest.run("sample", "--model", model.toString(), "--n", "200",
                "--sampler", "ode", "--solver", "heun", "--heun-steps", "50", "--threads", "1", "--out",
                dir.resolve("o.csv").toString());
        assertThat(ode.code()).as(ode.err()).isZero();
        assertThat(ode.out()).contains("probability-flow ODE by heun (50 steps), 100 score evaluations");
        for (String other : new String[] {"pc", "ode"}) {
            TrainCommandTest.Result r = TrainCommandTest.run("sample", "--model", model.toString(), "--n", "100",
                    "--steps", "50", "--sampler", other, "--threads", "1", "--out", dir.resolve(other + ".csv").toString());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(Files.readAllLines(dir.resolve(other + ".csv"))).hasSize(101);
        }
        // eval: the diffusion model's own sampler for MMD and its likelihood by the probability-flow ODE
        // (measured −4.10 nats per point against the true ring's −3.53: the modes are still wide).
        TrainCommandTest.Result e = TrainCommandTest.run("eval", "--model", model.toString(), "--dataset", "ring",
                "--rows", "300", "--sampler-steps", "200", "--bootstrap", "20", "--json");
        assertThat(e.code()).as(e.err()).isZero();
        com.fasterxml.jackson.databind.JsonNode r = new com.fasterxml.jackson.databind.ObjectMapper().readTree(e.out());
        assertThat(r.get("mmd_sampler").asText()).isEqualTo("reverse-sde");
        assertThat(r.get("log_likelihood").asDouble()).isBetween(-5.0, -3.4);
        assertThat(r.has("ksd")).isFalse();
        assertThat(r.has("fisher_divergence")).isFalse();
        assertThat(r.get("likelihood_solver").asText()).isEqualTo("rk45");
        assertThat(r.get("likelihood_rtol").asDouble()).isEqualTo(1e-5);
        assertThat(r.get("likelihood_evaluations").asInt()).isPositive();
        assertThat(r.get("likelihood_divergence_exact").asBoolean()).isTrue();
        // Hutchinson's estimate on the same rows (same seed): unbiased, so its mean over 300 rows is
        // close to the exact one's (two probes per row in D = 2; measured 0.012 nats apart on such a
        // model; the bound leaves room for another BLAS's trained weights).
        TrainCommandTest.Result h = TrainCommandTest.run("eval", "--model", model.toString(), "--dataset", "ring",
                "--rows", "300", "--sampler-steps", "200", "--bootstrap", "20", "--divergence", "hutchinson", "--probes",
                "2", "--json");
        assertThat(h.code()).as(h.err()).isZero();
        com.fasterxml.jackson.databind.JsonNode hr = new com.fasterxml.jackson.databind.ObjectMapper().readTree(h.out());
        assertThat(hr.get("likelihood_divergence_exact").asBoolean()).isFalse();
        assertThat(hr.get("likelihood_probes").asInt()).isEqualTo(2);
        assertThat(hr.get("log_likelihood").asDouble()).isCloseTo(r.get("log_likelihood").asDouble(),
                org.assertj.core.data.Offset.offset(0.1));
        Path weighted = dir.resolve("w.safetensors");
        TrainCommandTest.Result w = TrainCommandTest.run("train", "--dataset", "ring", "--objective", "diffusion",
                "--weighting", "likelihood", "--steps", "20", "--hidden", "16", "--threads", "1", "--out",
                weighted.toString());
        assertThat(w.code()).as(w.err()).isZero();
        // Diffusion's own defaults (TrainingDefaults): a score network, batches of 1024, 2e-3 with cosine decay.
        assertThat(w.out()).contains("batch 1024, adam lr 0.002");
        assertThat(org.scorematch.io.ModelFile.load(weighted).model().architecture().kind())
                .isEqualTo(org.scorematch.model.Architecture.Kind.SCORE);
        assertThat(TrainCommandTest.run("train", "--dataset", "ring", "--weighting", "likelihood", "--steps", "1").err())
                .contains("--weighting applies to --objective diffusion");
        assertThat(TrainCommandTest.run("train", "--dataset", "ring", "--objective", "diffusion", "--sde", "vp",
                "--sigma-max", "3", "--steps", "1").err()).contains("--sigma-min and --sigma-max apply to --sde ve");
    }
}
