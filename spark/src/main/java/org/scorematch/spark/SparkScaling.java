package org.scorematch.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.scorematch.engine.Activation;
import org.scorematch.engine.Engine;
import org.scorematch.engine.Initialization;
import org.scorematch.model.Architecture;
import org.scorematch.objective.ScoreMatching;
import org.scorematch.optim.Adam;
import org.scorematch.target.GaussianMixture;
import org.scorematch.train.MiniBatch;

/**
 * Spark's cost per synchronous step against the core alone, and steps per second against batch
 * size and partitions. Exact score matching, 3×128 SiLU energy, D = 10 (the 10-D mixture, 20 000
 * rows), one task per partition with one engine thread each, partitions = task slots; the core
 * alone runs the same steps with {@code MiniBatch} and Adam on an engine with {@code --cores}
 * threads (timed before and after the Spark runs, the faster kept). A Spark time includes
 * everything a run pays (the per-job costs of barrier jobs at their default 500 steps per job
 * among them), from the first step to the last; Spark logs at WARN.
 *
 * <p>{@code overhead}: at batch 256 on {@code --master} (default local[2]; a
 * {@code spark://} URL for a standalone cluster): one job per step, barrier jobs, the core
 * alone, and scoring rows per second; also the largest relative difference between the
 * partitions' full gradient and the single-machine one. {@code scaling}: barrier steps per
 * second for batches 256 … 65 536 in local[2], local[4] and local[8], beside the core alone.
 * Prints Markdown tables.
 */
public final class SparkScaling {
    private static final int D = 10;
    private static final int ROWS = 20000;

    private SparkScaling() {
    }

    /** {@code [overhead|scaling|all] [--master URL] [--cores N]} (see the class comment). */
    public static void main(String[] args) {
        String table = args.length > 0 && !args[0].startsWith("--") ? args[0] : "all";
        String master = option(args, "--master", "local[2]");
        int cores = Integer.parseInt(option(args, "--cores", "2"));
        double[] x = GaussianMixture.mixture10().sample(ROWS, new SplittableRandom(1));
        Architecture arch = Architecture.mlp(Architecture.Kind.ENERGY, D, new int[] {128, 128, 128}, Activation.SILU, null);
        double[] theta = Initialization.GLOROT.draw(arch.network(), new SplittableRandom(2));
        if (table.equals("overhead") || table.equals("all")) {
            System.out.print(overhead(master, cores, x, arch, theta));
        }
        if (table.equals("scaling") || table.equals("all")) {
            System.out.print(scaling(cores, x, arch, theta));
        }
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    /** A session logging at WARN: the per-job INFO lines would be timed too. */
    private static SparkSession session(String master) {
        SparkSession spark = SparkSession.builder().master(master).appName("scaling").config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }

    private static List<double[]> rows(double[] x) {
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            rows.add(java.util.Arrays.copyOfRange(x, i * D, (i + 1) * D));
        }
        return rows;
    }

    private static String overhead(String master, int cores, double[] x, Architecture arch, double[] theta) {
        int steps = 520;
        double core = coreStepMs(arch, x, theta, 256, steps, cores);
        SparkSession spark = session(master);
        try {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            int slots = awaitSlots(spark, cores);
            JavaRDD<double[]> rdd = jsc.parallelize(rows(x), slots).cache();
            rdd.count();
            double perStep = sparkStepMs(rdd, arch, theta, 256, 120, false);
            double barrier = sparkStepMs(rdd, arch, theta, 256, steps, true);
            double rowsPerSecond = scoring(spark, arch, theta, slots);
            // The core alone again, after: the faster of the two, so a slow moment does not flatter Spark.
            core = Math.min(core, coreStepMs(arch, x, theta, 256, steps, cores));
            double[] g = new double[theta.length];
            DistributedTrainer.fullGradient(rdd, arch, ScoreMatching.exact(), theta, 1, 1, g);
            double[] single = new double[theta.length];
            try (Engine engine = Engine.create(1)) {
                ScoreMatching.exact().lossAndGradient(engine, arch, theta, x, ROWS, new SplittableRandom(1), single);
            }
            double scale = 0;
            double diff = 0;
            for (int i = 0; i < g.length; i++) {
                scale = Math.max(scale, Math.abs(single[i]));
                diff = Math.max(diff, Math.abs(g[i] - single[i]));
            }
            return String.format(Locale.ROOT, "| master | partitions | core alone ms/step | one job per step ms/step "
                    + "(overhead) | barrier jobs ms/step (overhead) | scoring rows/s | full gradient vs one machine |%n"
                    + "|---|---|---|---|---|---|---|%n| %s | %d | %.2f | %.2f (%.1f) | %.2f (%.1f) | %.0f | %.1e |%n",
                    master, slots, core, perStep, perStep - core, barrier, barrier - core, rowsPerSecond, diff / scale);
        } finally {
            spark.stop();
        }
    }

