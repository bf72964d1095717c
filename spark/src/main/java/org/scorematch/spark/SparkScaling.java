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
import org.scorematch.engine.Engine;
import org.scorematch.engine.Initialization;
import org.scorematch.engine.Activation;
import org.scorematch.model.Architecture;
import org.scorematch.objective.ScoreMatching;
import org.scorematch.optim.Adam;
import org.scorematch.target.GaussianMixture;
import org.scorematch.train.MiniBatch;

/**
 * Local-mode scaling: for local[1] and local[2] and 1–8 partitions, training steps per second
 * (exact score matching, 3×128 SiLU energy, D = 10, batch 256, 20 000 rows), scoring rows per
 * second (200 000 rows through the transformer), and Spark's per-step overhead against the core
 * alone on the same data and thread count. Prints a Markdown table.
 */
public final class SparkScaling {
    private SparkScaling() {
    }

    /** Runs the scaling measurement (see the class comment). */
    public static void main(String[] args) {
        GaussianMixture target = GaussianMixture.mixture10();
        double[] x = target.sample(20000, new SplittableRandom(1));
        int d = 10;
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < 20000; i++) {
            rows.add(java.util.Arrays.copyOfRange(x, i * d, (i + 1) * d));
        }
        Architecture arch = Architecture.mlp(Architecture.Kind.ENERGY, d, new int[] {128, 128, 128}, Activation.SILU, null);
        double[] theta = Initialization.GLOROT.draw(arch.network(), new SplittableRandom(2));
        int steps = 60;
        StringBuilder md = new StringBuilder("| cores | partitions | Spark steps/s | core alone steps/s | Spark overhead per "
                + "step (ms) | scoring rows/s |\n|---|---|---|---|---|---|\n");
        for (int cores : new int[] {1, 2}) {
            double coreMs = coreStepMs(arch, x, 20000, theta, steps, cores);
            for (int partitions : new int[] {1, 2, 4, 8}) {
                SparkSession spark = SparkSession.builder().master("local[" + cores + "]").appName("scaling")
                        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
                try {
                    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
                    JavaRDD<double[]> rdd = jsc.parallelize(rows, partitions).cache();
                    rdd.count();
                    // One task per partition, each with one engine thread: cores are used by running tasks side by side.
                    DistributedTrainer.Options warm = DistributedTrainer.Options.synchronous(20, 256, 1e-3, 1).withBarrier(false);
                    DistributedTrainer.train(rdd, arch, ScoreMatching.exact(), theta, warm);
                    long t0 = System.nanoTime();
                    DistributedTrainer.train(rdd, arch, ScoreMatching.exact(), theta,
                            DistributedTrainer.Options.synchronous(steps, 256, 1e-3, 1).withBarrier(false));
                    double sparkMs = (System.nanoTime() - t0) / 1e6 / steps;
                    double rowsPerSecond = scoring(spark, arch, theta, partitions);
                    md.append(String.format(Locale.ROOT, "| %d | %d | %.1f | %.1f | %.1f | %.0f |%n", cores, partitions,
                            1000 / sparkMs, 1000 / coreMs, sparkMs - coreMs, rowsPerSecond));
                    System.err.printf(Locale.ROOT, "local[%d] %d partitions: %.2f ms/step (core %.2f)%n", cores, partitions,
                            sparkMs, coreMs);
                } finally {
                    spark.stop();
                }
            }
        }
        System.out.print(md);
    }

    private static double coreStepMs(Architecture arch, double[] x, int n, double[] theta0, int steps, int threads) {
        double[] theta = theta0.clone();
        double[] grad = new double[theta.length];
        double[] buffer = new double[256 * arch.dimension()];
        Adam adam = Adam.of(1e-3);
        try (Engine engine = Engine.create(threads)) {
            for (int w = 0; w < 3; w++) {
                MiniBatch.lossAndGradient(engine, arch, ScoreMatching.exact(), theta, x, n, 256, new SplittableRandom(w),
                        buffer, grad);
            }
            long t0 = System.nanoTime();
            for (int s = 1; s <= steps; s++) {
                MiniBatch.lossAndGradient(engine, arch, ScoreMatching.exact(), theta, x, n, 256, new SplittableRandom(s),
                        buffer, grad);
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
        var trained = org.scorematch.model.TrainedModel.of(org.scorematch.model.EnergyModel.of(arch, theta),
                org.scorematch.data.Standardization.identity(arch.dimension()), List.of("x1", "x2", "x3", "x4", "x5", "x6",
                        "x7", "x8", "x9", "x10"), java.util.Map.of());
        ScoreMatchingModel m = ScoreMatchingModel.of(trained);
        m.transform(df).count();
        long t0 = System.nanoTime();
        long n = m.transform(df).count();
        return n / ((System.nanoTime() - t0) / 1e9);
    }
}
