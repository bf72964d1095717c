package org.scorematch.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * {@code --help} lists the options with their defaults; an unknown option, or a value of the wrong
 * type, is refused before Spark starts. {@code --id-column} and {@code --keep-columns} are written
 * beside the scores so they can be joined back; {@code --partitions} repartitions the table first. Reads CSV (with a header) when the input ends in .csv, Parquet otherwise; writes the model with
 * Spark ML persistence (loadable with {@link ScoreMatchingModel#load}) and the input rows with
 * energy, unnormalizedLogDensity and score columns as Parquet.
 */
public final class TrainAndScore {
    /**
     * One option: its default (null: required, or none), what it sets, and the estimator parameter
     * it sets with the parameter's type (null for the driver's own options).
     */
    private record Spec(String fallback, String help, String param, Class<?> type) {
    }

    /** Every option, in the order {@code --help} lists them. */
    private static final Map<String, Spec> OPTIONS = new LinkedHashMap<>();

    static {
        OPTIONS.put("input", new Spec(null, "Parquet, or CSV with a header (.csv); required", null, null));
        OPTIONS.put("model-out", new Spec(null, "where the model is saved; required", null, null));
        OPTIONS.put("scores-out", new Spec(null, "where the rows and their scores are written; required", null, null));
        OPTIONS.put("columns", new Spec(null, "feature columns, comma-separated (default: all but the id and kept "
                + "columns)", null, null));
        OPTIONS.put("id-column", new Spec(null, "a column written beside the scores, to join them back", null, null));
        OPTIONS.put("keep-columns", new Spec(null, "more columns written beside the scores, comma-separated", null,
                null));
        OPTIONS.put("partitions", new Spec(null, "repartition to this many partitions first (the executor cores)", null,
                Integer.class));
        OPTIONS.put("model", new Spec("energy", "energy or score", "model", String.class));
        OPTIONS.put("hidden", new Spec("128,128,128", "hidden layer widths", "hidden", String.class));
        OPTIONS.put("activation", new Spec("silu", "silu, softplus, tanh or gelu", "activation", String.class));
        OPTIONS.put("objective", new Spec("sliced", "exact, sliced, sliced-vr, denoising or diffusion", "objective",
                String.class));
        OPTIONS.put("projections", new Spec("1", "directions per sample (sliced objectives)", "projections",
                Integer.class));
        OPTIONS.put("sigma", new Spec("0.1", "denoising noise level, standardised units", "sigma", Double.class));
        OPTIONS.put("sde", new Spec("vp 0.1 20.0", "diffusion: 've a b', 'vp a b' or 'subvp a b'", "sde",
                String.class));
        OPTIONS.put("weighting", new Spec("sigma2", "diffusion: sigma2 or likelihood", "weighting", String.class));
        OPTIONS.put("steps", new Spec("2000", "training steps", "steps", Integer.class));
        OPTIONS.put("batch", new Spec("1024", "samples per step over all partitions", "batch", Integer.class));
        OPTIONS.put("lr", new Spec("1e-3", "Adam learning rate", "learningRate", Double.class));
        OPTIONS.put("seed", new Spec("1", "random seed", "seed", Long.class));
        OPTIONS.put("standardize", new Spec("true", "standardise the columns first (true or false)", "standardize",
                Boolean.class));
        OPTIONS.put("averaging", new Spec("false", "local model averaging instead of synchronous steps (true or "
                + "false)", "averaging", Boolean.class));
        OPTIONS.put("local-steps", new Spec("10", "local steps between averages", "localSteps", Integer.class));
        OPTIONS.put("threads-per-task", new Spec("1", "core engine threads per task", "threadsPerTask",
                Integer.class));
    }

    private TrainAndScore() {
    }

    /** Trains on one table and scores another (see the class comment); exits non-zero on bad input. */
    public static void main(String[] args) throws java.io.IOException {
        Map<String, String> o;
        ScoreMatchingEstimator estimator;
        try {
            o = parse(args, System.out);
            if (o == null) {
                return;
            }
            estimator = estimator(o);
        } catch (ScorematchException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        String input = o.get("input");
        SparkSession spark = SparkSession.builder().appName("scorematch").getOrCreate();
        Dataset<Row> raw = input.endsWith(".csv")
                ? spark.read().option("header", "true").option("inferSchema", "true").csv(input)
                : spark.read().parquet(input);
        List<String> passed = new ArrayList<>();
        if (o.containsKey("id-column")) {
            passed.add(o.get("id-column"));
        }
        if (o.containsKey("keep-columns")) {
            passed.addAll(Arrays.asList(o.get("keep-columns").split(",")));
        }
        List<String> features = o.containsKey("columns") ? Arrays.asList(o.get("columns").split(","))
                : Arrays.stream(raw.columns()).filter(c -> !passed.contains(c)).toList();
        List<org.apache.spark.sql.Column> selected = new ArrayList<>();
        for (String c : passed) {
            selected.add(functions.col(c));
        }
        for (String c : features) {
            selected.add(functions.col(c));
        }
        Dataset<Row> table = raw.select(selected.toArray(org.apache.spark.sql.Column[]::new));
        if (o.containsKey("partitions")) {
            table = table.repartition(Integer.parseInt(o.get("partitions")));
        }
        Dataset<Row> df = new VectorAssembler().setInputCols(features.toArray(String[]::new)).setOutputCol("features")
                .transform(table);
        ScoreMatchingModel model = estimator.fit(df.cache());
        model.write().overwrite().save(o.get("model-out"));
        model.transform(df).drop("features").write().mode(SaveMode.Overwrite).parquet(o.get("scores-out"));
        spark.stop();
    }

    /** The estimator the parsed options describe, each value checked against its parameter's type. */
    static ScoreMatchingEstimator estimator(Map<String, String> o) {
        ScoreMatchingEstimator e = new ScoreMatchingEstimator();
        for (Map.Entry<String, Spec> option : OPTIONS.entrySet()) {
            Spec spec = option.getValue();
            String value = o.get(option.getKey());
            if (spec.param() != null && value != null) {
                e.setParam(spec.param(), typed("--" + option.getKey(), value, spec.type()));
            }
        }
        return e;
    }

    private static Object typed(String option, String value, Class<?> type) {
        try {
            if (type == Integer.class) {
                return Integer.parseInt(value);
            } else if (type == Long.class) {
                return Long.parseLong(value);
            } else if (type == Double.class) {
                return Double.parseDouble(value);
            } else if (type == Boolean.class) {
                if (!value.equals("true") && !value.equals("false")) {
                    throw new NumberFormatException();
                }
                return Boolean.parseBoolean(value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ScorematchException(option + " expects " + (type == Boolean.class ? "true or false"
                    : type == Double.class ? "a number" : "a whole number") + ", got '" + value + "'");
        }
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
        for (Map.Entry<String, Spec> e : OPTIONS.entrySet()) {
            if (!o.containsKey(e.getKey()) && e.getValue().fallback() != null) {
                o.put(e.getKey(), e.getValue().fallback());
            }
            if (o.containsKey(e.getKey()) && e.getValue().type() != null) {
                typed("--" + e.getKey(), o.get(e.getKey()), e.getValue().type());
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
        for (Map.Entry<String, Spec> e : OPTIONS.entrySet()) {
            u.append(String.format(java.util.Locale.ROOT, "  --%-17s %s%s%n", e.getKey(), e.getValue().help(),
                    e.getValue().fallback() == null ? "" : " (default " + e.getValue().fallback() + ")"));
        }
        return u.toString();
    }
}
