package org.scorematch.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.scorematch.ScorematchException;
import org.scorematch.model.Architecture;
import org.scorematch.objective.Objective;
import org.scorematch.optim.Optimizer;
import org.scorematch.optim.OptimizerKind;
import org.scorematch.optim.Schedule;
import org.scorematch.train.Seeds;
import org.scorematch.train.MiniBatch;
import org.scorematch.train.ParameterUpdate;
import org.scorematch.train.Trainer;
import org.scorematch.train.TrainingDefaults;
import org.scorematch.engine.Precision;

/**
 * Data-parallel training on Spark with the core engine in every task.
 *
 * <p>Synchronous mode, one step: each partition draws its share of the batch (proportional to its
 * rows) from its own rows and computes the loss and gradient with {@link MiniBatch}, weighted by
 * its share; the weighted parts are summed and the core's {@link ParameterUpdate} (optimiser,
 * schedule, clipping, weight decay, weight average) steps. A step's generator is seeded by
 * (seed, step) — with one partition exactly as the core {@link Trainer} does, so one partition
 * reproduces single-machine training — and by (seed, step, partition) otherwise. The steps run
 * in barrier jobs of {@code stepsPerJob} steps ({@link BarrierSteps}: every task keeps θ, the
 * optimiser's state and the average, and receives the parts' sum each step through
 * {@link StepExchange}), or, where the cluster has fewer free task slots than
 * partitions or {@code barrier} is off, as one Spark job per step (θ broadcast, the parts
 * summed on the driver, the update there). Both add the parts in partition order, so they give
 * the same θ bit for bit (up to {@value #ORDERED_PARTITIONS} partitions, beyond which the
 * job-per-step sums are tree-aggregated as they arrive).
 *
 * <p>Averaging mode, for fewer synchronisations: each round, every partition runs
 * {@code localSteps} steps of the optimiser from the broadcast θ on its own rows (the schedule at
 * the global step, clipping and weight decay applied) and the driver averages the results
 * weighted by rows (local model averaging); the weight average, if any, is kept over the rounds.
 */
