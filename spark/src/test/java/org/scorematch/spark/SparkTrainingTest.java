package org.scorematch.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
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
import org.scorematch.datasets.BuiltinDataset;
import org.scorematch.engine.Engine;
import org.scorematch.engine.Initialization;
import org.scorematch.linalg.Matrix;
import org.scorematch.engine.Activation;
import org.scorematch.model.Architecture;
import org.scorematch.model.TrainedModel;
import org.scorematch.objective.ScoreMatching;
import org.scorematch.train.Seeds;
import org.scorematch.train.BatchOrder;
import org.scorematch.train.Trainer;

/** Spark in local[2]: the distributed paths agree with the core. */
class SparkTrainingTest {
    /** One thread, no pool: nothing to close. */
    private static final Engine ENGINE_ONE = Engine.create(1);
    private static SparkSession spark;
    private static JavaSparkContext jsc;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("scorematch-test").config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.sql.shuffle.partitions", "2").getOrCreate();
        jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static Dataset<Row> frame(SparkSession s, Matrix x, int partitions) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < x.rows(); i++) {
            rows.add(RowFactory.create(i, Vectors.dense(x.row(i))));
        }
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("features", new VectorUDT());
        return s.createDataFrame(rows, schema).repartition(partitions).sortWithinPartitions("id");
    }

    /**
     * With one partition and the same seed, the Estimator trains the core Trainer's model (its
     * default weight average included). The two
     * reach the engine through different code (Spark weights and sums the one partition's gradient),
     * so they agree to rounding, not bit for bit; 25 Adam steps amplify a last-bit difference by at
     * most ~1e3 here, hence 1e-9 relative to the largest parameter.
     */
    @Test
    void onePartitionEqualsSingleMachineTraining() {
        var faithful = BuiltinDataset.FAITHFUL.load(0, null);
        Dataset<Row> df = frame(spark, faithful.values(), 1);
        ScoreMatchingModel distributed = new ScoreMatchingEstimator().setHidden(16, 16).setObjective("exact")
                .setSteps(25).setBatch(100).setLearningRate(3e-3).setSeed(7L)
                .setStandardize(false).fit(df);
        TrainedModel single = Trainer.builder()
                .architecture(Architecture.mlp(Architecture.Kind.ENERGY, 2, new int[] {16, 16}, Activation.SILU, null))
                .objective(ScoreMatching.exact()).adam(3e-3).steps(25).batch(100).seed(7).threads(1).standardize(false)
                .batchOrder(BatchOrder.WITH_REPLACEMENT).build().fit(faithful);
        assertClose(distributed.trainedModel().model().parameters(), single.model().parameters(), 1e-9);
    }

    /** With four partitions, the aggregated gradient equals the single-machine gradient on the same rows. */
    @Test
    void aggregatedGradientEqualsSingleMachineGradient() {
        SplittableRandom rng = new SplittableRandom(3);
        int n = 203;
        double[] x = new double[n * 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian();
        }
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(java.util.Arrays.copyOfRange(x, 3 * i, 3 * i + 3));
        }
        JavaRDD<double[]> rdd = jsc.parallelize(rows, 4);
        Architecture arch = Architecture.mlp(Architecture.Kind.ENERGY, 3, new int[] {8, 8}, Activation.TANH, null);
        double[] theta = Initialization.GLOROT.draw(arch.network(), new SplittableRandom(4));
        double[] distributed = new double[theta.length];
        double lossD = DistributedTrainer.fullGradient(rdd, arch, ScoreMatching.exact(), theta, 1, 1, distributed);
        double[] single = new double[theta.length];
        double lossS;
        try (Engine engine = Engine.create(1)) {
            lossS = ScoreMatching.exact().lossAndGradient(engine, arch, theta, x, n, new SplittableRandom(1), single);
        }
        assertThat(lossD).isCloseTo(lossS, org.assertj.core.data.Offset.offset(1e-12 * Math.max(1, Math.abs(lossS))));
        for (int i = 0; i < theta.length; i++) {
            assertThat(Math.abs(distributed[i] - single[i])).isLessThanOrEqualTo(1e-12 * Math.max(1, Math.abs(single[i])));
        }
    }

    /**
     * The transformer's columns are the core's energies, log-densities and scores, to 1e-12
     * relative: Spark scores partitions of other sizes than the core's one batch, so OpenBLAS may
     * block the sums differently (CPUs differ in the last digits). A saved model reloads bit for
     * bit, and scoring the same partitions again repeats the same computation, so that is exact.
     */
    @Test
    void transformerMatchesTheCoreAndPersists(@TempDir Path dir) throws java.io.IOException {
        var faithful = BuiltinDataset.FAITHFUL.load(0, null);
        Dataset<Row> df = frame(spark, faithful.values(), 3);
        ScoreMatchingModel model = new ScoreMatchingEstimator().setHidden(16).setSteps(30)
                .setBatch(64).setObjective("sliced").fit(df);
        List<Row> scored = model.transform(df).orderBy("id").collectAsList();
        TrainedModel core = model.trainedModel();
        double[] e = core.energy(faithful.values());
        Matrix s = core.score(faithful.values());
        assertThat(scored).hasSize(faithful.rows());
        for (Row r : scored) {
            int i = r.getInt(0);
            assertClose(new double[] {r.getDouble(r.fieldIndex("energy"))}, new double[] {e[i]}, 1e-12);
            assertThat(r.getDouble(r.fieldIndex("unnormalizedLogDensity"))).isEqualTo(-r.getDouble(r.fieldIndex("energy")));
            assertClose(((Vector) r.get(r.fieldIndex("score"))).toArray(), s.row(i), 1e-12);
        }
        String path = dir.resolve("model").toString();
        model.write().save(path);
        ScoreMatchingModel back = ScoreMatchingModel.load(path);
        List<Row> again = back.transform(df).orderBy("id").collectAsList();
        for (int i = 0; i < scored.size(); i++) {
            assertThat(again.get(i).getDouble(again.get(i).fieldIndex("energy")))
                    .isEqualTo(scored.get(i).getDouble(scored.get(i).fieldIndex("energy")));
        }
        assertThat(back.trainedModel().model().parameters()).containsExactly(core.model().parameters());
    }

    /** {@code |aᵢ − bᵢ| ≤ rel · max(1, max|b|)} for every i. */
    static void assertClose(double[] a, double[] b, double rel) {
        assertThat(a).hasSameSizeAs(b);
        double scale = 1;
        for (double v : b) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < a.length; i++) {
            assertThat(Math.abs(a[i] - b[i])).as("entry %d: %s vs %s", i, a[i], b[i]).isLessThanOrEqualTo(rel * scale);
        }
    }

    /** A vector assembled from named columns gives the model those names; a bare vector x1..xD. */
    @Test
    void theModelNamesTheAssembledColumns() {
        List<Row> rows = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(2);
        for (int i = 0; i < 200; i++) {
            rows.add(RowFactory.create(rng.nextGaussian(), 1 + rng.nextGaussian()));
        }
        StructType schema = new StructType().add("eruptions", DataTypes.DoubleType).add("waiting", DataTypes.DoubleType);
        Dataset<Row> df = new org.apache.spark.ml.feature.VectorAssembler()
                .setInputCols(new String[] {"eruptions", "waiting"}).setOutputCol("features")
                .transform(spark.createDataFrame(rows, schema));
        ScoreMatchingModel named = new ScoreMatchingEstimator().setHidden(8).setSteps(2)
                .setBatch(32).fit(df);
        assertThat(named.trainedModel().columns()).containsExactly("eruptions", "waiting");
        Matrix ring = BuiltinDataset.RING.load(50, new SplittableRandom(3)).values();
        ScoreMatchingModel bare = new ScoreMatchingEstimator().setHidden(8).setSteps(2)
                .setBatch(32).fit(frame(spark, ring, 1));
        assertThat(bare.trainedModel().columns()).containsExactly("x1", "x2");
    }

    @Test
    void modelAveragingTrainsAndEveryObjectiveRuns() {
        var ring = BuiltinDataset.RING.load(2000, new SplittableRandom(1));
        Dataset<Row> df = frame(spark, ring.values(), 4);
        for (String objective : List.of("exact", "sliced", "sliced-vr", "denoising", "diffusion")) {
            ScoreMatchingModel m = new ScoreMatchingEstimator().setHidden(16).setSteps(20)
                    .setBatch(64).setObjective(objective).fit(df);
            assertThat(m.trainedModel().info()).containsEntry("objective", objective);
        }
        // Diffusion is one more objective: a time-conditional model under the SDE it names.
        ScoreMatchingModel diffusion = new ScoreMatchingEstimator().setModel("score").setHidden(16)
                .setSteps(10).setBatch(64).setObjective("diffusion")
                .setSde("subvp").setParam("betaMax", 15.0).setWeighting("likelihood").fit(df);
        assertThat(diffusion.trainedModel().model().architecture().sde().spec()).isEqualTo("subvp 0.1 15.0");
        assertThat(diffusion.transform(df).columns()).contains("score");
        // VE takes σ_max from the data, as train does: the largest pairwise distance, here about the ring's diameter.
        double sigmaMax = new ScoreMatchingEstimator().setModel("score").setHidden(8).setSteps(1).setObjective("diffusion")
                .setSde("ve").fit(df).trainedModel().model().architecture().sde().parameters()[1];
        assertThat(sigmaMax).isBetween(2.0, 6.0);
        assertThatThrownBy(() -> new ScoreMatchingEstimator().setSde("vq")).hasMessageContaining("sde given invalid value vq");
        assertThatThrownBy(() -> new ScoreMatchingEstimator().setObjective("sliced").setSigma(0.2).setSteps(1).fit(df))
                .hasMessageContaining("param sigma applies to objective denoising");
        ScoreMatchingModel multiscale = new ScoreMatchingEstimator().setModel("score").setHidden(8).setSteps(2)
                .setObjective("multiscale").setParam("levels", 4).fit(df);
        assertThat(multiscale.trainedModel().model().architecture().ladder().size()).isEqualTo(4);
        ScoreMatchingModel averaged = new ScoreMatchingEstimator().setHidden(32, 32).setSteps(200)
                .setBatch(128).setAveraging(true).setLocalSteps(20)
                .setLearningRate(3e-3).fit(df);
        ScoreMatchingModel score = new ScoreMatchingEstimator().setModel("score").setHidden(16)
                .setSteps(10).setObjective("denoising").fit(df);
        assertThat(score.transform(df).columns()).contains("score").doesNotContain("energy");
        // training lowered the held-in exact loss from the initial model's
        double after = ScoreMatching.exact().lossAndGradient(ENGINE_ONE, averaged.trainedModel().model().architecture(),
                averaged.trainedModel().model().parameters(), averaged.trainedModel().standardization()
                        .apply(ring.values().toArray(), ring.rows()), ring.rows(), new SplittableRandom(1), null);
        var arch = averaged.trainedModel().model().architecture();
        double before = ScoreMatching.exact().lossAndGradient(ENGINE_ONE, arch,
                Initialization.PYTORCH.draw(arch.network(), new SplittableRandom(Seeds.initialWeights(1))), averaged.trainedModel()
                        .standardization().apply(ring.values().toArray(), ring.rows()), ring.rows(), new SplittableRandom(1),
                null);
        assertThat(after).isLessThan(before - 0.5);
    }
}
