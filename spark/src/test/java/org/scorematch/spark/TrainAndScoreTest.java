package org.scorematch.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scorematch.cli.TrainCommand;
import picocli.CommandLine;

/** The spark-submit driver: its options are the CLI's, bad ones are refused, and it writes joinable scores. */
class TrainAndScoreTest {
    /** Options only the driver has: where the table and the outputs are, and how Spark runs. */
    private static final Set<String> DRIVER_ONLY = Set.of("--input", "--id-column", "--keep-columns", "--model-out",
            "--scores-out", "--partitions", "--averaging", "--local-steps", "--threads-per-task", "-h", "--help", "-V",
            "--version");

    /** train's options the driver does not take, each with the reason; a new train option must be placed here or there. */
    private static final Map<String, String> NOT_ON_SPARK = Map.ofEntries(
            Map.entry("--dataset", "built-in data sets: Spark reads --input"),
            Map.entry("--rows", "built-in data sets"),
            Map.entry("--data", "--input"),
            Map.entry("--drop", "--columns selects"),
            Map.entry("--drop-missing", "--columns selects; Spark's own readers drop rows"),
            Map.entry("--out", "--model-out"),
            Map.entry("--threads", "--threads-per-task"),
            Map.entry("--dequantize", "not yet on the estimator"),
            Map.entry("--projection", "the estimator draws Rademacher directions"),
            Map.entry("--levels", "multiscale is not trained on Spark"),
            Map.entry("--init", "the estimator draws PyTorch's initialisation"),
            Map.entry("--batches", "each partition draws its share of every batch"),
            Map.entry("--optimizer", "Adam only on Spark, so far"),
            Map.entry("--momentum", "Adam only"),
            Map.entry("--schedule", "a constant rate on Spark, so far"),
            Map.entry("--step-every", "a constant rate"),
            Map.entry("--step-gamma", "a constant rate"),
            Map.entry("--weight-decay", "not in the distributed trainer yet"),
            Map.entry("--clip-norm", "not in the distributed trainer yet"),
            Map.entry("--ema", "not in the distributed trainer yet"),
            Map.entry("--validation", "no held-out evaluation on Spark yet"),
            Map.entry("--held-out-metric", "no held-out evaluation"),
            Map.entry("--eval-every", "no held-out evaluation"),
            Map.entry("--patience", "no held-out evaluation"),
            Map.entry("--checkpoint", "Spark retries failed tasks; no checkpoints"),
            Map.entry("--checkpoint-every", "no checkpoints"),
            Map.entry("--resume", "no checkpoints"),
            Map.entry("--log", "no loss log on Spark yet"));

    @Test
    void unknownOptionsAreRefusedAndHelpIsAnswered() {
        StringWriter err = new StringWriter();
        CommandLine cmd = TrainAndScore.command();
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute("--input", "x.csv", "--model-out", "m", "--scores-out", "s", "--hiden", "8");
        assertThat(code).isNotZero();
        assertThat(err.toString()).contains("Unknown options: '--hiden'").contains("Possible solutions: --hidden");
        StringWriter out = new StringWriter();
        CommandLine help = TrainAndScore.command();
        help.setOut(new PrintWriter(out));
        assertThat(help.execute("--help")).isZero();
        assertThat(out.toString()).contains("--hidden").contains("Default: 128,128,128").contains("--id-column");
    }

    @Test
    void trainingOptionsAreTheCliTrainsOwn() {
        Set<String> driver = TrainAndScore.command().getCommandSpec().optionsMap().keySet();
        Set<String> train = new CommandLine(new TrainCommand()).getCommandSpec().optionsMap().keySet();
        Set<String> shared = new HashSet<>(driver);
        shared.removeAll(DRIVER_ONLY);
        assertThat(train).as("options the driver shares with train").containsAll(shared);
        Set<String> placed = new HashSet<>(driver);
        placed.addAll(NOT_ON_SPARK.keySet());
        assertThat(placed).as("train's options, on Spark or listed with the reason they are not").containsAll(
                train.stream().filter(o -> !o.equals("-h") && !o.equals("-V")).toList());
        assertThat(NOT_ON_SPARK.keySet()).as("listed as missing but present").doesNotContainAnyElementsOf(driver);
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
        StringWriter err = new StringWriter();
        CommandLine cmd = TrainAndScore.command();
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute("--input", input.toString(), "--id-column", "id", "--keep-columns", "label",
                "--model-out", dir.resolve("model").toString(), "--scores-out", dir.resolve("scores").toString(),
                "--hidden", "8", "--steps", "5", "--batch", "64", "--partitions", "2");
        assertThat(code).as(err.toString()).isZero();
        SparkSession again = SparkSession.builder().master("local[2]").appName("train-and-score-read")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
        try {
            Dataset<Row> scores = again.read().parquet(dir.resolve("scores").toString());
            assertThat(scores.columns()).containsSequence("id", "label", "a", "b").contains("energy", "score");
            assertThat(scores.count()).isEqualTo(300);
            assertThat(scores.select("id").distinct().count()).isEqualTo(300);
        } finally {
            again.stop();
        }
        assertThat(spark.sparkContext().isStopped()).isTrue();
    }
}
