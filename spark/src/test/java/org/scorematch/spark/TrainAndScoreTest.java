package org.scorematch.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scorematch.cli.TrainCommand;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The spark-submit driver's options: train's own, refused when wrong before Spark starts. */
class TrainAndScoreTest {
    private static final String[] REQUIRED = {"--input", "x.csv", "--model-out", "m/", "--scores-out", "s.parquet"};

    /**
     * train's options that the driver leaves out, each for its reason: data sources and their
     * reading (the driver reads a table), held-out evaluation and checkpoints (single-machine
     * features), the batch order (partitions draw with replacement), threads (--threads-per-task)
     * and the output file (--model-out).
     */
    private static final Set<String> SINGLE_MACHINE = Set.of("--data", "--drop", "--drop-missing", "--dataset", "--rows",
            "--dequantize", "--batches", "--validation", "--held-out-metric", "--eval-every", "--patience", "--checkpoint",
            "--checkpoint-every", "--resume", "--log", "--threads", "--out");

    private static String[] with(String... more) {
        String[] all = java.util.Arrays.copyOf(REQUIRED, REQUIRED.length + more.length);
        System.arraycopy(more, 0, all, REQUIRED.length, more.length);
        return all;
    }

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine line = TrainAndScore.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int status = line.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    private static TrainAndScore parsed(String... args) {
        TrainAndScore driver = new TrainAndScore();
        new CommandLine(driver).parseArgs(args);
        return driver;
    }

    @Test
    void aMisspeltOptionIsRefusedNotIgnored() {
        Run r = run(with("--hiden", "8"));
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown options: '--hiden'").contains("--hidden");
        assertThat(TrainAndScore.run(with("--steps", "many"))).isEqualTo(2);
        assertThat(run("--input", "x.csv").err()).contains("Missing required options").contains("--model-out");
        assertThat(run(with("--objective", "sliced", "--sigma", "0.3")).err())
                .contains("--sigma applies to objective denoising");
        assertThat(run(with("--activation", "relu6")).err()).contains("--activation").contains("invalid value relu6");
        assertThat(run(with("--steps-per-job", "0")).err()).contains("--steps-per-job").contains("invalid value 0");
    }

