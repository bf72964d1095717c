package org.scorematch.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.scorematch.ScorematchException;
import org.scorematch.data.Dataset;
import org.scorematch.data.Standardization;
import org.scorematch.engine.Engine;
import org.scorematch.engine.Initialization;
import org.scorematch.model.Architecture;
import org.scorematch.model.Model;
import org.scorematch.model.TrainedModel;
import org.scorematch.objective.Objective;
import org.scorematch.optim.Optimizer;
import org.scorematch.optim.OptimizerKind;
import org.scorematch.optim.Schedule;

/**
 * Trains a model on a data set: standardisation fitted on the training rows, seeded
 * mini-batches, Adam or SGD with momentum, a learning-rate schedule, decoupled weight decay,
 * gradient-norm clipping, an optional exponential moving average of the weights, a validation
 * split with held-out loss and early stopping, checkpoints and exact resume.
 *
 * <p>Randomness: every step draws its batch and its objective's noise or directions from a
 * generator seeded by {@code (seed, step)}, the split and the initial weights from generators
 * seeded by {@code seed}; so the same seed gives the same model (for the same BLAS and thread
 * count), and N steps plus a resumed N equal 2N straight, bitwise.
 *
 * <pre>{@code
 * Dataset data = BuiltinDataset.FAITHFUL.load(0, null);
 * Architecture arch = Architecture.mlp(Architecture.Kind.ENERGY, 2, new int[] {64, 64},
 *         Activation.SILU, null);
 * TrainedModel model = Trainer.builder()
 *         .architecture(arch)
 *         .objective(ScoreMatching.exact())
 *         .adam(1e-3)
 *         .steps(2000).batch(128).seed(7)
 *         .validationFraction(0.2)
 *         .build()
 *         .fit(data);
 * ModelFile.save(model, Path.of("faithful.safetensors"));
 * double[] energies = model.energy(data.values());
 * }</pre>
 */
public final class Trainer {
    /** One moment of training, for progress displays and logs. */
    public record Progress(int step, int totalSteps, double loss, double heldOutLoss, double heldOutLogLikelihood,
                           double learningRate, double seconds) {
    }

    /**
     * Receives progress; evaluations carry a held-out loss (and a held-out log-likelihood when the
     * trainer tracks one), plain steps NaN.
     */
    public interface Listener {
        void onStep(Progress progress);

        default void onEvaluation(Progress progress) {
        }
    }

    /** The columns of the training log ({@link Builder#log}). */
    public static final String LOG_HEADER = "step,loss,held_out_loss,held_out_log_likelihood,learning_rate,seconds";

    private final Builder b;

    private Trainer(Builder b) {
        this.b = b;
    }

    /** Settings with the documented defaults; architecture and objective must be given. */
    public static Builder builder() {
        return new Builder();
    }

    /** Trains from fresh weights. */
    public TrainedModel fit(Dataset data) {
        return run(data, null);
    }

    /** Continues from a checkpoint written by an earlier run with the same settings, up to the configured steps. */
    public TrainedModel resume(Path checkpoint, Dataset data) {
        return run(data, checkpoint);
    }