    /** The task slots once {@code wanted} are there (executors register one by one), or after a minute. */
    private static int awaitSlots(SparkSession spark, int wanted) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        int slots = BarrierSteps.freeSlots(spark.sparkContext());
        while (slots < wanted && System.nanoTime() < deadline) {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            slots = BarrierSteps.freeSlots(spark.sparkContext());
        }
        return Math.max(1, slots);
    }

    private static String scaling(int cores, double[] x, Architecture arch, double[] theta) {
        int[] batches = {256, 1024, 4096, 16384, 65536};
        int[] slots = {2, 4, 8};
        StringBuilder md = new StringBuilder("| batch | core alone steps/s");
        for (int s : slots) {
            md.append(" | local[").append(s).append("] steps/s");
        }
        md.append(" |\n|---|---");
        md.append("|---".repeat(slots.length)).append("|\n");
        double[][] sparkRate = new double[batches.length][slots.length];
        for (int j = 0; j < slots.length; j++) {
            SparkSession spark = session("local[" + slots[j] + "]");
            try {
                JavaRDD<double[]> rdd = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows(x), slots[j])
                        .cache();
                rdd.count();
                for (int i = 0; i < batches.length; i++) {
                    sparkRate[i][j] = 1000 / sparkStepMs(rdd, arch, theta, batches[i], stepsFor(batches[i]), true);
                    System.err.printf(Locale.ROOT, "local[%d] batch %d: %.2f steps/s%n", slots[j], batches[i],
                            sparkRate[i][j]);
                }
            } finally {
                spark.stop();
            }
        }
        for (int i = 0; i < batches.length; i++) {
            md.append(String.format(Locale.ROOT, "| %d | %.2f", batches[i],
                    1000 / coreStepMs(arch, x, theta, batches[i], stepsFor(batches[i]), cores)));
            for (int j = 0; j < slots.length; j++) {
                md.append(String.format(Locale.ROOT, " | %.2f", sparkRate[i][j]));
            }
            md.append(" |\n");
        }
        return md.toString();
    }

    /** Enough steps for a few seconds at each batch (about 10 ms per 256 rows on two cores). */
    private static int stepsFor(int batch) {
        return Math.max(4, 256 * 256 / batch);
    }

    private static double sparkStepMs(JavaRDD<double[]> rdd, Architecture arch, double[] theta, int batch, int steps,
                                      boolean barrier) {
        DistributedTrainer.train(rdd, arch, ScoreMatching.exact(), theta,
                DistributedTrainer.Options.synchronous(3, batch, 1e-3, 1).withBarrier(barrier));
        long t0 = System.nanoTime();
        DistributedTrainer.train(rdd, arch, ScoreMatching.exact(), theta,
                DistributedTrainer.Options.synchronous(steps, batch, 1e-3, 1).withBarrier(barrier));
        return (System.nanoTime() - t0) / 1e6 / steps;
    }

    private static double coreStepMs(Architecture arch, double[] x, double[] theta0, int batch, int steps, int threads) {
        double[] theta = theta0.clone();
        double[] grad = new double[theta.length];
        double[] buffer = new double[batch * arch.dimension()];
        Adam adam = Adam.of(1e-3);
        try (Engine engine = Engine.create(threads)) {
            for (int w = 0; w < 3; w++) {
                MiniBatch.lossAndGradient(engine, arch, ScoreMatching.exact(), theta, x, ROWS, batch,
                        new SplittableRandom(w), buffer, grad);
            }
            long t0 = System.nanoTime();
            for (int s = 1; s <= steps; s++) {
                MiniBatch.lossAndGradient(engine, arch, ScoreMatching.exact(), theta, x, ROWS, batch,
                        new SplittableRandom(s), buffer, grad);
                adam.step(theta, grad);
            }
            return (System.nanoTime() - t0) / 1e6 / steps;
        }
    }

    private static double scoring(SparkSession spark, Architecture arch, double[] theta, int partitions) {
        SplittableRandom rng = new SplittableRandom(3);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 200000; i++) {
            double[] v = new double[arch.dimension()];
            for (int c = 0; c < v.length; c++) {
                v[c] = rng.nextGaussian();
            }
            rows.add(RowFactory.create(Vectors.dense(v)));
        }
        Dataset<Row> df = spark.createDataFrame(rows, new StructType().add("features", new VectorUDT()))
                .repartition(partitions).cache();
        df.count();
        List<String> names = new ArrayList<>();
        for (int c = 1; c <= arch.dimension(); c++) {
            names.add("x" + c);
        }
        var trained = org.scorematch.model.TrainedModel.of(org.scorematch.model.EnergyModel.of(arch, theta),
                org.scorematch.data.Standardization.identity(arch.dimension()), names, java.util.Map.of());
        ScoreMatchingModel m = ScoreMatchingModel.of(trained);
        m.transform(df).count();
        long t0 = System.nanoTime();
        long n = m.transform(df).count();
        return n / ((System.nanoTime() - t0) / 1e9);
    }
}
