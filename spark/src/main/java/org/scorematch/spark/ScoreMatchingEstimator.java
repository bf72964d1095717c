package org.scorematch.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.scorematch.ScorematchException;
import org.scorematch.data.ColumnMoments;
import org.scorematch.data.Standardization;
import org.scorematch.engine.Initialization;
import org.scorematch.engine.Activation;
import org.scorematch.model.Architecture;
import org.scorematch.model.Model;
import org.scorematch.model.Sde;
import org.scorematch.model.TrainedModel;
import org.scorematch.objective.DenoisingScoreMatching;
import org.scorematch.objective.Objective;
import org.scorematch.objective.ObjectiveName;
import org.scorematch.objective.Projection;
import org.scorematch.objective.Weighting;
import org.scorematch.train.Seeds;

/**
 * Spark ML {@code Estimator} training a score-matching model on a DataFrame's vector column with
 * {@link DistributedTrainer}: columns standardised with means and deviations from one
 * {@code treeAggregate} pass (unless {@code standardize} is false), an MLP energy or score
 * network of the core, any of its objectives (exact, sliced, sliced-vr, denoising, and diffusion
 * under the {@code sde} written as {@code 've|vp|subvp a b'} in standardised units, with its
 * {@code weighting} sigma2 or likelihood), synchronous
 * data-parallel Adam or local model averaging. Produces a {@link ScoreMatchingModel}. Params are
 * strings and numbers named as on the command line.
 */
public final class ScoreMatchingEstimator extends Estimator<ScoreMatchingModel> {
    private static final long serialVersionUID = 1L;
    private final String uid;
    private final Param<String> featuresCol;
    private final Param<String> model;
    private final Param<String> hidden;
    private final Param<String> activation;
    private final Param<String> objective;
    private final Param<Integer> projections;
    private final Param<Double> sigma;
    private final Param<String> sde;
    private final Param<String> weighting;
    private final Param<Integer> steps;
    private final Param<Integer> batch;
    private final Param<Double> learningRate;
    private final Param<Long> seed;
    private final Param<Boolean> standardize;
    private final Param<Boolean> averaging;
    private final Param<Integer> localSteps;
    private final Param<Integer> threadsPerTask;

    public ScoreMatchingEstimator() {
        this(Identifiable$.MODULE$.randomUID("scorematchEstimator"));
    }

    private ScoreMatchingEstimator(String uid) {
        this.uid = uid;
        this.featuresCol = new Param<>(uid, "featuresCol", "vector column of samples");
        this.model = new Param<>(uid, "model", "energy or score");
        this.hidden = new Param<>(uid, "hidden", "hidden widths, e.g. 128,128,128");
        this.activation = new Param<>(uid, "activation", "silu, softplus, tanh or gelu");
        this.objective = new Param<>(uid, "objective", "exact, sliced, sliced-vr, denoising or diffusion");
        this.projections = new Param<>(uid, "projections", "directions for sliced objectives");
        this.sigma = new Param<>(uid, "sigma", "noise level of denoising (standardised units)");
        this.sde = new Param<>(uid, "sde", "diffusion: the SDE, 've a b' (σ_min, σ_max), 'vp a b' or 'subvp a b' "
                + "(β_min, β_max), standardised units");
        this.weighting = new Param<>(uid, "weighting", "diffusion: sigma2 or likelihood");
        this.steps = new Param<>(uid, "steps", "training steps");
        this.batch = new Param<>(uid, "batch", "samples per step, over all partitions");
        this.learningRate = new Param<>(uid, "learningRate", "Adam learning rate");
        this.seed = new Param<>(uid, "seed", "random seed");
        this.standardize = new Param<>(uid, "standardize", "standardise columns first");
        this.averaging = new Param<>(uid, "averaging", "local model averaging instead of synchronous steps");
        this.localSteps = new Param<>(uid, "localSteps", "local steps between averages");
        this.threadsPerTask = new Param<>(uid, "threadsPerTask", "core engine threads per task");
        setDefault(featuresCol, "features");
        setDefault(model, "energy");
        setDefault(hidden, "128,128,128");
        setDefault(activation, "silu");
        setDefault(objective, "exact");
        setDefault(projections, 1);
        setDefault(sigma, 0.1);
        setDefault(sde, "vp 0.1 20.0");
        setDefault(weighting, "sigma2");
        setDefault(steps, 1000);
        setDefault(batch, 256);
        setDefault(learningRate, 1e-3);
        setDefault(seed, 1L);
        setDefault(standardize, true);
        setDefault(averaging, false);
        setDefault(localSteps, 10);
        setDefault(threadsPerTask, 1);
    }

    /** Sets a parameter by name (as listed in the class comment). */
    public ScoreMatchingEstimator setParam(String name, Object value) {
        set(getParam(name), value);
        return this;
    }

    /** The {@code featuresCol} parameter (its doc says what it sets). */
    public Param<String> featuresCol() {
        return featuresCol;
    }

    /** The {@code model} parameter (its doc says what it sets). */
    public Param<String> model() {
        return model;
    }

    /** The {@code hidden} parameter (its doc says what it sets). */
    public Param<String> hidden() {
        return hidden;
    }

