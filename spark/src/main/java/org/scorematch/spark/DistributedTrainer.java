package org.scorematch.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.scorematch.ScorematchException;
import org.scorematch.model.Architecture;
import org.scorematch.objective.Objective;
import org.scorematch.optim.Adam;
import org.scorematch.train.Seeds;
import org.scorematch.train.MiniBatch;
import org.scorematch.train.Trainer;

/**
 * Data-parallel training on Spark with the core engine in every task.
 *
 * <p>Synchronous mode, one step: the driver broadcasts θ; each partition draws its share of the
 * batch (proportional to its rows) from its own rows and computes the loss and gradient with
 * {@link MiniBatch}, weighted by its share; the parts are summed by {@code treeAggregate} and
 * Adam steps on the driver. A step's generator is seeded by (seed, step) — with one partition
 * exactly as the core {@link Trainer} does, so one partition reproduces single-machine training —
 * and by (seed, step, partition) otherwise.
 *
 * <p>Averaging mode, for fewer synchronisations: each round, every partition runs
 * {@code localSteps} Adam steps from the broadcast θ on its own rows and the driver averages the
 * results weighted by rows (local model averaging).
 */
public final class DistributedTrainer {
    /** Settings: steps (rounds × local steps in averaging mode), batch, Adam's rate, seed, engine threads per task. */
    public record Options(int steps, int batch, double learningRate, long seed, int threadsPerTask, boolean averaging,
                          int localSteps) implements Serializable {
        public Options {
            if (steps < 1 || batch < 1 || !(learningRate > 0) || threadsPerTask < 1 || (averaging && localSteps < 1)) {
                throw new ScorematchException("distributed training needs steps, batch, threads and local steps ≥ 1 and lr > 0");
            }
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

    /** Trains from {@code theta} (not modified) and returns the final parameters. */
    public static double[] train(JavaRDD<double[]> rows, Architecture arch, Objective objective, double[] theta,
                                 Options o) {
        JavaRDD<Block> blocks = pack(rows, arch.dimension());
        try {
            long total = blocks.map(Block::n).reduce(Integer::sum);
            if (total == 0) {
                throw new ScorematchException("no rows to train on");
            }
            return o.averaging() ? average(blocks, total, arch, objective, theta.clone(), o)
                    : synchronous(blocks, total, arch, objective, theta.clone(), o);
        } finally {
            blocks.unpersist();
        }
    }

    /** Work on one partition's block: fills {@code out} and returns its weight. */
    @FunctionalInterface
    interface BlockWork extends Serializable {
        double apply(int partition, Block block, double[] theta, double[] out);
    }

    /**
     * The weighted mean {@code Σ wₚvₚ / Σ wₚ} over the non-empty blocks of {@code work}'s vectors
     * (length {@code length}), θ broadcast to the tasks and the sums tree-aggregated to the driver.
     */
    private static double[] weightedMean(JavaRDD<Block> blocks, double[] theta, int length, BlockWork work) {
        Broadcast<double[]> b = JavaSparkContext.fromSparkContext(blocks.context()).broadcast(theta);
        double[] sum = blocks.mapPartitionsWithIndex((p, it) -> {
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
        }, false).treeAggregate(new double[length + 1], DistributedTrainer::add, DistributedTrainer::add,
                depth(blocks.getNumPartitions()));
        b.destroy();
        double[] mean = new double[length];
        for (int i = 0; i < length; i++) {
            mean[i] = sum[i] / sum[length];
        }
        return mean;
    }

    private static double[] synchronous(JavaRDD<Block> blocks, long total, Architecture arch, Objective objective,
                                        double[] theta, Options o) {
        int partitions = blocks.getNumPartitions();
        // Each partition's share of the batch, fixed on the driver; weights share/Σshares are exactly 1
        // for a single partition, so one partition reproduces single-machine training bit for bit.
        int[] shares = new int[partitions];
        for (long[] pn : blocks.mapPartitionsWithIndex((p, it) -> {
            long n = 0;
            while (it.hasNext()) {
                n += it.next().n();
            }
            return List.of(new long[] {p, n}).iterator();
        }, false).collect()) {
            shares[(int) pn[0]] = pn[1] == 0 ? 0 : partitions == 1 ? o.batch()
                    : (int) Math.max(1, Math.round((double) o.batch() * pn[1] / total));
        }
        double sharesTotal = java.util.Arrays.stream(shares).sum();
        Adam adam = Adam.of(o.learningRate());
        int size = theta.length;
        Progress progress = new Progress(o.steps());
        for (int step = 1; step <= o.steps(); step++) {
            final int s = step;
            // The gradient and, in the last slot, the batch loss (for the progress log).
            double[] mean = weightedMean(blocks, theta, size + 1, (p, blk, th, out) -> {
                long seed = partitions == 1 ? MiniBatch.stepSeed(o.seed(), s) : Seeds.mix(MiniBatch.stepSeed(o.seed(), s), p);
                double[] g = new double[size];
                out[size] = MiniBatch.lossAndGradient(Engines.get(o.threadsPerTask()), arch, objective, th, blk.rows(),
                        blk.n(), shares[p], new SplittableRandom(seed), new double[shares[p] * arch.dimension()], g);
                System.arraycopy(g, 0, out, 0, size);
                return shares[p] / sharesTotal;
            });
            double[] grad = java.util.Arrays.copyOf(mean, size);
            checkFinite(grad, step);
            adam.step(theta, grad);
            progress.step(step, mean[size]);
        }
        return theta;
    }

    /**
     * The driver's progress log: step, batch loss and steps per second every ten seconds and at the
     * end, so a long run (or one waiting for executors) says what it is doing.
     */
    private static final class Progress {
        private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DistributedTrainer.class);
        private final int steps;
        private final long start = System.nanoTime();
        private long last = start;

        Progress(int steps) {
            this.steps = steps;
        }

        void step(int step, double loss) {
            long now = System.nanoTime();
            if (now - last >= 10_000_000_000L || step == steps) {
                LOG.info(String.format(java.util.Locale.ROOT, "scorematch: step %d/%d, batch loss %.5g, %.1f steps/s",
                        step, steps, loss, step / ((now - start) / 1e9)));
                last = now;
            }
        }
    }

    private static double[] average(JavaRDD<Block> blocks, long total, Architecture arch, Objective objective,
                                    double[] theta, Options o) {
        int rounds = (o.steps() + o.localSteps() - 1) / o.localSteps();
        for (int round = 1; round <= rounds; round++) {
            final int r = round;
            theta = weightedMean(blocks, theta, theta.length, (p, blk, th, out) -> {
                System.arraycopy(th, 0, out, 0, th.length);
                Adam adam = Adam.of(o.learningRate());
                double[] grad = new double[th.length];
                int share = (int) Math.max(1, Math.round((double) o.batch() * blk.n() / total));
                double[] buffer = new double[share * arch.dimension()];
                for (int t = 1; t <= o.localSteps(); t++) {
                    long seed = Seeds.mix(Seeds.mix(o.seed(), (long) r * o.localSteps() + t), p);
                    MiniBatch.lossAndGradient(Engines.get(o.threadsPerTask()), arch, objective, out, blk.rows(), blk.n(),
                            share, new SplittableRandom(seed), buffer, grad);
                    adam.step(out, grad);
                }
                return blk.n();
            });
            checkFinite(theta, round * o.localSteps());
        }
        return theta;
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
                out[p] = objective.lossAndGradient(Engines.get(threadsPerTask), arch, th, blk.rows(), blk.n(),
                        new SplittableRandom(Seeds.mix(seed, part)), grad);
                System.arraycopy(grad, 0, out, 0, p);
                return blk.n();
            });
            System.arraycopy(mean, 0, gradOut, 0, p);
            return mean[p];
        } finally {
            blocks.unpersist();
        }
    }

    /**
     * Tree depth: one level (combine on the driver) up to 32 partitions — a second level adds a
     * shuffle stage to every step, which measured slower at 8 partitions — two beyond.
     */
    static int depth(int partitions) {
        return partitions <= 32 ? 1 : 2;
    }

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
