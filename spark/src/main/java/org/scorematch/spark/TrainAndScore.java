package org.scorematch.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.scorematch.ScorematchException;
import org.scorematch.model.Sde;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The spark-submit entry point: train on a Parquet or CSV table and write the model and scores.
 *
 * <pre>
 * spark-submit --class org.scorematch.spark.TrainAndScore spark/target/scorematch-spark.jar \
 *   --input samples.parquet --columns x1,x2,x3 --model-out model/ --scores-out scores.parquet \
 *   [--objective sliced] [--hidden 128,128,128] [--steps 2000] [--batch 1024] [--partitions 8] [--id-column id]
 * </pre>
 *
 * Reads CSV (with a header) when the input ends in .csv, Parquet otherwise; writes the model with
 * Spark ML persistence (loadable with {@link ScoreMatchingModel#load}) and, as Parquet, the
 * feature columns with energy, unnormalizedLogDensity and score, plus the {@code --id-column} and
 * {@code --keep-columns} to join them back. The training options are the CLI's {@code train}
 * options of the same names (a test compares the two lists); unknown options are refused.
 */
@Command(name = "TrainAndScore", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a score-matching model on a table with Spark and write the model and the rows' scores.")
public final class TrainAndScore implements Callable<Integer> {
    @Option(names = "--input", required = true, paramLabel = "PATH", description = "Parquet, or CSV with a header (.csv).")
    String input;

    @Option(names = "--columns", split = ",", paramLabel = "COL",
            description = "Feature columns. Default: every column but --id-column and --keep-columns.")
    List<String> columns;

    @Option(names = "--id-column", paramLabel = "COL", description = "A column written beside the scores, to join them back.")
    String idColumn;

    @Option(names = "--keep-columns", split = ",", paramLabel = "COL", description = "More columns written beside the scores.")
    List<String> keepColumns = new ArrayList<>();

    @Option(names = "--model-out", required = true, paramLabel = "PATH", description = "Where the model is saved.")
    String modelOut;

    @Option(names = "--scores-out", required = true, paramLabel = "PATH", description = "Where the scores are written.")
    String scoresOut;

    @Option(names = "--partitions", description = "Repartition to this many partitions (the executor cores). "
            + "Default: as read.")
    Integer partitions;

    @Option(names = "--model", defaultValue = "energy", description = "energy or score. Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--hidden", defaultValue = "128,128,128", description = "Hidden widths. Default: ${DEFAULT-VALUE}.")
    String hidden;

    @Option(names = "--activation", defaultValue = "silu",
            description = "silu, softplus, tanh or gelu. Default: ${DEFAULT-VALUE}.")
    String activation;

    @Option(names = "--objective", defaultValue = "sliced",
            description = "exact, sliced, sliced-vr, denoising or diffusion. Default: ${DEFAULT-VALUE}.")
    String objective;

    @Option(names = "--projections", defaultValue = "1", description = "Directions per sample for sliced objectives. "
            + "Default: ${DEFAULT-VALUE}.")
    int projections;

    @Option(names = "--sigma", defaultValue = "0.1", description = "Denoising noise level (standardised units). "
            + "Default: ${DEFAULT-VALUE}.")
    double sigma;

    @Option(names = "--sde", defaultValue = "vp", description = "Diffusion: ve, vp or subvp. Default: ${DEFAULT-VALUE}.")
    String sde;

    @Option(names = "--beta-min", defaultValue = "0.1", description = "Diffusion, vp and subvp: β at t = 0. "
            + "Default: ${DEFAULT-VALUE}.")
    double betaMin;

    @Option(names = "--beta-max", defaultValue = "20", description = "Diffusion, vp and subvp: β at t = 1. "
            + "Default: ${DEFAULT-VALUE}.")
    double betaMax;

    @Option(names = "--sigma-min", description = "Diffusion, ve: σ at t = 0 (standardised units; required for ve).")
    Double sigmaMin;

    @Option(names = "--sigma-max", description = "Diffusion, ve: σ at t = 1 (standardised units; required for ve).")
    Double sigmaMax;

    @Option(names = "--weighting", defaultValue = "sigma2", description = "Diffusion: sigma2 or likelihood. "
            + "Default: ${DEFAULT-VALUE}.")
    String weighting;

    @Option(names = "--steps", defaultValue = "2000", description = "Training steps. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--batch", defaultValue = "1024", description = "Samples per step over all partitions. "
            + "Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Adam learning rate. Default: ${DEFAULT-VALUE}.")
    double lr;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--no-standardize", description = "Train on the columns as they are.")
    boolean noStandardize;

    @Option(names = "--averaging", description = "Local model averaging instead of synchronous steps.")
    boolean averaging;

    @Option(names = "--local-steps", defaultValue = "10", description = "Local steps between averages. "
            + "Default: ${DEFAULT-VALUE}.")
    int localSteps;

    @Option(names = "--threads-per-task", defaultValue = "1", description = "Core engine threads per task. "
            + "Default: ${DEFAULT-VALUE}.")
    int threadsPerTask;

    /** Parses the arguments (unknown ones refused, {@code --help} answered) and runs; exits with the status. */
    public static void main(String[] args) {
        System.exit(command().execute(args));
    }

    /** The command line, with scorematch's errors printed as one line and a non-zero status. */
    static CommandLine command() {
        return new CommandLine(new TrainAndScore()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ScorematchException || e instanceof IllegalArgumentException
                    || e instanceof java.io.IOException) {
                cmd.getErr().println("error: " + e.getMessage());
                return 1;
            }
            throw e;
        });
    }

    /** The estimator these options describe. */
    ScoreMatchingEstimator estimator() {
        ScoreMatchingEstimator e = new ScoreMatchingEstimator().setParam("model", model).setParam("hidden", hidden)
                .setParam("activation", activation).setParam("objective", objective).setParam("projections", projections)
                .setParam("sigma", sigma).setParam("weighting", weighting).setParam("steps", steps)
                .setParam("batch", batch).setParam("learningRate", lr).setParam("seed", seed)
                .setParam("standardize", !noStandardize).setParam("averaging", averaging)
                .setParam("localSteps", localSteps).setParam("threadsPerTask", threadsPerTask);
        if (objective.equals("diffusion")) {
            e.setParam("sde", sdeSpec());
        }
        return e;
    }

    private String sdeSpec() {
        if (sde.equals("ve")) {
            if (sigmaMin == null || sigmaMax == null) {
                throw new ScorematchException("--sde ve needs --sigma-min and --sigma-max (standardised units): the "
                        + "data's largest pairwise distance, the single-machine default, is not computed on Spark");
            }
            return Sde.ve(sigmaMin, sigmaMax).spec();
        }
        if (sigmaMin != null || sigmaMax != null) {
            throw new ScorematchException("--sigma-min and --sigma-max apply to --sde ve");
        }
        return switch (sde) {
            case "vp" -> Sde.vp(betaMin, betaMax).spec();
            case "subvp" -> Sde.subVp(betaMin, betaMax).spec();
            default -> throw new ScorematchException("unknown --sde '" + sde + "'; expected ve, vp or subvp");
        };
    }

    @Override
    public Integer call() throws java.io.IOException {
        ScoreMatchingEstimator estimator = estimator();
        SparkSession spark = SparkSession.builder().appName("scorematch").getOrCreate();
        try {
            Dataset<Row> raw = input.endsWith(".csv")
                    ? spark.read().option("header", "true").option("inferSchema", "true").csv(input)
                    : spark.read().parquet(input);
            List<String> passed = new ArrayList<>(keepColumns);
            if (idColumn != null) {
                passed.add(0, idColumn);
            }
            List<String> features = new ArrayList<>();
            for (String c : columns != null ? columns : List.of(raw.columns())) {
                if (columns != null || !passed.contains(c)) {
                    features.add(c);
                }
            }
            List<Column> selected = new ArrayList<>();
            for (String c : passed) {
                selected.add(functions.col(c));
            }
            for (String c : features) {
                selected.add(functions.col(c));
            }
            Dataset<Row> table = raw.select(selected.toArray(Column[]::new));
            if (partitions != null) {
                table = table.repartition(partitions);
            }
            Dataset<Row> df = new VectorAssembler().setInputCols(features.toArray(String[]::new))
                    .setOutputCol("features").transform(table);
            ScoreMatchingModel fitted = estimator.fit(df.cache());
            fitted.write().overwrite().save(modelOut);
            fitted.transform(df).drop("features").write().mode(SaveMode.Overwrite).parquet(scoresOut);
        } finally {
            spark.stop();
        }
        return 0;
    }
}