    /** The {@code activation} parameter (its doc says what it sets). */
    public Param<String> activation() {
        return activation;
    }

    /** The {@code objective} parameter (its doc says what it sets). */
    public Param<String> objective() {
        return objective;
    }

    /** The {@code projections} parameter (its doc says what it sets). */
    public Param<Integer> projections() {
        return projections;
    }

    /** The {@code sigma} parameter (its doc says what it sets). */
    public Param<Double> sigma() {
        return sigma;
    }

    /** The {@code steps} parameter (its doc says what it sets). */
    public Param<Integer> steps() {
        return steps;
    }

    /** The {@code batch} parameter (its doc says what it sets). */
    public Param<Integer> batch() {
        return batch;
    }

    /** The {@code learningRate} parameter (its doc says what it sets). */
    public Param<Double> learningRate() {
        return learningRate;
    }

    /** The {@code seed} parameter (its doc says what it sets). */
    public Param<Long> seed() {
        return seed;
    }

    /** The {@code standardize} parameter (its doc says what it sets). */
    public Param<Boolean> standardize() {
        return standardize;
    }

    /** The {@code sde} parameter (its doc says what it sets). */
    public Param<String> sde() {
        return sde;
    }

    /** The {@code weighting} parameter (its doc says what it sets). */
    public Param<String> weighting() {
        return weighting;
    }

    /** The {@code averaging} parameter (its doc says what it sets). */
    public Param<Boolean> averaging() {
        return averaging;
    }

    /** The {@code localSteps} parameter (its doc says what it sets). */
    public Param<Integer> localSteps() {
        return localSteps;
    }

    /** The {@code threadsPerTask} parameter (its doc says what it sets). */
    public Param<Integer> threadsPerTask() {
        return threadsPerTask;
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
        ColumnMoments moments = raw.treeAggregate(null, ScoreMatchingEstimator::accumulate, ScoreMatchingEstimator::merge);
        if (moments == null) {
            throw new ScorematchException("the DataFrame is empty");
        }
        int d = moments.mean().length;
        List<String> columns = columnNames(dataset.schema(), getOrDefault(featuresCol), d);
        Standardization st = getOrDefault(standardize) ? moments.standardization(columns, "column '"
                + getOrDefault(featuresCol) + "'") : Standardization.identity(d);
        JavaRDD<double[]> z = raw.map(x -> st.apply(x, 1));
        Architecture arch = architecture(d);
        // The core trainer's default initialisation, drawn from the same stream, so one partition matches it.
        double[] theta0 = Initialization.PYTORCH.draw(arch.network(),
                new SplittableRandom(Seeds.initialWeights(getOrDefault(seed))));
        Objective obj = objectiveFor();
        long start = System.nanoTime();
        double[] theta = DistributedTrainer.train(z, arch, obj, theta0, new DistributedTrainer.Options(getOrDefault(steps),
                getOrDefault(batch), getOrDefault(learningRate), getOrDefault(seed), getOrDefault(threadsPerTask),
                getOrDefault(averaging), getOrDefault(localSteps)));
        Model trained = Model.of(arch, theta);
        TrainedModel tm = TrainedModel.of(trained, st, columns, Map.of("objective", obj.id(),
                "steps", Integer.toString(getOrDefault(steps)), "data", "Spark DataFrame, " + moments.count() + " rows, "
                        + z.getNumPartitions() + " partitions", "seconds", String.format(java.util.Locale.ROOT, "%.1f",
                        (System.nanoTime() - start) / 1e9)));
        ScoreMatchingModel m = new ScoreMatchingModel(Identifiable$.MODULE$.randomUID("scorematch"), tm);
        m.set(m.featuresCol(), getOrDefault(featuresCol));
        return m.setParent(this);
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

    Architecture architecture(int d) {
        int[] widths = Architecture.parseWidths(getOrDefault(hidden));
        Architecture.Kind kind = Architecture.Kind.fromId(getOrDefault(model));
        Activation act = Activation.fromId(getOrDefault(activation));
        return isDiffusion() ? Architecture.diffusion(kind, d, widths, act, diffusionSde(),
                DenoisingScoreMatching.DEFAULT_EPSILON) : Architecture.mlp(kind, d, widths, act, null);
    }

    private boolean isDiffusion() {
        return ObjectiveName.fromId(getOrDefault(objective)) == ObjectiveName.DIFFUSION;
    }

    private Sde diffusionSde() {
        try {
            return Sde.parse(getOrDefault(sde));
        } catch (IllegalArgumentException e) {
            throw new ScorematchException("param sde: " + e.getMessage(), e);
        }
    }

    Objective objectiveFor() {
        ObjectiveName name = ObjectiveName.fromId(getOrDefault(objective));
        if (name == ObjectiveName.MULTISCALE) {
            throw new ScorematchException("objective multiscale needs a noise-conditional model, which the Spark "
                    + "estimator does not train; expected exact, sliced, sliced-vr or denoising");
        }
        return name.create(getOrDefault(projections), Projection.RADEMACHER, getOrDefault(sigma),
                isDiffusion() ? diffusionSde() : null, Weighting.fromId(getOrDefault(weighting)));
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
}
