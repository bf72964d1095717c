package org.scorematch.spark;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The spark-submit entry point: train on a Parquet or CSV table and write scores.
 *
 * <pre>
 * spark-submit --class org.scorematch.spark.TrainAndScore spark/target/scorematch-spark.jar \
 *   --input samples.parquet --columns x1,x2,x3 --model-out model/ --scores-out scores.parquet \
 *   [--objective sliced] [--hidden 128,128] [--steps 2000] [--batch 1024] [--lr 1e-3] [--seed 1]
 * </pre>
 *
 * Reads CSV (with a header) when the input ends in .csv, Parquet otherwise; writes the model with
 * Spark ML persistence (loadable with {@link ScoreMatchingModel#load}) and the input rows with
 * energy, unnormalizedLogDensity and score columns as Parquet.
 */
public final class TrainAndScore {
    private TrainAndScore() {
    }

    /** Trains on one table and scores another (see the class comment); exits non-zero on bad input. */
    public static void main(String[] args) throws java.io.IOException {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String input = require(o, "input");
        SparkSession spark = SparkSession.builder().appName("scorematch").getOrCreate();
        Dataset<Row> raw = input.endsWith(".csv")
                ? spark.read().option("header", "true").option("inferSchema", "true").csv(input)
                : spark.read().parquet(input);
        String[] columns = o.containsKey("columns") ? o.get("columns").split(",") : raw.columns();
        Dataset<Row> df = new VectorAssembler().setInputCols(columns).setOutputCol("features").transform(
                raw.select(Arrays.stream(columns).map(functions::col).toArray(org.apache.spark.sql.Column[]::new)));
        ScoreMatchingEstimator estimator = new ScoreMatchingEstimator()
                .setParam("objective", o.getOrDefault("objective", "sliced"))
                .setParam("hidden", o.getOrDefault("hidden", "128,128,128"))
                .setParam("steps", Integer.parseInt(o.getOrDefault("steps", "2000")))
                .setParam("batch", Integer.parseInt(o.getOrDefault("batch", "1024")))
                .setParam("learningRate", Double.parseDouble(o.getOrDefault("lr", "1e-3")))
                .setParam("seed", Long.parseLong(o.getOrDefault("seed", "1")));
        ScoreMatchingModel model = estimator.fit(df.cache());
        model.write().overwrite().save(require(o, "model-out"));
        model.transform(df).drop("features").write().mode(SaveMode.Overwrite).parquet(require(o, "scores-out"));
        spark.stop();
    }

    private static String require(Map<String, String> o, String key) {
        String v = o.get(key);
        if (v == null) {
            throw new IllegalArgumentException("--" + key + " is required");
        }
        return v;
    }
}
