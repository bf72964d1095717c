package org.scorematch.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.scorematch.engine.Initialization;
import org.scorematch.engine.Activation;
import org.scorematch.model.Architecture;
import org.scorematch.objective.ScoreMatching;

/**
 * In local[2,2] Spark retries a failed task once; a task failing on its first attempt changes
 * nothing. The retry repeats the very same computation (same partition, same shapes, one engine
 * thread), so the result is compared bit for bit.
 */
class FaultToleranceTest {
    @Test
    void aTaskThatFailsOnceIsRetriedAndTheResultIsUnchanged() {
        SparkSession spark = SparkSession.builder().master("local[2,2]").appName("scorematch-faults")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
        try {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            SplittableRandom rng = new SplittableRandom(2);
            List<double[]> rows = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                rows.add(new double[] {rng.nextGaussian(), 2 + rng.nextGaussian()});
            }
            Architecture arch = Architecture.mlp(Architecture.Kind.ENERGY, 2, new int[] {8}, Activation.SILU, null);
            double[] theta = Initialization.GLOROT.draw(arch.network(), new SplittableRandom(3));
            DistributedTrainer.Options o = DistributedTrainer.Options.synchronous(15, 64, 1e-2, 5);
            double[] clean = DistributedTrainer.train(jsc.parallelize(rows, 2), arch, ScoreMatching.exact(), theta, o);
            JavaRDD<double[]> failing = jsc.parallelize(rows, 2).map(x -> {
                if (TaskContext.get().attemptNumber() == 0 && TaskContext.get().partitionId() == 1) {
                    throw new IllegalStateException("injected failure on the first attempt");
                }
                return x;
            });
            double[] retried = DistributedTrainer.train(failing, arch, ScoreMatching.exact(), theta, o);
            assertThat(retried).containsExactly(clean);
        } finally {
            spark.stop();
        }
    }
}
