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

    private static double[] synchronous(JavaRDD<Block> blocks, long total, Architecture arch, Objective objective,
                                        double[] theta, Options o) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(blocks.context());
        int partitions = blocks.getNumPartitions();
        Adam adam = Adam.of(o.learningRate());
        for (int step = 1; step <= o.steps(); step++) {
            Broadcast<double[]> b = sc.broadcast(theta);
            final int s = step;
            double[] sum = blocks.mapPartitionsWithIndex((p, it) -> {
                double[] out = new double[b.value().length + 1];
                while (it.hasNext()) {
                    Block blk = it.next();
                    if (blk.n() == 0) {
                        continue;
                    }
                    int share = partitions == 1 ? o.batch() : (int) Math.max(1, Math.round((double) o.batch() * blk.n() / total));
                    long seed = partitions == 1 ? MiniBatch.stepSeed(o.seed(), s)
                            : Trainer.mix(MiniBatch.stepSeed(o.seed(), s), p);
                    double[] grad = new double[b.value().length];
                    MiniBatch.lossAndGradient(Engines.get(o.threadsPerTask()), arch, objective, b.value(),
                            blk.rows(), blk.n(), share, new SplittableRandom(seed), new double[share * arch.dimension()],
                            grad);
                    for (int i = 0; i < grad.length; i++) {
                        out[i] += share * grad[i];
                    }
                    out[grad.length] += share;
                }
                return List.of(out).iterator();
            }, false).treeAggregate(new double[theta.length + 1], DistributedTrainer::add, DistributedTrainer::add,
                    depth(partitions));
            b.destroy();
            double count = sum[theta.length];
            double[] grad = new double[theta.length];
            for (int i = 0; i < grad.length; i++) {
                grad[i] = sum[i] / count;
            }
            checkFinite(grad, step);
            adam.step(theta, grad);
        }
        return theta;
    }

    private static double[] average(JavaRDD<Block> blocks, long total, Architecture arch, Objective objective,
                                    double[] theta, Options o) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(blocks.context());
        int rounds = (o.steps() + o.localSteps() - 1) / o.localSteps();
        for (int round = 1; round <= rounds; round++) {
            Broadcast<double[]> b = sc.broadcast(theta);
            final int r = round;
            double[] sum = blocks.mapPartitionsWithIndex((p, it) -> {
                double[] out = new double[b.value().length + 1];
                while (it.hasNext()) {
                    Block blk = it.next();
                    if (blk.n() == 0) {
                        continue;
                    }
                    double[] local = b.value().clone();
                    Adam adam = Adam.of(o.learningRate());
                    double[] grad = new double[local.length];
                    int share = (int) Math.max(1, Math.round((double) o.batch() * blk.n() / total));
                    double[] buffer = new double[share * arch.dimension()];
                    for (int t = 1; t <= o.localSteps(); t++) {
                        long seed = Trainer.mix(Trainer.mix(o.seed(), (long) r * o.localSteps() + t), p);
                        MiniBatch.lossAndGradient(Engines.get(o.threadsPerTask()), arch, objective, local, blk.rows(),
                                blk.n(), share, new SplittableRandom(seed), buffer, grad);
                        adam.step(local, grad);
                    }
                    for (int i = 0; i < local.length; i++) {
                        out[i] += blk.n() * local[i];
                    }
                    out[local.length] += blk.n();
                }
                return List.of(out).iterator();
            }, false).treeAggregate(new double[theta.length + 1], DistributedTrainer::add, DistributedTrainer::add,
                    depth(blocks.getNumPartitions()));
            b.destroy();
            for (int i = 0; i < theta.length; i++) {
                theta[i] = sum[i] / sum[theta.length];
            }
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
            Broadcast<double[]> b = JavaSparkContext.fromSparkContext(blocks.context()).broadcast(theta);
            double[] sum = blocks.mapPartitionsWithIndex((p, it) -> {
                double[] out = new double[b.value().length + 2];
                while (it.hasNext()) {
                    Block blk = it.next();
                    if (blk.n() == 0) {
                        continue;
                    }
                    double[] grad = new double[b.value().length];
                    double loss = objective.lossAndGradient(Engines.get(threadsPerTask), arch, b.value(), blk.rows(),
                            blk.n(), new SplittableRandom(Trainer.mix(seed, p)), grad);
                    for (int i = 0; i < grad.length; i++) {
                        out[i] += blk.n() * grad[i];
                    }
                    out[grad.length] += blk.n() * loss;
                    out[grad.length + 1] += blk.n();
                }
                return List.of(out).iterator();
            }, false).treeAggregate(new double[theta.length + 2], DistributedTrainer::add, DistributedTrainer::add);
            b.destroy();
            double n = sum[theta.length + 1];
            for (int i = 0; i < theta.length; i++) {
                gradOut[i] = sum[i] / n;
            }
            return sum[theta.length] / n;
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
