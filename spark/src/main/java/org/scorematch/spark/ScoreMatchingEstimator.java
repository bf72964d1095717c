package org.scorematch.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.scorematch.Identified;
import org.scorematch.ScorematchException;
import org.scorematch.data.ColumnMoments;
import org.scorematch.data.Standardization;
import org.scorematch.engine.Activation;
import org.scorematch.engine.Initialization;
import org.scorematch.engine.Precision;
import org.scorematch.model.Architecture;
import org.scorematch.model.Model;
import org.scorematch.model.NoiseLadder;
import org.scorematch.model.Sde;
import org.scorematch.model.TrainedModel;
import org.scorematch.objective.DenoisingScoreMatching;
import org.scorematch.objective.Objective;
import org.scorematch.objective.ObjectiveName;
import org.scorematch.objective.Projection;
import org.scorematch.objective.Weighting;
import org.scorematch.optim.OptimizerKind;
import org.scorematch.optim.Schedule;
import org.scorematch.train.DefaultObjective;
import org.scorematch.train.Seeds;
import org.scorematch.train.TrainingDefaults;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spark ML {@code Estimator} training a score-matching model on a DataFrame's vector column with
 * {@link DistributedTrainer}: columns standardised with means and deviations from one pass
 * (merged in partition order) (unless {@code standardize} is false), an MLP energy or score
 * network of the core, any of its objectives, the core's optimisers, schedules, clipping, weight
 * decay and weight averaging, synchronous data-parallel steps (in barrier jobs of
 * {@code stepsPerJob} steps where the cluster has a slot per partition) or local model averaging.
 * Produces a {@link ScoreMatchingModel}.
 *
 * <p>The parameters are typed Spark ML {@code Param}s named after the command line's
 * {@code train} options ({@code --step-every} is {@code stepEvery}, {@code --lr} is
 * {@code learningRate}) with the same defaults; {@code explainParams()} lists them. Those left
 * unset take what {@code train} takes: the model kind, batch, learning rate and schedule from
 * {@link TrainingDefaults} for the objective; the noise levels and the SDE's parameters from the
 * data (in standardised units, from a seeded sample of at most {@value #SAMPLE_ROWS} rows); the
 * objective {@code auto} is {@link DefaultObjective}'s choice. Saved and loaded with Spark ML's
 * default persistence, so {@code Pipeline}s holding it round-trip.
 */
public final class ScoreMatchingEstimator extends Estimator<ScoreMatchingModel> implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ScoreMatchingEstimator.class);
    /** Rows brought to the driver for the defaults that depend on the data (the CLI's sample size). */
    static final int SAMPLE_ROWS = 5000;

    private final String uid;
    private final Param<String> featuresCol;
    private final Param<String> model;
    private final IntArrayParam hidden;
    private final Param<String> activation;
    private final Param<String> objective;
    private final IntParam projections;
    private final Param<String> projection;
    private final DoubleParam sigma;
    private final DoubleParam sigmaMax;
    private final DoubleParam sigmaMin;
    private final Param<String> sde;
    private final Param<String> weighting;
    private final DoubleParam betaMin;
    private final DoubleParam betaMax;
    private final IntParam levels;
    private final Param<String> init;
    private final IntParam steps;
    private final IntParam batch;
    private final Param<String> optimizer;
    private final DoubleParam learningRate;
    private final DoubleParam momentum;
    private final Param<String> schedule;
    private final IntParam stepEvery;
    private final DoubleParam stepGamma;
    private final DoubleParam weightDecay;
    private final DoubleParam clipNorm;
    private final DoubleParam ema;
    private final LongParam seed;
    private final BooleanParam standardize;
    private final BooleanParam averaging;
    private final IntParam localSteps;
    private final IntParam threadsPerTask;
    private final BooleanParam barrier;
    private final IntParam stepsPerJob;
    private final Param<String> precision;

    /** An estimator with the default parameters. */
    public ScoreMatchingEstimator() {
        this(Identifiable$.MODULE$.randomUID("scorematchEstimator"));
    }

    /** An estimator with the default parameters and identifier {@code uid} (Spark ML's reader calls it). */
    public ScoreMatchingEstimator(String uid) {
        this.uid = uid;
        featuresCol = new Param<>(uid, "featuresCol", "vector column of samples");
        model = word("model", "energy or score (default: score for diffusion, else energy)", Architecture.Kind.class);
        hidden = new IntArrayParam(this, "hidden", "hidden layer widths", nonEmpty());
        activation = word("activation", "silu, softplus, tanh or gelu", Activation.class);
        objective = word("objective", "auto, exact, sliced, sliced-vr, denoising, multiscale or diffusion (auto: "
                + "exact from 5000 rows, else denoising at the cross-validated KDE bandwidth)", ObjectiveName.class, "auto");
        projections = new IntParam(uid, "projections", "directions per sample for sliced objectives",
                ParamValidators.gtEq(1));
        projection = word("projection", "distribution of the sliced directions", Projection.class);
        sigma = positive("sigma", "noise level of single-level denoising (default: 0.1 × the RMS standard deviation)");
        sigmaMax = positive("sigmaMax", "largest multiscale noise level, or VE diffusion's σ_max (default: the largest "
                + "pairwise distance)");
        sigmaMin = positive("sigmaMin", "smallest multiscale noise level (default as sigma), or VE diffusion's σ_min "
                + "(default 0.01)");
        sde = new Param<>(uid, "sde", "diffusion: the SDE, ve, vp or subvp",
                ParamValidators.inArray(List.of("ve", "vp", "subvp")));
        weighting = word("weighting", "diffusion: sigma2 or likelihood (default sigma2)", Weighting.class);
        betaMin = positive("betaMin", "diffusion, vp and subvp: β at t = 0 (default 0.1)");
        betaMax = positive("betaMax", "diffusion, vp and subvp: β at t = 1 (default 20)");
        levels = new IntParam(uid, "levels", "number of multiscale noise levels (default from the dimension)",
                ParamValidators.gtEq(2));
        init = word("init", "initial weights", Initialization.class);
        steps = new IntParam(uid, "steps", "training steps", ParamValidators.gtEq(1));
        batch = new IntParam(uid, "batch", "samples per step over all partitions (default 256, 1024 for diffusion)",
                ParamValidators.gtEq(1));
        optimizer = word("optimizer", "adam or sgd", OptimizerKind.class);
        learningRate = positive("learningRate", "learning rate (default 1e-3, 2e-3 for diffusion)");
        momentum = new DoubleParam(uid, "momentum", "SGD momentum", ParamValidators.inRange(0, 1, true, false));
        schedule = word("schedule", "learning-rate schedule (default constant, cosine for diffusion)",
                Schedule.Kind.class);
        stepEvery = new IntParam(uid, "stepEvery", "steps between rate drops (step schedule)", ParamValidators.gtEq(1));
        stepGamma = positive("stepGamma", "rate factor per drop (step schedule)");
        weightDecay = new DoubleParam(uid, "weightDecay", "decoupled weight decay", ParamValidators.gtEq(0));
        clipNorm = new DoubleParam(uid, "clipNorm", "gradient norm clip (0: off)", ParamValidators.gtEq(0));
        ema = new DoubleParam(uid, "ema", "decay of the weights' moving average, the model trained (0: off)",
                ParamValidators.inRange(0, 1, true, false));
        seed = new LongParam(uid, "seed", "random seed");
        standardize = new BooleanParam(uid, "standardize", "standardise the columns first");
        averaging = new BooleanParam(uid, "averaging", "local model averaging instead of synchronous steps");
        localSteps = new IntParam(uid, "localSteps", "local steps between averages", ParamValidators.gtEq(1));
        threadsPerTask = new IntParam(uid, "threadsPerTask", "core engine threads per task", ParamValidators.gtEq(1));
        barrier = new BooleanParam(uid, "barrier", "synchronous steps in barrier jobs of stepsPerJob steps (one job per "
                + "step where the cluster has fewer free slots than partitions)");
        stepsPerJob = new IntParam(uid, "stepsPerJob", "synchronous steps per barrier job (a failed job is rerun from "
                + "the state before it)", ParamValidators.gtEq(1));
        setDefault(featuresCol, "features");
        setDefault(hidden, new int[] {128, 128, 128});
        setDefault(activation, "silu");
        setDefault(objective, "auto");
        setDefault(projections, 1);
        setDefault(projection, "rademacher");
        setDefault(sde, "vp");
        setDefault(init, "pytorch");
        setDefault(steps, 2000);
        setDefault(optimizer, "adam");
        setDefault(momentum, 0.9);
        setDefault(stepEvery, 1000);
        setDefault(stepGamma, 0.5);
        setDefault(weightDecay, 0.0);
        setDefault(clipNorm, 0.0);
        setDefault(ema, 0.999);
        setDefault(seed, 1L);
        setDefault(standardize, true);
        setDefault(averaging, false);
        setDefault(localSteps, 10);
        setDefault(threadsPerTask, 1);
        setDefault(barrier, true);
        setDefault(stepsPerJob, 500);
        precision = word("precision", "arithmetic of the network's jets (parameters, losses and gradients stay double)",
                Precision.class);
        setDefault(precision, TrainingDefaults.PRECISION.id());
    }

    private <E extends Enum<E> & Identified> Param<String> word(String name, String doc, Class<E> type,
                                                                String... extra) {
        List<String> ids = new ArrayList<>(List.of(extra));
        for (E e : type.getEnumConstants()) {
            ids.add(e.id());
        }
        return new Param<>(uid, name, doc + "; one of " + String.join(", ", ids), ParamValidators.inArray(ids));
    }

    /** Spark's validator of a non-empty array, typed for IntArrayParam (Scala erases its element type). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static scala.Function1<int[], Object> nonEmpty() {
        return (scala.Function1) ParamValidators.arrayLengthGt(0);
    }

    private DoubleParam positive(String name, String doc) {
        return new DoubleParam(uid, name, doc, ParamValidators.gt(0));
    }

    /** Sets a parameter by name (as {@code explainParams()} lists them). */
    public ScoreMatchingEstimator setParam(String name, Object value) {
        set(getParam(name), value);
        return this;
    }

    /** The vector column of samples. */
    public Param<String> featuresCol() {
        return featuresCol;
    }

    /** Energy or score network. */
    public Param<String> model() {
        return model;
    }

    /** Hidden layer widths. */
    public IntArrayParam hidden() {
        return hidden;
    }

    /** The network's activation. */
    public Param<String> activation() {
        return activation;
    }

    /** The objective's id, or auto. */
    public Param<String> objective() {
        return objective;
    }

    /** Directions per sample of the sliced objectives. */
    public IntParam projections() {
        return projections;
    }

    /** Distribution of the sliced directions. */
    public Param<String> projection() {
        return projection;
    }

    /** Single-level denoising's noise level (standardised units). */
    public DoubleParam sigma() {
        return sigma;
    }

    /** Largest multiscale level, or VE diffusion's σ_max. */
    public DoubleParam sigmaMax() {
        return sigmaMax;
    }

    /** Smallest multiscale level, or VE diffusion's σ_min. */
    public DoubleParam sigmaMin() {
        return sigmaMin;
    }

    /** Diffusion's SDE: ve, vp or subvp. */
    public Param<String> sde() {
        return sde;
    }

    /** Diffusion's weighting: sigma2 or likelihood. */
    public Param<String> weighting() {
        return weighting;
    }

    /** VP and sub-VP diffusion's β at t = 0. */
    public DoubleParam betaMin() {
        return betaMin;
    }

    /** VP and sub-VP diffusion's β at t = 1. */
    public DoubleParam betaMax() {
        return betaMax;
    }

    /** Number of multiscale noise levels. */
    public IntParam levels() {
        return levels;
    }

    /** Initialisation of the weights. */
    public Param<String> init() {
        return init;
    }

    /** Training steps. */
    public IntParam steps() {
        return steps;
    }

    /** Samples per step over all partitions. */
    public IntParam batch() {
        return batch;
    }

    /** Adam or SGD. */
    public Param<String> optimizer() {
        return optimizer;
    }

    /** The optimiser's base learning rate. */
    public DoubleParam learningRate() {
        return learningRate;
    }

    /** SGD's momentum. */
    public DoubleParam momentum() {
        return momentum;
    }

    /** Learning-rate schedule. */
    public Param<String> schedule() {
        return schedule;
    }

    /** Steps between rate drops of the step schedule. */
    public IntParam stepEvery() {
        return stepEvery;
    }

    /** Rate factor per drop of the step schedule. */
    public DoubleParam stepGamma() {
        return stepGamma;
    }

    /** Decoupled weight decay. */
    public DoubleParam weightDecay() {
        return weightDecay;
    }

    /** Gradient norm clip. */
    public DoubleParam clipNorm() {
        return clipNorm;
    }

    /** Decay of the weights' moving average. */
    public DoubleParam ema() {
        return ema;
    }

    /** Random seed. */
    public LongParam seed() {
        return seed;
    }

    /** Whether the columns are standardised first. */
    public BooleanParam standardize() {
        return standardize;
    }

    /** Local model averaging instead of synchronous steps. */
    public BooleanParam averaging() {
        return averaging;
    }

    /** Local steps between averages. */
    public IntParam localSteps() {
        return localSteps;
    }

    /** Core engine threads per task. */
    public IntParam threadsPerTask() {
        return threadsPerTask;
    }

    /** Synchronous steps in barrier jobs. */
    public BooleanParam barrier() {
        return barrier;
    }

    /** Synchronous steps per barrier job. */
    public IntParam stepsPerJob() {
        return stepsPerJob;
    }

    /** Arithmetic of the network's jets, float64 or float32 (parameters, losses and gradients stay double). */
    public Param<String> precision() {
        return precision;
    }

    /** Sets {@link #precision()}. */
    public ScoreMatchingEstimator setPrecision(String value) {
        return setParam("precision", value);
    }

    /** Sets {@link #featuresCol()}. */
    public ScoreMatchingEstimator setFeaturesCol(String value) {
        return setParam("featuresCol", value);
    }

    /** Sets {@link #model()}. */
    public ScoreMatchingEstimator setModel(String value) {
        return setParam("model", value);
    }

    /** Sets {@link #hidden()}. */
    public ScoreMatchingEstimator setHidden(int... widths) {
        return setParam("hidden", widths);
    }

    /** Sets {@link #activation()}. */
    public ScoreMatchingEstimator setActivation(String value) {
        return setParam("activation", value);
    }

    /** Sets {@link #objective()}. */
    public ScoreMatchingEstimator setObjective(String value) {
        return setParam("objective", value);
    }

    /** Sets {@link #projections()}. */
    public ScoreMatchingEstimator setProjections(int value) {
        return setParam("projections", value);
    }

    /** Sets {@link #sigma()}. */
    public ScoreMatchingEstimator setSigma(double value) {
        return setParam("sigma", value);
    }

    /** Sets {@link #sde()}. */
    public ScoreMatchingEstimator setSde(String value) {
        return setParam("sde", value);
    }

    /** Sets {@link #weighting()}. */
    public ScoreMatchingEstimator setWeighting(String value) {
        return setParam("weighting", value);
    }

    /** Sets {@link #steps()}. */
    public ScoreMatchingEstimator setSteps(int value) {
        return setParam("steps", value);
    }

    /** Sets {@link #batch()}. */
    public ScoreMatchingEstimator setBatch(int value) {
        return setParam("batch", value);
    }

    /** Sets {@link #optimizer()}. */
    public ScoreMatchingEstimator setOptimizer(String value) {
        return setParam("optimizer", value);
    }

    /** Sets {@link #learningRate()}. */
    public ScoreMatchingEstimator setLearningRate(double value) {
        return setParam("learningRate", value);
    }

    /** Sets {@link #schedule()}. */
    public ScoreMatchingEstimator setSchedule(String value) {
        return setParam("schedule", value);
    }

    /** Sets {@link #ema()}. */
    public ScoreMatchingEstimator setEma(double value) {
        return setParam("ema", value);
    }

    /** Sets {@link #seed()}. */
    public ScoreMatchingEstimator setSeed(long value) {
        return setParam("seed", value);
    }

    /** Sets {@link #standardize()}. */
    public ScoreMatchingEstimator setStandardize(boolean value) {
        return setParam("standardize", value);
    }

    /** Sets {@link #averaging()}. */
    public ScoreMatchingEstimator setAveraging(boolean value) {
        return setParam("averaging", value);
    }

    /** Sets {@link #localSteps()}. */
    public ScoreMatchingEstimator setLocalSteps(int value) {
        return setParam("localSteps", value);
    }

    /** Sets {@link #threadsPerTask()}. */
    public ScoreMatchingEstimator setThreadsPerTask(int value) {
        return setParam("threadsPerTask", value);
    }

    /** Sets {@link #barrier()}. */
    public ScoreMatchingEstimator setBarrier(boolean value) {
        return setParam("barrier", value);
    }

    /** Sets {@link #stepsPerJob()}. */
    public ScoreMatchingEstimator setStepsPerJob(int value) {
        return setParam("stepsPerJob", value);
    }

    /** Spark's text for a parameter, with the widths written out (Spark prints an int array's identity). */
    @Override
    public String explainParam(Param<?> param) {
        if (param != hidden) {
            return super.explainParam(param);
        }
        String current = isSet(hidden) ? ", current: " + Arrays.toString(widths()) : "";
        return hidden.name() + ": " + hidden.doc() + " (default: " + Arrays.toString(getDefault(hidden).get()) + current
                + ")";
    }

    private int[] widths() {
        return (int[]) getOrDefault(hidden);
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        ScoreMatchingModel.requireColumn(schema, getOrDefault(featuresCol));
        return schema;
    }

    /** The rows of the features column as arrays. */
    static JavaRDD<double[]> rows(Dataset<?> data, String column) {
        return data.select(column).toJavaRDD().map((Row r) -> ((Vector) r.get(0)).toArray());
    }

    @Override
    public ScoreMatchingModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        JavaRDD<double[]> raw = rows(dataset, getOrDefault(featuresCol));
        // Merged on the driver in partition order: merging is not symmetric in the last bits, and
        // the order tasks finish in must not change the standardisation (and so the model).
        ColumnMoments moments = null;
        for (ColumnMoments part : raw.mapPartitions((java.util.Iterator<double[]> it) -> {
            ColumnMoments acc = null;
            while (it.hasNext()) {
                acc = accumulate(acc, it.next());
            }
            return java.util.Collections.singletonList(acc).iterator();
        }).collect()) {
            moments = merge(moments, part);
        }
        if (moments == null) {
            throw new ScorematchException("the DataFrame is empty");
        }
        int d = moments.mean().length;
        List<String> columns = columnNames(dataset.schema(), getOrDefault(featuresCol), d);
        Standardization st = flag(standardize) ? moments.standardization(columns, "column '"
                + getOrDefault(featuresCol) + "'") : Standardization.identity(d);
        JavaRDD<double[]> z = raw.map(x -> st.apply(x, 1));
        Plan plan = plan(z, moments.count(), d);
        long start = System.nanoTime();
        double[] theta = DistributedTrainer.train(z, plan.architecture(), plan.objective(), plan.initialWeights(),
                plan.options());
        TrainedModel tm = TrainedModel.of(Model.of(plan.architecture(), theta), st, columns, Map.of(
                "objective", plan.objective().id(), "steps", Integer.toString(integer(steps)),
                "data", "Spark DataFrame, " + moments.count() + " rows, " + z.getNumPartitions() + " partitions",
                "seconds", String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9)));
        ScoreMatchingModel m = new ScoreMatchingModel(Identifiable$.MODULE$.randomUID("scorematch"), tm);
        m.set(m.featuresCol(), getOrDefault(featuresCol));
        return m.setParent(this);
    }

    /** What {@link #fit} trains: the architecture, objective, initial weights and trainer options. */
    record Plan(Architecture architecture, Objective objective, double[] initialWeights,
                DistributedTrainer.Options options) {
    }

    /**
     * The parameters resolved against the data {@code z} ({@code n} standardised rows of
     * dimension {@code d}) as {@code train} resolves its options; what was chosen is logged.
     */
    Plan plan(JavaRDD<double[]> z, long n, int d) {
        long s = (Long) getOrDefault(seed);
        double[] sample = null;
        int m = 0;
        String named = getOrDefault(objective);
        boolean auto = named.equals("auto");
        ObjectiveName name = auto ? null : ObjectiveName.fromId(named);
        if (auto || name == ObjectiveName.MULTISCALE || (name == ObjectiveName.DIFFUSION
                && getOrDefault(sde).equals("ve")) || (name == ObjectiveName.DENOISING && !isSet(sigma))) {
            List<double[]> rows = z.takeSample(false, SAMPLE_ROWS, Seeds.mix(s, 13));
            m = rows.size();
            sample = new double[m * d];
            for (int i = 0; i < m; i++) {
                System.arraycopy(rows.get(i), 0, sample, i * d, d);
            }
        }
        checkParams();
        boolean ve = name == ObjectiveName.DIFFUSION && getOrDefault(sde).equals("ve");
        Objective obj;
        Sde diffusion = null;
        NoiseLadder ladder = null;
        if (auto) {
            DefaultObjective chosen = DefaultObjective.forData(sample, n >= DefaultObjective.SMALL_ROWS ? (int) Math.min(n,
                    Integer.MAX_VALUE) : m, d, new SplittableRandom(Seeds.mix(s, 5)));
            LOG.info("scorematch: objective {} (the default; set objective to choose one)", chosen.reason());
            obj = chosen.objective();
            name = ObjectiveName.fromId(obj.id());
        } else {
            if (name == ObjectiveName.DIFFUSION) {
                diffusion = Sde.forData(getOrDefault(sde), sample, m, d, value(ve ? sigmaMin : betaMin),
                        value(ve ? sigmaMax : betaMax), new SplittableRandom(Seeds.mix(s, 3)));
                LOG.info("scorematch: SDE (standardised units) {}", diffusion.spec());
            } else if (name == ObjectiveName.MULTISCALE) {
                double min = isSet(sigmaMin) ? real(sigmaMin) : NoiseLadder.defaultMinimum(sample, m, d);
                NoiseLadder suggested = NoiseLadder.suggest(sample, m, d, min, new SplittableRandom(Seeds.mix(s, 3)));
                ladder = NoiseLadder.geometric(isSet(sigmaMax) ? real(sigmaMax) : suggested.max(), min,
                        isSet(levels) ? integer(levels) : suggested.size());
                LOG.info("scorematch: noise levels (standardised units) {}", ladder);
            }
            double noise = isSet(sigma) ? real(sigma) : name == ObjectiveName.DENOISING
                    ? NoiseLadder.defaultMinimum(sample, m, d) : 0.1;
            obj = name.create(integer(projections), Projection.fromId(getOrDefault(projection)), noise, diffusion,
                    isSet(weighting) ? Weighting.fromId(getOrDefault(weighting)) : Weighting.SIGMA2);
        }
        TrainingDefaults defaults = TrainingDefaults.forObjective(name);
        Architecture.Kind kind = isSet(model) ? Architecture.Kind.fromId(getOrDefault(model)) : defaults.kind();
        Activation act = Activation.fromId(getOrDefault(activation));
        Architecture arch = diffusion != null ? Architecture.diffusion(kind, d, widths(), act, diffusion,
                DenoisingScoreMatching.DEFAULT_EPSILON) : Architecture.mlp(kind, d, widths(), act, ladder);
        // The core trainer's initialisation, drawn from the same stream, so one partition matches it.
        double[] theta0 = Initialization.fromId(getOrDefault(init)).draw(arch.network(),
                new SplittableRandom(Seeds.initialWeights(s)));
        Schedule sched = Schedule.of(isSet(schedule) ? Schedule.Kind.fromId(getOrDefault(schedule))
                : defaults.schedule(), integer(stepEvery), real(stepGamma));
        DistributedTrainer.Update update = new DistributedTrainer.Update(OptimizerKind.fromId(getOrDefault(optimizer)),
                isSet(learningRate) ? real(learningRate) : defaults.learningRate(), real(momentum), sched,
                real(weightDecay), real(clipNorm), real(ema));
        DistributedTrainer.Options options = new DistributedTrainer.Options(integer(steps),
                isSet(batch) ? integer(batch) : defaults.batch(), s, integer(threadsPerTask),
                flag(averaging), integer(localSteps), flag(barrier), integer(stepsPerJob),
                update, Precision.fromId(getOrDefault(precision)));
        return new Plan(arch, obj, theta0, options);
    }

    private int integer(IntParam p) {
        return (Integer) getOrDefault(p);
    }

    private double real(DoubleParam p) {
        return (Double) getOrDefault(p);
    }

    private boolean flag(BooleanParam p) {
        return (Boolean) getOrDefault(p);
    }

    /**
     * Refuses parameters set for an objective they do not apply to (as {@code train} refuses the
     * options), before any data are read.
     */
    void checkParams() {
        String named = getOrDefault(objective);
        ObjectiveName name = named.equals("auto") ? null : ObjectiveName.fromId(named);
        boolean ve = name == ObjectiveName.DIFFUSION && getOrDefault(sde).equals("ve");
        requireOnlyWith(sigma, name == ObjectiveName.DENOISING, "objective denoising");
        requireOnlyWith(weighting, name == ObjectiveName.DIFFUSION, "objective diffusion");
        requireOnlyWith(levels, name == ObjectiveName.MULTISCALE, "objective multiscale");
        requireOnlyWith(betaMin, name == ObjectiveName.DIFFUSION && !ve, "objective diffusion with sde vp or subvp");
        requireOnlyWith(betaMax, name == ObjectiveName.DIFFUSION && !ve, "objective diffusion with sde vp or subvp");
        requireOnlyWith(sigmaMin, name == ObjectiveName.MULTISCALE || ve, "objective multiscale or sde ve");
        requireOnlyWith(sigmaMax, name == ObjectiveName.MULTISCALE || ve, "objective multiscale or sde ve");
    }

    private Double value(DoubleParam p) {
        return isSet(p) ? real(p) : null;
    }

    private void requireOnlyWith(Param<?> p, boolean applies, String what) {
        if (isSet(p) && !applies) {
            throw new ScorematchException("param " + p.name() + " applies to " + what);
        }
    }

    /**
     * The names of the vector's D entries from its ML attribute metadata (as {@code VectorAssembler}
     * writes it: the input columns' names), so the model file names the data's columns; x1..xD
     * where the vector carries no names, or not one for every entry.
     */
    static List<String> columnNames(StructType schema, String column, int d) {
        org.apache.spark.ml.attribute.AttributeGroup group =
                org.apache.spark.ml.attribute.AttributeGroup.fromStructField(schema.apply(column));
        List<String> names = new ArrayList<>();
        if (group.attributes().isDefined() && group.size() == d) {
            for (org.apache.spark.ml.attribute.Attribute a : group.attributes().get()) {
                if (a.name().isEmpty()) {
                    break;
                }
                names.add(a.name().get());
            }
        }
        if (names.size() == d && names.stream().distinct().count() == d) {
            return names;
        }
        names.clear();
        for (int c = 0; c < d; c++) {
            names.add("x" + (c + 1));
        }
        return names;
    }

    private static ColumnMoments accumulate(ColumnMoments acc, double[] x) {
        return (acc == null ? ColumnMoments.empty(x.length) : acc).add(x);
    }

    private static ColumnMoments merge(ColumnMoments a, ColumnMoments b) {
        return a == null ? b : b == null ? a : a.merge(b);
    }

    @Override
    public ScoreMatchingEstimator copy(ParamMap extra) {
        return copyValues(new ScoreMatchingEstimator(uid), extra);
    }

    /** Spark ML's default reader of the parameters {@code write()} saved (pipelines call it by reflection). */
    public static MLReader<ScoreMatchingEstimator> read() {
        return new DefaultParamsReader<>();
    }

    /** Reads an estimator saved with {@code write().save(path)}. */
    public static ScoreMatchingEstimator load(String path) {
        return read().load(path);
    }
}