public final class DistributedTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(DistributedTrainer.class);

    /**
     * How the weights change each step: the optimiser and its base rate (and SGD's momentum), the
     * schedule, decoupled weight decay, the clipping norm (0: off) and the weight average's decay
     * (0: off; the averaged weights are the result).
     */
    public record Update(OptimizerKind optimizer, double learningRate, double momentum, Schedule schedule,
                         double weightDecay, double clipNorm, double ema) implements Serializable {
        /** Refuses a rate that is not positive, negative decay or clipping, and an average decay outside [0, 1). */
        public Update {
            if (!(learningRate > 0) || weightDecay < 0 || clipNorm < 0 || !(ema >= 0 && ema < 1)) {
                throw new ScorematchException("the update needs lr > 0, weight decay and clip norm ≥ 0 and 0 ≤ ema < 1");
            }
        }

        /** Plain Adam at {@code learningRate}, constant, without clipping, decay or average. */
        public static Update adam(double learningRate) {
            return new Update(OptimizerKind.ADAM, learningRate, 0.9, Schedule.constant(), 0, 0, 0);
        }

        Optimizer newOptimizer() {
            return optimizer.create(learningRate, momentum);
        }

        ParameterUpdate over(Optimizer o, int totalSteps, boolean withAverage) {
            return ParameterUpdate.of(o, schedule, totalSteps, clipNorm, weightDecay, withAverage ? ema : 0);
        }
    }

    /**
     * Settings: steps (rounds × local steps in averaging mode), batch over all partitions, seed,
     * engine threads per task, averaging and its local steps, barrier jobs and their steps, the
     * update, and the precision of the tasks' engines.
     */
    public record Options(int steps, int batch, long seed, int threadsPerTask, boolean averaging, int localSteps,
                          boolean barrier, int stepsPerJob, Update update, Precision precision) implements Serializable {
        /** Refuses counts below one. */
        public Options {
            if (steps < 1 || batch < 1 || threadsPerTask < 1 || (averaging && localSteps < 1) || stepsPerJob < 1) {
                throw new ScorematchException("distributed training needs steps, batch, threads, local steps and steps "
                        + "per job ≥ 1");
            }
            java.util.Objects.requireNonNull(precision, "precision");
        }

        /** Synchronous steps of plain Adam, one engine thread per task, in barrier jobs of 500 steps. */
        public static Options synchronous(int steps, int batch, double learningRate, long seed) {
            return new Options(steps, batch, seed, 1, false, 1, true, 500, Update.adam(learningRate),
                    TrainingDefaults.PRECISION);
        }

        /** These options with barrier jobs on or off. */
        public Options withBarrier(boolean on) {
            return new Options(steps, batch, seed, threadsPerTask, averaging, localSteps, on, stepsPerJob, update, precision);
        }

        /** These options with {@code n} steps per barrier job. */
        public Options withStepsPerJob(int n) {
            return new Options(steps, batch, seed, threadsPerTask, averaging, localSteps, barrier, n, update, precision);
        }
    }

    /**
     * Where synchronous training stands after {@code step} steps: the weights, the optimiser's
     * state, the weight average (null without one) and the last batch loss; what a barrier job
     * starts from and returns.
     */
    record State(double[] theta, HashMap<String, double[]> optimizer, double[] ema, int step, double loss)
            implements Serializable {
        /** Before the first step, from {@code theta}. */
        static State initial(double[] theta, Options o) {
            return new State(theta, new HashMap<>(o.update().newOptimizer().state()),
                    o.update().ema() > 0 ? theta.clone() : null, 0, Double.NaN);
        }

        /** The trained weights: the average where one is kept. */
        double[] result() {
            return ema != null ? ema : theta;
        }
    }

    /** A partition's rows, flattened, for the steps to sample from. */
    record Block(double[] rows, int n) implements Serializable {
    }

    private DistributedTrainer() {
    }

    /** Packs each partition's rows (in model units, D values each) into one cached block. */
    public static JavaRDD<Block> pack(JavaRDD<double[]> rows, int d) {
        JavaRDD<Block> blocks = rows.mapPartitions((Iterator<double[]> it) -> {
            List<double[]> all = new ArrayList<>();
            it.forEachRemaining(all::add);
            double[] flat = new double[all.size() * d];
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).length != d) {
                    throw new ScorematchException("a row has " + all.get(i).length + " values, the model expects " + d);
                }
                System.arraycopy(all.get(i), 0, flat, i * d, d);
            }
            return List.of(new Block(flat, all.size())).iterator();
        });
        return blocks.cache();
    }

    /** Trains from {@code theta} (not modified) and returns the final parameters (the average, if kept). */
    public static double[] train(JavaRDD<double[]> rows, Architecture arch, Objective objective, double[] theta,
                                 Options o) {
        try (ExecutorWatch watch = ExecutorWatch.start(rows.context())) {
            JavaRDD<Block> blocks = pack(rows, arch.dimension());
            try {
                long total = blocks.map(Block::n).reduce(Integer::sum);
                if (total == 0) {
                    throw new ScorematchException("no rows to train on");
                }
                return o.averaging() ? average(blocks, total, arch, objective, theta.clone(), o)
                        : synchronous(blocks, total, arch, objective, theta.clone(), o);
            } finally {
                blocks.unpersist(false);
            }
        }
    }

    /** Work on one partition's block: fills {@code out} and returns its weight. */
    @FunctionalInterface
    interface BlockWork extends Serializable {
        double apply(int partition, Block block, double[] theta, double[] out);
    }

    /**
     * The weighted mean {@code Σ wₚvₚ / Σ wₚ} over the non-empty blocks of {@code work}'s vectors
     * (length {@code length}), θ broadcast to the tasks. Up to {@value #ORDERED_PARTITIONS}
     * partitions the parts are collected and added in partition order ({@code 0 + p₀ + p₁ + …},
     * as the barrier jobs add them), so the result does not depend on which task finishes first;
     * beyond, they are tree-aggregated, in the order they arrive.
     */
    private static double[] weightedMean(JavaRDD<Block> blocks, double[] theta, int length, BlockWork work) {
        Broadcast<double[]> b = JavaSparkContext.fromSparkContext(blocks.context()).broadcast(theta);
        try {
            return divideByWeight(sumParts(blocks, b, length, work));
        } finally {
            b.destroy();
        }
    }

    private static double[] sumParts(JavaRDD<Block> blocks, Broadcast<double[]> b, int length, BlockWork work) {
        JavaRDD<double[]> parts = blocks.mapPartitionsWithIndex((p, it) -> {
            double[] acc = new double[length + 1];
            double[] v = new double[length];
            while (it.hasNext()) {
                Block blk = it.next();
                if (blk.n() == 0) {
                    continue;
                }
                double w = work.apply(p, blk, b.value(), v);
                for (int i = 0; i < length; i++) {
                    acc[i] += w * v[i];
                }
                acc[length] += w;
            }
            return List.of(acc).iterator();
        }, false);
        double[] sum;
        if (blocks.getNumPartitions() <= ORDERED_PARTITIONS) {
            sum = new double[length + 1];
            for (double[] part : parts.collect()) {
                add(sum, part);
            }
        } else {
            sum = parts.treeAggregate(new double[length + 1], DistributedTrainer::add, DistributedTrainer::add, 2);
        }
        return sum;
    }

    /** {@code sum[0..L)/sum[L]}: the weighted parts' sum over their total weight (the last slot). */
    static double[] divideByWeight(double[] sum) {
        int length = sum.length - 1;
        double[] mean = new double[length];
        for (int i = 0; i < length; i++) {
            mean[i] = sum[i] / sum[length];
        }
        return mean;
    }

    /**
     * One synchronous step's work on a partition: its share of the batch drawn with the step's
     * generator, the loss and gradient written to {@code out} (the loss in the last slot).
     */
    record StepWork(Architecture arch, Objective objective, Options o, int[] shares, double sharesTotal)
            implements Serializable {
        int partitions() {
            return shares.length;
        }

        /** Fills {@code out} (length |θ| + 1) for step {@code step} on partition {@code p}; returns its weight. */
        double apply(int step, int p, Block blk, double[] theta, double[] out) {
            long seed = partitions() == 1 ? MiniBatch.stepSeed(o.seed(), step)
                    : Seeds.mix(MiniBatch.stepSeed(o.seed(), step), p);
            int size = theta.length;
            double[] g = new double[size];
            out[size] = MiniBatch.lossAndGradient(Engines.get(o.threadsPerTask(), o.precision()), arch, objective, theta, blk.rows(),
                    blk.n(), shares[p], new SplittableRandom(seed), new double[shares[p] * arch.dimension()], g);
            System.arraycopy(g, 0, out, 0, size);
            return shares[p] / sharesTotal;
        }

        /** The work of {@code o}'s steps on {@code blocks} ({@code total} rows). */
        static StepWork of(JavaRDD<Block> blocks, long total, Architecture arch, Objective objective, Options o) {
            int[] shares = shares(blocks, total, o.batch());
            return new StepWork(arch, objective, o, shares, Arrays.stream(shares).sum());
        }

        /** Each partition's share of the batch, proportional to its rows (the whole batch for one partition). */
        static int[] shares(JavaRDD<Block> blocks, long total, int batch) {
            int partitions = blocks.getNumPartitions();
            int[] shares = new int[partitions];
            for (long[] pn : blocks.mapPartitionsWithIndex((p, it) -> {
                long n = 0;
                while (it.hasNext()) {
                    n += it.next().n();
                }
                return List.of(new long[] {p, n}).iterator();
            }, false).collect()) {
                shares[(int) pn[0]] = pn[1] == 0 ? 0 : partitions == 1 ? batch
                        : (int) Math.max(1, Math.round((double) batch * pn[1] / total));
            }
            return shares;
        }
    }

    /**
     * The weights after a step's mean gradient (the loss in its last slot): clipped, decayed and
     * stepped by {@code update}, the average moved; the same on the driver and in every barrier task.
     */
    static void applyStep(ParameterUpdate update, double[] theta, double[] ema, double[] mean, int step) {
        double[] grad = Arrays.copyOf(mean, theta.length);
        double norm = ParameterUpdate.norm(grad);
        if (!Double.isFinite(norm) || !Double.isFinite(mean[theta.length])) {
            throw new ScorematchException("distributed training diverged at step " + step
                    + ": lower the learning rate or use a sliced or denoising objective");
        }
        update.apply(theta, grad, norm, step, ema);
    }

    private static double[] synchronous(JavaRDD<Block> blocks, long total, Architecture arch, Objective objective,
                                        double[] theta, Options o) {
        Progress progress = new Progress(o.steps());
        State state = State.initial(theta, o);
        JavaRDD<Block> data = blocks;
        try {
            if (o.barrier()) {
                int slots = BarrierSteps.freeSlots(blocks.context());
                if (slots >= blocks.getNumPartitions()) {
                    BarrierSteps.Outcome out = BarrierSteps.train(data, StepWork.of(data, total, arch, objective, o),
                            state, progress);
                    if (out.lineageRefused()) {
                        // A coalesce or union in the data's lineage: a shuffle gives the barrier stage a
                        // lineage of its own, with as many partitions (and shares drawn anew).
                        LOG.info("scorematch: the data's lineage cannot run in a barrier stage; reshuffling it once");
                        data = pack(blocks.flatMap(DistributedTrainer::rowsOf).repartition(blocks.getNumPartitions()),
                                arch.dimension());
                        out = BarrierSteps.train(data, StepWork.of(data, total, arch, objective, o), state, progress);
                    }
                    state = out.state();
                } else {
                    LOG.warn("scorematch: {} partitions but {} task slots: a barrier job needs a slot per partition, so "
                            + "each step runs as its own Spark job (slower); repartition to at most {} partitions or add "
                            + "executors", blocks.getNumPartitions(), slots, Math.max(1, slots));
                }
            }
            return state.step() == o.steps() ? state.result()
                    : stepByStep(data, StepWork.of(data, total, arch, objective, o), state, progress);
        } finally {
            if (data != blocks) {
                data.unpersist(false);
            }
        }
    }

    /** The remaining steps from {@code state}, one Spark job each, the update on the driver. */
    private static double[] stepByStep(JavaRDD<Block> blocks, StepWork work, State state, Progress progress) {
        Options o = work.o();
        Optimizer optimizer = o.update().newOptimizer();
        optimizer.restore(state.optimizer());
        ParameterUpdate update = o.update().over(optimizer, o.steps(), true);
        double[] theta = state.theta().clone();
        double[] ema = state.ema() == null ? null : state.ema().clone();
        int size = theta.length;
        for (int step = state.step() + 1; step <= o.steps(); step++) {
            final int s = step;
            double[] mean = weightedMean(blocks, theta, size + 1, (p, blk, th, out) -> work.apply(s, p, blk, th, out));
            applyStep(update, theta, ema, mean, step);
            progress.step(step, mean[size]);
        }
        return ema != null ? ema : theta;
    }

    private static Iterator<double[]> rowsOf(Block b) {
        int d = b.n() == 0 ? 0 : b.rows().length / b.n();
        return java.util.stream.IntStream.range(0, b.n())
                .mapToObj(i -> Arrays.copyOfRange(b.rows(), i * d, (i + 1) * d)).iterator();
    }

    /**
     * The driver's progress log: step, batch loss and steps per second every ten seconds and at the
     * end, so a long run (or one waiting for executors) says what it is doing.
     */
    static final class Progress {
        private final int steps;
        private final long start = System.nanoTime();
        private long last = start;

        Progress(int steps) {
            this.steps = steps;
        }

        int steps() {
            return steps;
        }

        void step(int step, double loss) {
            long now = System.nanoTime();
            if (now - last >= 10_000_000_000L || step == steps) {
                LOG.info(String.format(Locale.ROOT, "scorematch: step %d/%d, batch loss %.5g, %.1f steps/s",
                        step, steps, loss, step / ((now - start) / 1e9)));
                last = now;
            }
        }
    }

    private static double[] average(JavaRDD<Block> blocks, long total, Architecture arch, Objective objective,
                                    double[] theta, Options o) {
        int rounds = (o.steps() + o.localSteps() - 1) / o.localSteps();
        double[] ema = o.update().ema() > 0 ? theta.clone() : null;
        ParameterUpdate averageOnly = ParameterUpdate.of(o.update().newOptimizer(), Schedule.constant(), rounds, 0, 0,
                o.update().ema());
        for (int round = 1; round <= rounds; round++) {
            final int r = round;
            theta = weightedMean(blocks, theta, theta.length, (p, blk, th, out) -> {
                System.arraycopy(th, 0, out, 0, th.length);
                Optimizer local = o.update().newOptimizer();
                ParameterUpdate update = o.update().over(local, o.steps(), false);
                double[] grad = new double[th.length];
                int share = (int) Math.max(1, Math.round((double) o.batch() * blk.n() / total));
                double[] buffer = new double[share * arch.dimension()];
                // The last round runs only the steps left, so the run takes exactly o.steps() steps.
                int stepsThisRound = Math.min(o.localSteps(), o.steps() - (r - 1) * o.localSteps());
                for (int t = 1; t <= stepsThisRound; t++) {
                    int global = (r - 1) * o.localSteps() + t;
                    long seed = Seeds.mix(Seeds.mix(o.seed(), (long) r * o.localSteps() + t), p);
                    MiniBatch.lossAndGradient(Engines.get(o.threadsPerTask(), o.precision()), arch, objective, out, blk.rows(), blk.n(),
                            share, new SplittableRandom(seed), buffer, grad);
                    update.apply(out, grad, ParameterUpdate.norm(grad), global, null);
                }
                return blk.n();
            });
            checkFinite(theta, round * o.localSteps());
            if (ema != null) {
                averageOnly.average(theta, round, ema);
            }
        }
        return ema != null ? ema : theta;
    }

    /**
     * The gradient of the mean loss over all rows, each partition using all its rows as its batch
     * (directions or noise drawn from (seed, partition)): for deterministic objectives (exact score
     * matching), exactly the single-machine gradient on the same rows. Returns the mean loss.
     */
    public static double fullGradient(JavaRDD<double[]> rows, Architecture arch, Objective objective, double[] theta,
                                      long seed, int threadsPerTask, double[] gradOut) {
        JavaRDD<Block> blocks = pack(rows, arch.dimension());
        try {
            int p = theta.length;
            double[] mean = weightedMean(blocks, theta, p + 1, (part, blk, th, out) -> {
                double[] grad = new double[p];
                out[p] = objective.lossAndGradient(Engines.get(threadsPerTask, Precision.FLOAT64), arch, th, blk.rows(), blk.n(),
                        new SplittableRandom(Seeds.mix(seed, part)), grad);
                System.arraycopy(grad, 0, out, 0, p);
                return blk.n();
            });
            System.arraycopy(mean, 0, gradOut, 0, p);
            return mean[p];
        } finally {
            blocks.unpersist(false);
        }
    }

    /** Partitions up to which the parts are summed on the driver in partition order. */
    static final int ORDERED_PARTITIONS = 32;

    private static double[] add(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
        return a;
    }

    private static void checkFinite(double[] v, int step) {
        for (double x : v) {
            if (!Double.isFinite(x)) {
                throw new ScorematchException("distributed training diverged at step " + step
                        + ": lower the learning rate or use a sliced or denoising objective");
            }
        }
    }
}