    @Test
    void helpListsTheOptionsWithTheirDefaults() {
        Run r = run("--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("--hidden").contains("Default: 128,128,128").contains("--input")
                .contains("--threads-per-task").contains("--id-column");
    }

    /** Every option of train reaches the driver under its name, with its default and description, bar the listed ones. */
    @Test
    void theDriverTakesTrainsOptions() {
        CommandSpec train = new CommandLine(new TrainCommand()).getCommandSpec();
        CommandSpec driver = new CommandLine(new TrainAndScore()).getCommandSpec();
        List<String> missing = new ArrayList<>();
        for (OptionSpec o : train.options()) {
            if (SINGLE_MACHINE.contains(o.longestName()) || o.usageHelp() || o.versionHelp()) {
                continue;
            }
            OptionSpec d = driver.findOption(o.longestName());
            if (d == null) {
                missing.add(o.longestName());
                continue;
            }
            if (TrainAndScore.isTrainingOption(d)) {
                assertThat(d.defaultValue()).as(o.longestName()).isEqualTo(o.defaultValue());
                assertThat(d.description()).as(o.longestName()).isEqualTo(o.description());
            }
        }
        assertThat(missing).as("train's options missing from the driver").isEmpty();
        for (String name : SINGLE_MACHINE) {
            assertThat(train.findOption(name)).as("%s is one of train's options", name).isNotNull();
        }
    }

    /** Each shared option sets the estimator parameter of its name, whose default is the option's. */
    @Test
    void sharedOptionsAreEstimatorParametersWithTheSameDefaults() {
        ScoreMatchingEstimator defaults = new ScoreMatchingEstimator();
        TrainAndScore bare = parsed(REQUIRED);
        ScoreMatchingEstimator fromOptions = bare.estimator();
        for (OptionSpec o : bare.spec.options()) {
            if (!TrainAndScore.isTrainingOption(o) || o.longestName().equals("--no-standardize")) {
                continue;
            }
            String name = TrainAndScore.parameterName(o);
            assertThat(defaults.hasParam(name)).as("parameter %s for %s", name, o.longestName()).isTrue();
            var param = defaults.getParam(name);
            if (o.defaultValue() == null) {
                assertThat(defaults.hasDefault(param)).as("%s has no fixed default", name).isFalse();
                assertThat(fromOptions.isSet(fromOptions.getParam(name))).isFalse();
            } else {
                Object expected = fromOptions.getOrDefault(fromOptions.getParam(name));
                Object actual = defaults.getOrDefault(param);
                if (expected instanceof int[] a) {
                    assertThat((int[]) actual).as(name).containsExactly(a);
                } else {
                    assertThat(actual).as(name).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void valuesReachTheEstimatorTyped() {
        ScoreMatchingEstimator e = parsed(with("--objective", "diffusion", "--sde", "subvp", "--beta-max", "15",
                "--model", "score", "--averaging", "--threads-per-task", "2", "--hidden", "16,8", "--lr", "3e-3",
                "--step-every", "50", "--no-barrier", "--no-standardize")).estimator();
        assertThat(e.getOrDefault(e.standardize())).isEqualTo(false);
        assertThat(e.getOrDefault(e.objective())).isEqualTo("diffusion");
        assertThat(e.getOrDefault(e.sde())).isEqualTo("subvp");
        assertThat(e.getOrDefault(e.betaMax())).isEqualTo(15.0);
        assertThat(e.getOrDefault(e.averaging())).isEqualTo(true);
        assertThat(e.getOrDefault(e.barrier())).isEqualTo(false);
        assertThat(e.getOrDefault(e.threadsPerTask())).isEqualTo(2);
        assertThat((int[]) e.getOrDefault(e.hidden())).containsExactly(16, 8);
        assertThat(e.getOrDefault(e.learningRate())).isEqualTo(3e-3);
        assertThat(e.getOrDefault(e.stepEvery())).isEqualTo(50);
    }

    /** End to end in local[2]: an id column and a kept column come back beside every row's scores. */
    @Test
    void writesScoresThatJoinBack(@TempDir Path dir) throws Exception {
        StringBuilder csv = new StringBuilder("id,label,a,b\n");
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 300; i++) {
            csv.append(i).append(',').append(i % 3).append(',').append(rng.nextGaussian()).append(',')
                    .append(2 + rng.nextGaussian()).append('\n');
        }
        Path input = dir.resolve("rows.csv");
        Files.writeString(input, csv);
        SparkSession spark = SparkSession.builder().master("local[2]").appName("train-and-score-test")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
        int status = TrainAndScore.run(new String[] {"--input", input.toString(), "--id-column", "id", "--keep-columns", "label",
            "--model-out", dir.resolve("model").toString(), "--scores-out", dir.resolve("scores").toString(),
            "--hidden", "8", "--steps", "5", "--batch", "64", "--partitions", "2"});
        assertThat(status).isZero();
        assertThat(spark.sparkContext().isStopped()).isTrue();
        SparkSession again = SparkSession.builder().master("local[2]").appName("train-and-score-read")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
        try {
            Dataset<Row> scores = again.read().parquet(dir.resolve("scores").toString());
            assertThat(scores.columns()).containsSequence("id", "label", "a", "b").contains("energy", "score");
            assertThat(scores.count()).isEqualTo(300);
            assertThat(scores.select("id").distinct().count()).isEqualTo(300);
            assertThat(ScoreMatchingModel.load(dir.resolve("model").toString()).trainedModel().columns())
                    .containsExactly("a", "b");
        } finally {
            again.stop();
        }
    }
}
