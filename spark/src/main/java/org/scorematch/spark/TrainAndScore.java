package org.scorematch.spark;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.scorematch.ScorematchException;

/**
 * The spark-submit entry point: train on a Parquet or CSV table and write scores.
 *
 * <pre>
 * spark-submit --class org.scorematch.spark.TrainAndScore spark/target/scorematch-spark.jar \
 *   --input samples.parquet --columns x1,x2,x3 --model-out model/ --scores-out scores.parquet \
 *   [--objective sliced] [--hidden 128,128,128] [--steps 2000] [--batch 1024] [--lr 1e-3] [--seed 1]
 * </pre>
 *
 * {@code --help} lists the options with their defaults; an unknown option is refused before Spark
 * starts. Reads CSV (with a header) when the input ends in .csv, Parquet otherwise; writes the model with
 * Spark ML persistence (loadable with {@link ScoreMatchingModel#load}) and the input rows with
 * energy, unnormalizedLogDensity and score columns as Parquet.
 */
public final class TrainAndScore {
    /** Every option, in the order {@code --help} lists them: name → {default (null: required or none), what it sets}. */
    private static final Map<String, String[]> OPTIONS = new LinkedHashMap<>();

    static {
        OPTIONS.put("input", new String[] {null, "Parquet, or CSV with a header (.csv); required"});
        OPTIONS.put("model-out", new String[] {null, "where the model is saved; required"});
        OPTIONS.put("scores-out", new String[] {null, "where the rows and their scores are written; required"});
        OPTIONS.put("columns", new String[] {null, "feature columns, comma-separated (default: all)"});
        OPTIONS.put("objective", new String[] {"sliced", "exact, sliced, sliced-vr, denoising or diffusion"});
        OPTIONS.put("hidden", new String[] {"128,128,128", "hidden layer widths"});
        OPTIONS.put("steps", new String[] {"2000", "training steps"});
        OPTIONS.put("batch", new String[] {"1024", "samples per step over all partitions"});
        OPTIONS.put("lr", new String[] {"1e-3", "Adam learning rate"});
        OPTIONS.put("seed", new String[] {"1", "random seed"});
    }

    private TrainAndScore() {
    }

    /** Trains on one table and scores another (see the class comment); exits non-zero on bad input. */
    public static void main(String[] args) throws java.io.IOException {
        Map<String, String> o;
        try {
            o = parse(args, System.out);
        } catch (ScorematchException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (o == null) {
            return;
        }
        String input = o.get("input");
        SparkSession spark = SparkSession.builder().appName("scorematch").getOrCreate();
        Dataset<Row> raw = input.endsWith(".csv")
                ? spark.read().option("header", "true").option("inferSchema", "true").csv(input)
                : spark.read().parquet(input);
        String[] columns = o.containsKey("columns") ? o.get("columns").split(",") : raw.columns();
        Dataset<Row> df = new VectorAssembler().setInputCols(columns).setOutputCol("features").transform(
                raw.select(Arrays.stream(columns).map(functions::col).toArray(org.apache.spark.sql.Column[]::new)));
        ScoreMatchingEstimator estimator = new ScoreMatchingEstimator()
                .setParam("objective", o.get("objective"))
                .setParam("hidden", o.get("hidden"))
                .setParam("steps", Integer.parseInt(o.get("steps")))
                .setParam("batch", Integer.parseInt(o.get("batch")))
                .setParam("learningRate", Double.parseDouble(o.get("lr")))
                .setParam("seed", Long.parseLong(o.get("seed")));
        ScoreMatchingModel model = estimator.fit(df.cache());
        model.write().overwrite().save(o.get("model-out"));
        model.transform(df).drop("features").write().mode(SaveMode.Overwrite).parquet(o.get("scores-out"));
        spark.stop();
    }

    /**
     * The options with their defaults filled in, before Spark starts; null after printing the usage
     * for {@code --help}. An unknown option, one without its value, or a missing required one is a
     * {@link ScorematchException} that names it (a misspelt option must not train with a default).
     */
    static Map<String, String> parse(String[] args, java.io.PrintStream out) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help") || args[i].equals("-h")) {
                out.print(usage());
                return null;
            }
            String key = args[i].startsWith("--") ? args[i].substring(2) : null;
            if (key == null || !OPTIONS.containsKey(key)) {
                throw new ScorematchException("unknown option '" + args[i] + "'; the options are --"
                        + String.join(", --", OPTIONS.keySet()) + " (--help describes them)");
            }
            if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                throw new ScorematchException("--" + key + " needs a value");
            }
            o.put(key, args[++i]);
        }
        for (Map.Entry<String, String[]> e : OPTIONS.entrySet()) {
            if (!o.containsKey(e.getKey()) && e.getValue()[0] != null) {
                o.put(e.getKey(), e.getValue()[0]);
            }
        }
        for (String required : new String[] {"input", "model-out", "scores-out"}) {
            if (!o.containsKey(required)) {
                throw new ScorematchException("--" + required + " is required (--help lists the options)");
            }
        }
        return o;
    }

    private static String usage() {
        StringBuilder u = new StringBuilder("Usage: spark-submit --class org.scorematch.spark.TrainAndScore "
                + "scorematch-spark.jar --input PATH --model-out PATH --scores-out PATH [options]\n");
        for (Map.Entry<String, String[]> e : OPTIONS.entrySet()) {
            u.append(String.format(java.util.Locale.ROOT, "  --%-12s %s%s%n", e.getKey(), e.getValue()[1],
                    e.getValue()[0] == null ? "" : " (default " + e.getValue()[0] + ")"));
        }
        return u.toString();
    }
}
