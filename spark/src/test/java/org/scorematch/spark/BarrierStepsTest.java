package org.scorematch.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scorematch.engine.Activation;
import org.scorematch.engine.Initialization;
import org.scorematch.model.Architecture;
import org.scorematch.objective.ScoreMatching;
import org.scorematch.optim.OptimizerKind;
import org.scorematch.optim.Schedule;

/**
 * Synchronous steps in barrier jobs against one Spark job per step, in local[3]. Both compute
 * every partition's part the same way and add the parts in partition order, so the weights
 * agree bit for bit, whatever the order the tasks finish in.
 */
class BarrierStepsTest {
    private static SparkSession spark;
    private static JavaSparkContext jsc;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[3]").appName("scorematch-barrier").config("spark.ui.enabled",
                "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
        jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static List<double[]> rows(int n) {
        SplittableRandom rng = new SplittableRandom(2);
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(new double[] {rng.nextGaussian(), 2 + rng.nextGaussian(), rng.nextGaussian() * 0.5});
        }
        return rows;
    }

    private static final Architecture ARCH = Architecture.mlp(Architecture.Kind.ENERGY, 3, new int[] {16, 16},
            Activation.SILU, null);

    /** Adam with a cosine schedule, clipping, weight decay and a weight average: all the state a job carries over. */
    private static DistributedTrainer.Options options(boolean barrier) {
        DistributedTrainer.Update update = new DistributedTrainer.Update(OptimizerKind.ADAM, 5e-3, 0.9,
                Schedule.cosine(), 1e-3, 5.0, 0.9);
        return new DistributedTrainer.Options(23, 96, 4, 1, false, 1, barrier, 5, update,
                org.scorematch.engine.Precision.FLOAT64);
    }

    private static double[] train(int partitions, boolean barrier) {
        JavaRDD<double[]> rdd = jsc.parallelize(rows(500), partitions);
        double[] theta = Initialization.GLOROT.draw(ARCH.network(), new SplittableRandom(3));
        return DistributedTrainer.train(rdd, ARCH, ScoreMatching.sliced(2, org.scorematch.objective.Projection.RADEMACHER),
                theta, options(barrier));
    }

    @Test
    void barrierJobsGiveTheJobPerStepWeightsBitForBitOnTwoPartitions() {
        double[] perStep = train(2, false);
        double[] barrier = train(2, true);
        assertThat(barrier).containsExactly(perStep);
        double[] start = Initialization.GLOROT.draw(ARCH.network(), new SplittableRandom(3));
        assertThat(barrier).isNotEqualTo(start);
    }

    @Test
    void barrierJobsGiveTheJobPerStepWeightsBitForBitOnThreePartitions() {
        assertThat(train(3, true)).containsExactly(train(3, false));
    }

    /** More partitions than slots: the steps fall back to one job each (with a warning) and still train. */
    @Test
    void tooFewSlotsFallBackToJobPerStep() {
        assertThat(train(4, true)).containsExactly(train(4, false));
    }

    /**
     * A union in the data's lineage, which Spark refuses in a barrier stage: the data are
     * reshuffled once into as many partitions and the barrier jobs run on them.
     */
    @Test
    void aLineageSparkRefusesIsReshuffledAndTrains() {
        List<double[]> all = rows(500);
        JavaRDD<double[]> union = jsc.parallelize(all.subList(0, 250), 2).union(jsc.parallelize(all.subList(250, 500), 1));
        double[] start = Initialization.GLOROT.draw(ARCH.network(), new SplittableRandom(3));
        double[] trained = DistributedTrainer.train(union, ARCH, ScoreMatching.sliced(2,
                org.scorematch.objective.Projection.RADEMACHER), start, options(true));
        assertThat(trained).hasSameSizeAs(start).isNotEqualTo(start);
        assertThat(java.util.Arrays.stream(trained).allMatch(Double::isFinite)).isTrue();
    }

    /**
     * A task of the second barrier job killed mid-job: the job is rerun from the state before it
     * (by Spark's stage retry or by the trainer's resubmission), so the weights are those of the
     * undisturbed run, bit for bit (the same computation repeated).
     */
    @Test
    void aKilledBarrierTaskLeavesTheWeightsUnchanged() {
        double[] clean = train(2, true);
        java.util.concurrent.atomic.AtomicBoolean killed = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger barrierStages = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger target = new java.util.concurrent.atomic.AtomicInteger(-1);
        org.apache.spark.scheduler.SparkListener killer = new org.apache.spark.scheduler.SparkListener() {
            @Override
            public void onStageSubmitted(org.apache.spark.scheduler.SparkListenerStageSubmitted submitted) {
                // Barrier jobs are collected in BarrierSteps (the stage's call site); the second one is disturbed.
                if (submitted.stageInfo().name().contains("BarrierSteps") && barrierStages.incrementAndGet() == 2) {
                    target.set(submitted.stageInfo().stageId());
                }
            }

            @Override
            public void onTaskStart(org.apache.spark.scheduler.SparkListenerTaskStart start) {
                if (start.stageId() == target.get() && killed.compareAndSet(false, true)) {
                    spark.sparkContext().killTaskAttempt(start.taskInfo().taskId(), true, "killed by the test");
                }
            }
        };
        spark.sparkContext().addSparkListener(killer);
        try {
            assertThat(train(2, true)).containsExactly(clean);
        } finally {
            spark.sparkContext().removeSparkListener(killer);
        }
        assertThat(killed).isTrue();
    }
}
