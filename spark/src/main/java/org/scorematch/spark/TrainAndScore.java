package org.scorematch.spark;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.scorematch.ScorematchException;
import org.scorematch.options.TrainingOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The spark-submit entry point: train on a Parquet or CSV table and write the model and scores.
 *
 * <pre>
 * spark-submit --class org.scorematch.spark.TrainAndScore spark/target/scorematch-spark.jar \
 *   --input samples.parquet --columns x1,x2,x3 --model-out model/ --scores-out scores.parquet \
 *   [--id-column id] [--keep-columns label] [--partitions 8] [train's options: --objective sliced --steps 2000 …]
 * </pre>
 *
 * It takes every training option of the command line's {@code train} ({@link TrainingOptions},
 * the same declarations, so the same flags and defaults), each set as the
 * {@link ScoreMatchingEstimator} parameter of the same name, and its own: input and outputs,
 * feature, id and kept columns, partitions, averaging, threads per task and barrier jobs.
 * {@code --help} lists them; an unknown option or a bad value is refused, naming it, before Spark
 * starts (exit status 2, or 1 for a value the estimator refuses). Reads CSV (with a header) when
 * the input ends in .csv, Parquet otherwise; writes the model with Spark ML persistence (loadable
 * with {@link ScoreMatchingModel#load}) and the id, kept and feature columns with energy,
 * unnormalizedLogDensity and score as Parquet.
 */
@Command(name = "TrainAndScore", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a score-matching model on a table with Spark and write the model and every row's scores.",
            "", "Options after --scores-out are those of 'scorematch train'."},
        footer = {"", "Example:", "  spark-submit --class org.scorematch.spark.TrainAndScore scorematch-spark.jar "
                + "--input rows.csv --id-column id --model-out model --scores-out scores --objective sliced"})
public final class TrainAndScore extends TrainingOptions implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--input", required = true, paramLabel = "PATH", description = "Parquet, or CSV with a header (.csv).")
    String input;

    @Option(names = "--model-out", required = true, paramLabel = "PATH", description = "Where the model is saved.")
    String modelOut;

    @Option(names = "--scores-out", required = true, paramLabel = "PATH",
            description = "Where the rows and their scores are written (Parquet).")
    String scoresOut;

    @Option(names = "--columns", split = ",", paramLabel = "NAME",
            description = "Feature columns. Default: all but the id and kept columns.")
    List<String> columns;

    @Option(names = "--id-column", paramLabel = "NAME", description = "A column written beside the scores, to join them back.")
    String idColumn;

    @Option(names = "--keep-columns", split = ",", paramLabel = "NAME", description = "More columns written beside the scores.")
    List<String> keepColumns = new ArrayList<>();

    @Option(names = "--partitions", description = "Repartition the table to this many partitions first (the executor "
            + "cores, for synchronous steps in barrier jobs). Default: as read.")
    Integer partitions;

    @Option(names = "--averaging", description = "Local model averaging instead of synchronous steps.")
    boolean averaging;

    @Option(names = "--local-steps", defaultValue = "10", description = "Local steps between averages. Default: ${DEFAULT-VALUE}.")
    int localSteps;

    @Option(names = "--threads-per-task", defaultValue = "1",
            description = "Core engine threads per Spark task. Default: ${DEFAULT-VALUE}.")
    int threadsPerTask;

    @Option(names = "--no-barrier", description = "One Spark job per synchronous step instead of barrier jobs.")
    boolean noBarrier;

    @Option(names = "--steps-per-job", defaultValue = "500",
            description = "Synchronous steps per barrier job. Default: ${DEFAULT-VALUE}.")
    int stepsPerJob;

    /** Trains on one table and scores it (see the class comment); exits non-zero on bad input. */
    public static void main(String[] args) {
        int status = run(args);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs the driver and returns its exit status (0 on success). */
    static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The driver's command line: a refused value prints its message, not a stack trace, and exits 1. */
    static CommandLine commandLine() {
        return new CommandLine(new TrainAndScore()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("TrainAndScore: " + asFlags(String.valueOf(e.getMessage())));
            if (!(e instanceof ScorematchException) && !(e instanceof IllegalArgumentException)) {
                e.printStackTrace(cmd.getErr());
            }
            return 1;
        });
    }

    private static final Pattern PARAM = Pattern.compile("param ([a-zA-Z]+)");

    /** The estimator's messages name parameters ({@code param sigma}); here each is its flag. */
    static String asFlags(String message) {
        return PARAM.matcher(message).replaceAll(m -> Matcher.quoteReplacement(flag(m.group(1))));
    }

    private static String flag(String param) {
        return param.equals("learningRate") ? "--lr" : "--" + param.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    }

    /** The estimator parameter a shared training option sets: its name in camel case ({@code --lr}: learningRate). */
    static String parameterName(OptionSpec option) {
        String name = option.longestName().substring(2);
        if (name.equals("lr")) {
            return "learningRate";
        }
        StringBuilder camel = new StringBuilder();
        for (String part : name.split("-")) {
            camel.append(camel.length() == 0 ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        return camel.toString();
    }

    /** Whether {@code option} is one of train's shared options rather than the driver's own. */
    static boolean isTrainingOption(OptionSpec option) {
        return option.userObject() instanceof Field f && f.getDeclaringClass() == TrainingOptions.class;
    }

    /** The estimator these options describe; a value it refuses is an error naming the option. */
    ScoreMatchingEstimator estimator() {
        ScoreMatchingEstimator e = new ScoreMatchingEstimator();
        for (OptionSpec option : spec.options()) {
            Object value = option.getValue();
            // --no-standardize is the parameter standardize, negated (set below).
            if (isTrainingOption(option) && value != null && !option.longestName().equals("--no-standardize")) {
                set(option.longestName(), () -> e.setParam(parameterName(option), value));
            }
        }
        e.setStandardize(!noStandardize).setAveraging(averaging).setBarrier(!noBarrier);
        set("--local-steps", () -> e.setLocalSteps(localSteps));
        set("--threads-per-task", () -> e.setThreadsPerTask(threadsPerTask));
        set("--steps-per-job", () -> e.setStepsPerJob(stepsPerJob));
        e.checkParams();
        return e;
    }

    /** Runs {@code setter}; a value the estimator refuses is an error naming {@code flag}. */
    private static void set(String flag, Runnable setter) {
        try {
            setter.run();
        } catch (IllegalArgumentException bad) {
            throw new ScorematchException(flag + ": " + bad.getMessage(), bad);
        }
    }

    @Override
    public Integer call() throws java.io.IOException {
        ScoreMatchingEstimator estimator = estimator();
        if (partitions != null && partitions < 1) {
            throw new ScorematchException("--partitions must be at least 1, got " + partitions);
        }
        SparkSession spark = SparkSession.builder().appName("scorematch").getOrCreate();
        try {
            Dataset<Row> raw = input.endsWith(".csv")
                    ? spark.read().option("header", "true").option("inferSchema", "true").csv(input)
                    : spark.read().parquet(input);
            List<String> passed = new ArrayList<>();
            if (idColumn != null) {
                passed.add(idColumn);
            }
            passed.addAll(keepColumns);
            List<String> features = columns != null ? columns
                    : java.util.Arrays.stream(raw.columns()).filter(c -> !passed.contains(c)).toList();
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
            Dataset<Row> df = new VectorAssembler().setInputCols(features.toArray(String[]::new)).setOutputCol("features")
                    .transform(table).cache();
            ScoreMatchingModel model = estimator.fit(df);
            model.write().overwrite().save(modelOut);
            model.transform(df).drop("features").write().mode(SaveMode.Overwrite).parquet(scoresOut);
            spec.commandLine().getOut().printf("wrote %s and %s%n", modelOut, scoresOut);
            return 0;
        } finally {
            spark.stop();
        }
    }
}
