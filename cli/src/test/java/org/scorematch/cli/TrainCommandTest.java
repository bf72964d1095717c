package org.scorematch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TrainCommandTest {
    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
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
    void trainsAndReportsFisherDivergence() {
        Result r = run("train", "--steps", "150", "--hidden", "32,32", "--lr", "1e-2", "--threads", "1",
                "--log-every", "50");
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.out).contains("BLAS:").contains("step    150").contains("Fisher divergence after training");
        double before = number(r.out, "Fisher divergence before training: ");
        double after = number(r.out, "Fisher divergence after training: ");
        assertThat(after).isLessThan(before);
    }

    @Test
    void unknownObjectiveIsAClearErrorWithNonZeroExit() {
        Result r = run("train", "--objective", "magic", "--steps", "1");
        assertThat(r.code).isNotZero();
        assertThat(r.err).contains("unknown objective 'magic'").contains("exact, sliced, sliced-vr, denoising or multiscale");
    }

    @Test
    void reluIsRefused() {
        Result r = run("train", "--activation", "relu", "--steps", "1", "--hidden", "8");
        assertThat(r.code).isNotZero();
        assertThat(r.err).contains("smooth activation");
    }

    @Test
    void multiscaleReportsAndHonoursNoiseLevels() {
        Result r = run("train", "--model", "score", "--objective", "multiscale", "--steps", "20", "--hidden", "16",
                "--sigma-max", "8", "--sigma-min", "0.5", "--levels", "4", "--threads", "1");
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.out).contains("4 levels from σ_max = 8.000 to σ_min = 0.5000").contains("at σ_min = 0.5000");
        Result defaults = run("train", "--model", "energy", "--objective", "multiscale", "--steps", "5", "--hidden",
                "16", "--threads", "1");
        assertThat(defaults.code).as(defaults.err).isZero();
        assertThat(defaults.out).contains("defaults from the data").contains("--sigma-max");
    }

    @Test
    void noiseOptionsOutsideDenoisingAreRefused() {
        assertThat(run("train", "--sigma", "0.3", "--steps", "1").err).contains("--sigma applies to --objective denoising");
        assertThat(run("train", "--levels", "3", "--steps", "1").err).contains("apply to --objective multiscale");
        Result r = run("train", "--model", "flow", "--steps", "1");
        assertThat(r.code).isNotZero();
        assertThat(r.err).contains("unknown model 'flow'");
    }

    @Test
    void everyCommandHasHelpWithExamples() {
        CommandLine cl = new CommandLine(new Main());
        assertThat(cl.getSubcommands()).containsKey("train");
        Result r = run("train", "--help");
        assertThat(r.code).isZero();
        assertThat(r.out).contains("Examples:").contains("--objective");
    }

    private static double number(String text, String prefix) {
        int i = text.indexOf(prefix) + prefix.length();
        int j = i;
        while (j < text.length() && (Character.isDigit(text.charAt(j)) || text.charAt(j) == '.')) {
            j++;
        }
        return Double.parseDouble(text.substring(i, j));
    }
}
