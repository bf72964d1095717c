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
 * <p>A job runs steps {@code from+1 … to}: every task starts from the broadcast {@link State}
 * (θ, the optimiser's moments and step count, the weight average), and each step computes its
 * partition's weighted part exactly as the job-per-step mode does, and every task receives the
 * parts' sum in partition order ({@link StepExchange}) and applies the same update, so θ stays
 * bit-identical in every task. Partition 0 returns the state at the end of the job. Spark reruns a failed barrier stage
 * as a whole; when it gives up, the job is resubmitted here from the state before it (at most
 * {@value #ATTEMPTS} times), since the state is all a job depends on.
 */
final class BarrierSteps {
    private static final Logger LOG = LoggerFactory.getLogger(BarrierSteps.class);
    /** Submissions of one job before its failure is the run's. */
    static final int ATTEMPTS = 3;

    /** What a barrier job starts from and returns: the weights, the optimiser's state, the average, the step. */
    record State(double[] theta, HashMap<String, double[]> optimizer, double[] ema, int step, double loss)
            implements Serializable {
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

    /** Runs all of {@code work}'s steps from {@code theta} in jobs of {@code stepsPerJob}; returns the result. */
    static double[] train(JavaRDD<DistributedTrainer.Block> blocks, DistributedTrainer.StepWork work, double[] theta,
                          DistributedTrainer.Progress progress) {
        DistributedTrainer.Options o = work.o();
        Optimizer optimizer = o.update().newOptimizer();
        State state = new State(theta, new HashMap<>(optimizer.state()), o.update().ema() > 0 ? theta.clone() : null, 0,
                Double.NaN);
        JavaRDD<DistributedTrainer.Block> input = blocks;
        while (state.step() < o.steps()) {
            int to = Math.min(o.steps(), state.step() + o.stepsPerJob());
            for (int attempt = 1; ; attempt++) {
                try {
                    state = job(input, work, state, to);
                    break;
                } catch (Exception e) {
                    // Spark's checked exceptions reach Java undeclared, hence the catch of Exception.
                    if (e instanceof BarrierJobUnsupportedRDDChainException && input == blocks) {
                        // A coalesce (or another partition-count change) in the data's lineage: a shuffle
                        // gives the barrier stage a lineage of its own, with the same partition count.
                        LOG.info("scorematch: the data's lineage cannot run in a barrier stage; reshuffling it once");
                        input = DistributedTrainer.pack(blocks.flatMap(BarrierSteps::rows)
                                .repartition(blocks.getNumPartitions()), work.arch().dimension());
                        continue;
                    }
                    if (attempt >= ATTEMPTS || causedByScorematch(e)) {
                        throw e instanceof RuntimeException r ? r : new ScorematchException("barrier job failed: "
                                + e.getMessage(), e);
                    }
                    LOG.warn("scorematch: barrier job for steps {}–{} failed ({}); resubmitting it from step {}",
                            state.step() + 1, to, e.getMessage(), state.step());
                }
            }
            progress.step(state.step(), state.loss());
        }
        if (input != blocks) {
            input.unpersist(false);
        }
        return state.ema() != null ? state.ema() : state.theta();
    }

    private static Iterator<double[]> rows(DistributedTrainer.Block b) {
        int d = b.n() == 0 ? 0 : b.rows().length / b.n();
        return java.util.stream.IntStream.range(0, b.n())
                .mapToObj(i -> Arrays.copyOfRange(b.rows(), i * d, (i + 1) * d)).iterator();
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

    private static State job(JavaRDD<DistributedTrainer.Block> blocks, DistributedTrainer.StepWork work, State from,
                             int to) {
        Broadcast<State> start = JavaSparkContext.fromSparkContext(blocks.context()).broadcast(from);
        try {
            List<State> out = blocks.rdd().barrier().mapPartitionsWithIndex(new Steps(start, work, to), false,
                    ClassTag$.MODULE$.apply(State.class)).toJavaRDD().collect();
            return out.get(0);
        } finally {
            start.destroy();
        }
    }

    /** The task side of a barrier job (a Scala function: Spark's barrier RDD has no Java API). */
    private static final class Steps extends AbstractFunction2<Object, scala.collection.Iterator<DistributedTrainer.Block>,
            scala.collection.Iterator<State>> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Broadcast<State> start;
        private final DistributedTrainer.StepWork work;
        private final int to;

        Steps(Broadcast<State> start, DistributedTrainer.StepWork work, int to) {
            this.start = start;
            this.work = work;
            this.to = to;
        }

        @Override
        public scala.collection.Iterator<State> apply(Object partition, scala.collection.Iterator<DistributedTrainer.Block> in) {
            return CollectionConverters.asScala(run((Integer) partition, CollectionConverters.asJava(in)));
        }

        private Iterator<State> run(int partition, Iterator<DistributedTrainer.Block> it) {
            BarrierTaskContext context = BarrierTaskContext.get();
            State s = start.value();
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
            return partition == 0 ? List.of(new State(theta, new HashMap<>(optimizer.state()), ema, to, loss)).iterator()
                    : java.util.Collections.emptyIterator();
        }
    }
}
