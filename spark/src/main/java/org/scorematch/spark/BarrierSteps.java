package org.scorematch.spark;

import java.io.Serializable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.scheduler.BarrierJobUnsupportedRDDChainException;
import org.scorematch.ScorematchException;
import org.scorematch.optim.Optimizer;
import org.scorematch.train.ParameterUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;

/**
 * Synchronous steps in Spark barrier jobs (Spark's barrier execution mode), so that a step costs
 * one exchange between the tasks instead of a Spark job.
 *
 * <p>A job runs steps {@code from+1 … to}: every task starts from the broadcast state
 * (θ, the optimiser's moments and step count, the weight average), and each step computes its
 * partition's weighted part exactly as the job-per-step mode does, and every task receives the
 * parts' sum in partition order ({@link StepExchange}) and applies the same update, so θ stays
 * bit-identical in every task. Partition 0 returns the state at the end of the job. Spark reruns a failed barrier stage
 * as a whole; when it gives up, the job is submitted again from the state before it (up to
 * {@value #ATTEMPTS} submissions in all), since the state is all a job depends on; after that the
 * remaining steps run as one job each.
 */
final class BarrierSteps {
    private static final Logger LOG = LoggerFactory.getLogger(BarrierSteps.class);
    /** Submissions of one job before its failure is the run's. */
    static final int ATTEMPTS = 3;

    /** Where the barrier jobs stopped: the state reached, and whether Spark refused the data's lineage. */
    record Outcome(DistributedTrainer.State state, boolean lineageRefused) {
    }

    private BarrierSteps() {
    }

    /**
     * The task slots free for a barrier stage (Spark's own count for the check it makes), after
     * waiting up to ten seconds for executors to register; 0 where barrier jobs cannot run
     * (dynamic allocation).
     */
    static int freeSlots(SparkContext sc) {
        if (sc.conf().getBoolean("spark.dynamicAllocation.enabled", false)) {
            return 0;
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        int slots = slots(sc);
        while (slots == 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            slots = slots(sc);
        }
        return slots;
    }

    private static int slots(SparkContext sc) {
        return sc.maxNumConcurrentTasks(sc.resourceProfileManager().defaultResourceProfile());
    }

    /**
     * Runs {@code work}'s steps from {@code state} in jobs of {@code stepsPerJob}. Stops early,
     * returning the state reached, when Spark refuses the data's lineage for a barrier stage (a
     * coalesce or union in it; before any step) or when a job has failed {@value #ATTEMPTS} times
     * for a reason other than the training's own (which is thrown, as is a cancellation).
     */
    static Outcome train(JavaRDD<DistributedTrainer.Block> blocks, DistributedTrainer.StepWork work,
                         DistributedTrainer.State state, DistributedTrainer.Progress progress) {
        int steps = work.o().steps();
        while (state.step() < steps) {
            int to = Math.min(steps, state.step() + work.o().stepsPerJob());
            for (int attempt = 1; ; attempt++) {
                try {
                    state = job(blocks, work, state, to);
                    break;
                } catch (Exception e) {
                    // Spark's checked exceptions reach Java undeclared, hence the catch of Exception.
                    if (e instanceof BarrierJobUnsupportedRDDChainException) {
                        return new Outcome(state, true);
                    }
                    if (causedByScorematch(e) || String.valueOf(e.getMessage()).contains("cancelled")) {
                        throw e instanceof RuntimeException r ? r : new ScorematchException(e.getMessage(), e);
                    }
                    if (attempt >= ATTEMPTS) {
                        LOG.warn("scorematch: the barrier job for steps {}–{} failed {} times ({}); the remaining steps "
                                + "run as one Spark job each", state.step() + 1, to, ATTEMPTS, e.getMessage());
                        return new Outcome(state, false);
                    }
                    LOG.warn("scorematch: barrier job for steps {}–{} failed ({}); resubmitting it from step {}",
                            state.step() + 1, to, e.getMessage(), state.step());
                }
            }
            progress.step(state.step(), state.loss());
        }
        return new Outcome(state, false);
    }

    /** Whether the failure is the training's own (divergence, bad input), which a rerun repeats. */
    private static boolean causedByScorematch(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ScorematchException || String.valueOf(t.getMessage())
                    .contains(ScorematchException.class.getName())) {
                return true;
            }
        }
        return false;
    }

    private static DistributedTrainer.State job(JavaRDD<DistributedTrainer.Block> blocks,
                                                DistributedTrainer.StepWork work, DistributedTrainer.State from, int to) {
        Broadcast<DistributedTrainer.State> start = JavaSparkContext.fromSparkContext(blocks.context()).broadcast(from);
        try {
            List<DistributedTrainer.State> out = blocks.rdd().barrier().mapPartitionsWithIndex(new Steps(start, work, to),
                    false, ClassTag$.MODULE$.apply(DistributedTrainer.State.class)).toJavaRDD().collect();
            return out.get(0);
        } finally {
            start.destroy();
        }
    }

    /** The task side of a barrier job (a Scala function: Spark's barrier RDD has no Java API). */
    private static final class Steps extends AbstractFunction2<Object, scala.collection.Iterator<DistributedTrainer.Block>,
            scala.collection.Iterator<DistributedTrainer.State>> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Broadcast<DistributedTrainer.State> start;
        private final DistributedTrainer.StepWork work;
        private final int to;

        Steps(Broadcast<DistributedTrainer.State> start, DistributedTrainer.StepWork work, int to) {
            this.start = start;
            this.work = work;
            this.to = to;
        }

        @Override
        public scala.collection.Iterator<DistributedTrainer.State> apply(Object partition,
                                                                       scala.collection.Iterator<DistributedTrainer.Block> in) {
            return CollectionConverters.asScala(run((Integer) partition, CollectionConverters.asJava(in)));
        }

        private Iterator<DistributedTrainer.State> run(int partition, Iterator<DistributedTrainer.Block> it) {
            BarrierTaskContext context = BarrierTaskContext.get();
            DistributedTrainer.State s = start.value();
            double[] theta = s.theta().clone();
            double[] ema = s.ema() == null ? null : s.ema().clone();
            DistributedTrainer.Options o = work.o();
            Optimizer optimizer = o.update().newOptimizer();
            optimizer.restore(s.optimizer());
            ParameterUpdate update = o.update().over(optimizer, o.steps(), true);
            int size = theta.length;
            double[] v = new double[size + 1];
            double[] part = new double[size + 2];
            double loss = Double.NaN;
            DistributedTrainer.Block block = it.hasNext() ? it.next() : null;
            int timeout = (int) SparkEnv.get().conf().getTimeAsSeconds("spark.network.timeout", "120s");
            try (StepExchange exchange = StepExchange.connect(context, timeout)) {
                for (int step = s.step() + 1; step <= to; step++) {
                    Arrays.fill(part, 0);
                    if (block != null && block.n() > 0) {
                        double w = work.apply(step, partition, block, theta, v);
                        for (int i = 0; i <= size; i++) {
                            part[i] = w * v[i];
                        }
                        part[size + 1] = w;
                    }
                    double[] mean = DistributedTrainer.divideByWeight(exchange.sum(part));
                    DistributedTrainer.applyStep(update, theta, ema, mean, step);
                    loss = mean[size];
                }
            } catch (IOException e) {
                throw new UncheckedIOException("barrier job: the exchange between tasks failed: " + e.getMessage(), e);
            }
            return partition == 0 ? List.of(new DistributedTrainer.State(theta, new HashMap<>(optimizer.state()), ema, to,
                    loss)).iterator()
                    : java.util.Collections.emptyIterator();
        }
    }
}
