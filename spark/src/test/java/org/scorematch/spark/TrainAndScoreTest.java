package org.scorematch.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scorematch.ScorematchException;

/** The spark-submit driver's arguments, checked before Spark starts. */
class TrainAndScoreTest {
    private static final String[] REQUIRED = {"--input", "x.csv", "--model-out", "m/", "--scores-out", "s.parquet"};

    private static String[] with(String... more) {
        String[] all = java.util.Arrays.copyOf(REQUIRED, REQUIRED.length + more.length);
        System.arraycopy(more, 0, all, REQUIRED.length, more.length);
        return all;
    }

    @Test
    void aMisspeltOptionIsRefusedNotIgnored() {
        assertThatThrownBy(() -> TrainAndScore.parse(with("--hiden", "8"), System.out))
                .isInstanceOf(ScorematchException.class).hasMessageContaining("unknown option '--hiden'")
                .hasMessageContaining("--hidden");
        assertThatThrownBy(() -> TrainAndScore.parse(with("--steps"), System.out))
                .hasMessageContaining("--steps needs a value");
        assertThatThrownBy(() -> TrainAndScore.parse(new String[] {"--input", "x.csv"}, System.out))
                .hasMessageContaining("--model-out is required");
    }

    @Test
    void optionsTakeTheirDefaultsAndHelpListsThem() {
        Map<String, String> o = TrainAndScore.parse(with("--hidden", "16,16"), System.out);
        assertThat(o).containsEntry("hidden", "16,16").containsEntry("steps", "2000").containsEntry("objective", "sliced")
                .doesNotContainKey("columns");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertThat(TrainAndScore.parse(new String[] {"--help"}, new PrintStream(bytes, true, StandardCharsets.UTF_8)))
                .isNull();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("--hidden").contains("(default 128,128,128)")
                .contains("--input");
    }

    @Test
    void valuesReachTheEstimatorTypedOrAreRefused() {
        ScoreMatchingEstimator e = TrainAndScore.estimator(TrainAndScore.parse(with("--objective", "diffusion", "--sde",
                "subvp 0.1 20.0", "--model", "score", "--averaging", "true", "--threads-per-task", "2"), System.out));
        assertThat(e.getOrDefault(e.objective())).isEqualTo("diffusion");
        assertThat(e.getOrDefault(e.sde())).isEqualTo("subvp 0.1 20.0");
        assertThat(e.getOrDefault(e.averaging())).isEqualTo(true);
        assertThat(e.getOrDefault(e.threadsPerTask())).isEqualTo(2);
        assertThat(e.getOrDefault(e.learningRate())).isEqualTo(1e-3);
        assertThatThrownBy(() -> TrainAndScore.parse(with("--steps", "many"), System.out))
                .hasMessageContaining("--steps expects a whole number, got 'many'");
        assertThatThrownBy(() -> TrainAndScore.parse(with("--averaging", "yes"), System.out))
                .hasMessageContaining("--averaging expects true or false");
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
        TrainAndScore.main(new String[] {"--input", input.toString(), "--id-column", "id", "--keep-columns", "label",
            "--model-out", dir.resolve("model").toString(), "--scores-out", dir.resolve("scores").toString(),
            "--hidden", "8", "--steps", "5", "--batch", "64", "--partitions", "2"});
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