    private TrainedModel run(Dataset data, Path checkpoint) {
        Architecture arch = b.architecture;
        if (data.dimension() != arch.dimension()) {
            throw new ScorematchException(data.source() + ": the data have " + data.dimension()
                    + " columns, the model expects " + arch.dimension());
        }
        CheckpointFile.Read resumed = checkpoint == null ? null : CheckpointFile.read(checkpoint);
        TrainingRows rows = TrainingRows.of(data, b.validationFraction, b.seed, b.standardize,
                resumed == null ? null : resumed.model().standardization());
        Standardization standardization = rows.standardization();
        // The objective sees standardised rows; one that compares with data-unit values translates them.
        Objective objective = b.objective.forStandardizedRows(standardization.mean(), standardization.scale());
        HeldOutEvaluation heldOutEvaluation = new HeldOutEvaluation(arch, objective, rows, b.heldOutMetric, b.seed);
        int d = data.dimension();
        double[] theta = b.initialization.draw(arch.network(), new SplittableRandom(Seeds.initialWeights(b.seed)));
        Optimizer optimizer = b.newOptimizer();
        double[] ema = b.emaDecay > 0 ? theta.clone() : null;
        BestEvaluation best = new BestEvaluation(b.patience);
        int start = 0;
        double elapsedBefore = 0;
        if (resumed != null) {
            Checkpoint state = resumed.checkpoint();
            if (!fingerprint().equals(state.settings())) {
                throw new ScorematchException(checkpoint + ": the checkpoint was written with other settings ("
                        + state.settings() + "); resume with the same options");
            }
            theta = state.theta();
            optimizer.restore(state.optimizerState());
            ema = state.ema();
            best.restore(state.best());
            start = state.step();
            elapsedBefore = state.seconds();
        }

        ParameterUpdate update = ParameterUpdate.of(optimizer, b.schedule, b.steps, b.clipNorm, b.weightDecay,
                b.emaDecay);
        double[] grad = new double[theta.length];
        double[] batch = new double[b.batch * d];
        int[] index = new int[b.batch];
        EpochBatches epochs = new EpochBatches(b.seed, rows.training());
        double lastLoss = Double.NaN;
        double lastHeldOut = Double.NaN;
        double lastLikelihood = Double.NaN;
        int lastCheckpoint = start;
        long t0 = System.nanoTime();
        int step = start;
        try (Engine engine = Engine.create(b.threads, b.precision); BufferedWriter log = openLog(start)) {
            for (step = start + 1; step <= b.steps; step++) {
                SplittableRandom rng = new SplittableRandom(MiniBatch.stepSeed(b.seed, step));
                double loss;
                if (b.batchOrder == BatchOrder.EPOCHS) {
                    epochs.indices(step, b.batch, index);
                    loss = MiniBatch.lossAndGradient(engine, arch, objective, theta, rows.train(), index, b.batch, rng,
                            batch, grad);
                } else {
                    loss = MiniBatch.lossAndGradient(engine, arch, objective, theta, rows.train(), rows.training(),
                            b.batch, rng, batch, grad);
                }
                double norm = ParameterUpdate.norm(engine, grad);
                if (!Double.isFinite(loss) || !Double.isFinite(norm)) {
                    throw diverged(step, loss, lastCheckpoint);
                }
                double lr = update.apply(engine, theta, grad, norm, step, ema);
                lastLoss = loss;
                double seconds = elapsedBefore + (System.nanoTime() - t0) / 1e9;
                Progress progress = new Progress(step, b.steps, loss, Double.NaN, Double.NaN, lr, seconds);
                if (b.listener != null) {
                    b.listener.onStep(progress);
                }
                double heldOut = Double.NaN;
                double heldOutLikelihood = Double.NaN;
                boolean stop = false;
                if (heldOutEvaluation.applies() && (step % b.evaluateEvery == 0 || step == b.steps)) {
                    HeldOutEvaluation.Result r = heldOutEvaluation.of(engine, ema != null ? ema : theta);
                    if (!Double.isFinite(r.loss())) {
                        throw diverged(step, r.loss(), lastCheckpoint);
                    }
                    heldOut = r.loss();
                    lastHeldOut = heldOut;
                    if (heldOutEvaluation.tracksLikelihood()) {
                        heldOutLikelihood = r.logLikelihood();
                        lastLikelihood = heldOutLikelihood;
                    }
                    stop = best.offer(r.criterion(), heldOut, heldOutLikelihood, ema != null ? ema : theta);
                    if (b.listener != null) {
                        b.listener.onEvaluation(new Progress(step, b.steps, loss, heldOut, heldOutLikelihood, lr, seconds));
                    }
                }
                if (log != null) {
                    log.write(TrainingLog.row(step, loss, heldOut, heldOutLikelihood, lr, seconds));
                }
                if (b.checkpointEvery > 0 && step % b.checkpointEvery == 0) {
                    writeCheckpoint(data, standardization, theta, optimizer, ema, best, step, seconds);
                    lastCheckpoint = step;
                }
                if (stop) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new ScorematchException(b.logPath + ": cannot write the training log: " + e.getMessage(), e);
        }
        int stepsRun = Math.min(step, b.steps);
        boolean useBest = returnsBest(heldOutEvaluation.tracksLikelihood()) && best.weights() != null;
        double[] finalParams = useBest ? best.weights() : (ema != null ? ema : theta);
        Map<String, String> info = info(data, rows.training(), rows.validationCount(), stepsRun, lastLoss,
                useBest ? best.heldOutLoss() : lastHeldOut, useBest ? best.logLikelihood() : lastLikelihood,
                elapsedBefore + (System.nanoTime() - t0) / 1e9);
        return TrainedModel.of(model(finalParams), standardization, data.columns(), info);
    }

    private Model model(double[] params) {
        return Model.of(b.architecture, params);
    }

    /**
     * Whether the best held-out weights are the answer: with early stopping, and whenever the
     * likelihood is tracked (the point of tracking it is to keep the weights before the density
     * overfits); otherwise the last weights (or their average).
     */
    private boolean returnsBest(boolean tracksLikelihood) {
        return b.patience > 0 || tracksLikelihood;
    }

    private Map<String, String> info(Dataset data, int training, int validation, int steps, double loss,
                                     double heldOut, double heldOutLikelihood, double seconds) {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("objective", b.objective.id());
        info.put("data", data.source());
        info.put("rows_training", Integer.toString(training));
        info.put("rows_validation", Integer.toString(validation));
        info.put("steps", Integer.toString(steps));
        info.put("batch", Integer.toString(b.batch));
        info.put("optimizer", b.optimizerKind.id() + " lr=" + b.learningRate + (b.optimizerKind == OptimizerKind.SGD
                ? " momentum=" + b.momentum : ""));
        info.put("schedule", b.schedule.kind().id());
        info.put("seed", Long.toString(b.seed));
        info.put("precision", b.precision.id());
        info.put("initialization", b.initialization.id());
        info.put("batch_order", b.batchOrder.id());
        info.put("standardized", Boolean.toString(b.standardize));
        info.put("final_loss", Double.toString(loss));
        if (!Double.isNaN(heldOut)) {
            info.put("held_out_loss", Double.toString(heldOut));
        }
        if (!Double.isNaN(heldOutLikelihood)) {
            info.put("held_out_log_likelihood", Double.toString(heldOutLikelihood));
        }
        info.put("seconds", String.format(Locale.ROOT, "%.1f", seconds));
        return info;
    }

    private void writeCheckpoint(Dataset data, Standardization standardization, double[] theta, Optimizer optimizer,
                                 double[] ema, BestEvaluation best, int step, double seconds) {
        double[] shown = returnsBest(!Double.isNaN(best.logLikelihood())) && best.weights() != null ? best.weights()
                : (ema != null ? ema : theta);
        TrainedModel current = TrainedModel.of(model(shown), standardization, data.columns(),
                Map.of("objective", b.objective.id(), "steps", Integer.toString(step)));
        CheckpointFile.write(b.checkpointPath, current, new Checkpoint(step, seconds, fingerprint(), theta, ema,
                optimizer.state(), best.state()));
    }

    private TrainingDivergedException diverged(int step, double loss, int lastCheckpoint) {
        String kept = b.checkpointPath == null ? "" : (lastCheckpoint > 0
                ? "; the last good checkpoint (" + b.checkpointPath + ", step " + lastCheckpoint + ") is kept"
                : "; no checkpoint had been written yet");
        return new TrainingDivergedException(step, "training diverged at step " + step + " (loss " + loss
                + " or its gradient is not finite): lower the learning rate (setting 'lr'), clip gradients (setting 'clip-norm'), or use a "
                + "sliced or denoising objective" + kept);
    }

    /** The settings a resume must match (those that change the trajectory). */
    private String fingerprint() {
        return String.format(Locale.ROOT, "objective=%s seed=%d batch=%d optimizer=%s lr=%s momentum=%s "
                        + "schedule=%s/%d/%s wd=%s clip=%s ema=%s val=%s every=%d standardize=%s threads=%d init=%s "
                        + "batches=%s heldout=%s precision=%s",
                b.objective.settings(), b.seed, b.batch, b.optimizerKind.id(), b.learningRate, b.momentum, b.schedule.kind().id(),
                b.schedule.every(), b.schedule.gamma(), b.weightDecay, b.clipNorm, b.emaDecay, b.validationFraction,
                b.evaluateEvery, b.standardize, b.threads, b.initialization.id(), b.batchOrder.id(), b.heldOutMetric.id(),
                b.precision.id());
    }

    private BufferedWriter openLog(int start) throws IOException {
        if (b.logPath == null) {
            return null;
        }
        if (start > 0 && Files.exists(b.logPath)) {
            return Files.newBufferedWriter(b.logPath, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        }
        BufferedWriter w = Files.newBufferedWriter(b.logPath, StandardCharsets.UTF_8);
        w.write(LOG_HEADER + "\n");
        return w;
    }

    /** Settings for a {@link Trainer}; every option has a default but the architecture and objective. */
    public static final class Builder {
        private Architecture architecture;
        private Objective objective;
        private OptimizerKind optimizerKind = OptimizerKind.ADAM;
        private double learningRate = 1e-3;
        private double momentum = 0.9;
        private Schedule schedule = Schedule.constant();
        private double weightDecay;
        private double clipNorm;
        // Returning an average of the last ~1000 iterates instead of the last one removes most of the
        // optimiser's noise from the answer: on the quality suite it halves the Fisher divergence.
        private double emaDecay = 0.999;
        private double validationFraction;
        private int evaluateEvery = 100;
        private int patience;
        private int steps = 1000;
        private int batch = 256;
        private long seed = 1;
        private int threads = Runtime.getRuntime().availableProcessors();
        private boolean standardize = true;
        private org.scorematch.engine.Precision precision = TrainingDefaults.PRECISION;
        private Initialization initialization = Initialization.PYTORCH;
        private BatchOrder batchOrder = BatchOrder.EPOCHS;
        private HeldOutMetric heldOutMetric = HeldOutMetric.AUTO;
        private Path checkpointPath;
        private int checkpointEvery;
        private Path logPath;
        private Listener listener;

        private Builder() {
        }

        /** The network to train (required). */
        public Builder architecture(Architecture a) {
            this.architecture = a;
            return this;
        }

        /** The objective to minimise (required). */
        public Builder objective(Objective o) {
            this.objective = o;
            return this;
        }

        /** Adam at base rate {@code lr} with PyTorch's β and ε. */
        public Builder adam(double lr) {
            return optimizer(OptimizerKind.ADAM, lr, momentum);
        }

        /** SGD with momentum at base rate {@code lr}. */
        public Builder sgd(double lr, double momentum) {
            return optimizer(OptimizerKind.SGD, lr, momentum);
        }

        /** The optimiser {@code kind} at base rate {@code lr}; {@code momentum} is SGD's (Adam ignores it). */
        public Builder optimizer(OptimizerKind kind, double lr, double momentum) {
            this.optimizerKind = kind;
            this.learningRate = lr;
            this.momentum = momentum;
            return this;
        }

        /** The learning-rate schedule over the run. */
        public Builder schedule(Schedule s) {
            this.schedule = s;
            return this;
        }

        /** Decoupled weight decay: θ ← θ(1 − η·λ) before each update. */
        public Builder weightDecay(double lambda) {
            this.weightDecay = lambda;
            return this;
        }

        /** Rescale gradients whose Euclidean norm exceeds {@code maxNorm} (0: off). */
        public Builder clipNorm(double maxNorm) {
            this.clipNorm = maxNorm;
            return this;
        }

        /**
         * Keep an exponential moving average of the weights with this decay (ramped up as
         * min(β, (1+t)/(10+t))), and return it; default 0.999, 0 returns the last weights.
         */
        public Builder ema(double decay) {
            this.emaDecay = decay;
            return this;
        }

        /** Hold out this fraction of the rows for the held-out loss (0: no validation). */
        public Builder validationFraction(double f) {
            this.validationFraction = f;
            return this;
        }

        /** Held-out evaluation every {@code steps} steps (and at the last). */
        public Builder evaluateEvery(int steps) {
            this.evaluateEvery = steps;
            return this;
        }

        /** Stop after this many evaluations without a better held-out loss, and return the best (0: never). */
        public Builder patience(int evaluations) {
            this.patience = evaluations;
            return this;
        }

        /** Total optimiser steps. */
        public Builder steps(int s) {
            this.steps = s;
            return this;
        }

        /** Rows per step. */
        public Builder batch(int size) {
            this.batch = size;
            return this;
        }

        /** The seed of every generator stream of the run (train.Seeds). */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** Engine threads. */
        public Builder threads(int t) {
            this.threads = t;
            return this;
        }

        /**
         * The precision of the engine's jets (default {@link TrainingDefaults#PRECISION}); parameters,
         * losses, gradients and the optimiser's state are double in either.
         */
        public Builder precision(org.scorematch.engine.Precision p) {
            this.precision = java.util.Objects.requireNonNull(p, "precision");
            return this;
        }

        /** Standardise columns to mean 0 and standard deviation 1 (default true). */
        public Builder standardize(boolean on) {
            this.standardize = on;
            return this;
        }

        /** How the initial weights are drawn (default {@link Initialization#PYTORCH}). */
        public Builder initialization(Initialization init) {
            this.initialization = init;
            return this;
        }

        /** How each step's rows are drawn (default {@link BatchOrder#EPOCHS}). */
        public Builder batchOrder(BatchOrder order) {
            this.batchOrder = order;
            return this;
        }

        /** What the held-out evaluation ranks checkpoints by (default {@link HeldOutMetric#AUTO}). */
        public Builder heldOutMetric(HeldOutMetric metric) {
            this.heldOutMetric = metric;
            return this;
        }

        /** Write a checkpoint (a model file with training state) to {@code path} every {@code every} steps. */
        public Builder checkpoint(Path path, int every) {
            this.checkpointPath = path;
            this.checkpointEvery = every;
            return this;
        }

        /** Write the loss curve as CSV (columns {@link #LOG_HEADER}). */
        public Builder log(Path path) {
            this.logPath = path;
            return this;
        }

        /** Receives progress after every step and evaluation. */
        public Builder listener(Listener l) {
            this.listener = l;
            return this;
        }

        Optimizer newOptimizer() {
            return optimizerKind.create(learningRate, momentum);
        }

        /** Checks the settings and makes the trainer. */
        public Trainer build() {
            if (architecture == null || objective == null) {
                throw new ScorematchException("a trainer needs an architecture and an objective");
            }
            if (steps < 1 || batch < 1 || threads < 1 || evaluateEvery < 1 || patience < 0 || checkpointEvery < 0) {
                throw new ScorematchException("steps, batch, threads and evaluation interval must be positive");
            }
            if (!(validationFraction >= 0 && validationFraction < 1)) {
                throw new ScorematchException("the validation fraction must be in [0, 1), got " + validationFraction);
            }
            if (!(emaDecay >= 0 && emaDecay < 1) || !(weightDecay >= 0) || !(clipNorm >= 0)) {
                throw new ScorematchException("need 0 ≤ ema < 1, weight decay ≥ 0 and clip norm ≥ 0");
            }
            if (checkpointEvery > 0 && checkpointPath == null) {
                throw new ScorematchException("checkpoints need a path");
            }
            try {
                newOptimizer();
            } catch (IllegalArgumentException e) {
                throw new ScorematchException(e.getMessage());
            }
            return new Trainer(this);
        }
    }
}
