package org.scorematch.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark ML persistence: a {@code Pipeline(VectorAssembler, ScoreMatchingEstimator)} saves and
 * loads unfitted with its parameters, and fitted it saves, loads and transforms to the same
 * values. Loading repeats the same computation on the same partitions, so the comparison is exact.
 */
class PipelinePersistenceTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("scorematch-pipelines").config("spark.ui.enabled",
                "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static Dataset<Row> table() {
        SplittableRandom rng = new SplittableRandom(5);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            rows.add(RowFactory.create(i, rng.nextGaussian(), 3 + 2 * rng.nextGaussian(), "r" + i));
        }
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("eruptions", DataTypes.DoubleType)
                .add("waiting", DataTypes.DoubleType).add("note", DataTypes.StringType);
        return spark.createDataFrame(rows, schema).repartition(2);
    }

    private static Pipeline pipeline() {
        VectorAssembler assembler = new VectorAssembler().setInputCols(new String[] {"eruptions", "waiting"})
                .setOutputCol("features");
        ScoreMatchingEstimator estimator = new ScoreMatchingEstimator().setHidden(8, 8).setObjective("sliced")
                .setSteps(15).setBatch(64).setLearningRate(3e-3).setSeed(9);
        return new Pipeline().setStages(new PipelineStage[] {assembler, estimator});
    }

    @Test
    void anUnfittedPipelineSavesAndLoadsWithItsParameters(@TempDir Path dir) throws Exception {
        Pipeline p = pipeline();
        String path = dir.resolve("pipeline").toString();
        p.write().save(path);
        Pipeline back = Pipeline.load(path);
        ScoreMatchingEstimator before = (ScoreMatchingEstimator) p.getStages()[1];
        ScoreMatchingEstimator after = (ScoreMatchingEstimator) back.getStages()[1];
        assertThat(after.uid()).isEqualTo(before.uid());
        assertThat(after.explainParams()).isEqualTo(before.explainParams()).contains("hidden layer widths");
        assertThat((int[]) after.getOrDefault(after.hidden())).containsExactly(8, 8);
        assertThat(after.getOrDefault(after.objective())).isEqualTo("sliced");
        assertThat(after.isSet(after.batch())).isTrue();
        assertThat(after.isSet(after.sigma())).isFalse();
    }

    @Test
    void aFittedPipelineSavesLoadsAndTransformsIdentically(@TempDir Path dir) throws Exception {
        Dataset<Row> data = table().cache();
        PipelineModel fitted = pipeline().fit(data);
        String path = dir.resolve("model").toString();
        fitted.write().save(path);
        PipelineModel back = PipelineModel.load(path);
        ScoreMatchingModel m = (ScoreMatchingModel) back.stages()[1];
        assertThat(m.trainedModel().columns()).containsExactly("eruptions", "waiting");
        assertThat(m.trainedModel().model().parameters())
                .containsExactly(((ScoreMatchingModel) fitted.stages()[1]).trainedModel().model().parameters());
        List<Row> a = fitted.transform(data).orderBy("id").collectAsList();
        List<Row> b = back.transform(data).orderBy("id").collectAsList();
        assertThat(b).hasSize(300);
        for (int i = 0; i < a.size(); i++) {
            Row x = a.get(i);
            Row y = b.get(i);
            // Pass-through columns come back beside the scores.
            assertThat(y.getString(y.fieldIndex("note"))).isEqualTo("r" + y.getInt(y.fieldIndex("id")));
            assertThat(y.getDouble(y.fieldIndex("energy"))).isEqualTo(x.getDouble(x.fieldIndex("energy")));
            assertThat(((Vector) y.get(y.fieldIndex("score"))).toArray())
                    .containsExactly(((Vector) x.get(x.fieldIndex("score"))).toArray());
        }
    }
}
