package org.scorematch.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scorematch.ScorematchException;
import org.scorematch.data.Standardization;
import org.scorematch.engine.Engine;
import org.scorematch.linalg.Matrix;

/**
 * A model as a user keeps it: the network and parameters (in standardised units), the
 * standardisation fitted on the training data, the data's column names, and free-form facts
 * about training (objective, steps, data source, time). Answers in the data's original units.
 */
public final class TrainedModel {
    private final Model model;
    private final Standardization standardization;
    private final List<String> columns;
    private final Map<String, String> info;

    private TrainedModel(Model model, Standardization standardization, List<String> columns, Map<String, String> info) {
        if (standardization.dimension() != model.dimension() || columns.size() != model.dimension()) {
            throw new IllegalArgumentException("model, standardisation and columns disagree on the dimension");
        }
        this.model = model;
        this.standardization = standardization;
        this.columns = List.copyOf(columns);
        this.info = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(info));
    }

    /** A model with the standardisation it was trained under, its data columns and training facts. */
    public static TrainedModel of(Model model, Standardization standardization, List<String> columns,
                                  Map<String, String> info) {
        return new TrainedModel(model, standardization, columns, info);
    }

    /** The model in standardised units. */
    public Model model() {
        return model;
    }

    /** The standardisation between the data and the model. */
    public Standardization standardization() {
        return standardization;
    }

    /** The names of the data columns, in the model's order. */
    public List<String> columns() {
        return columns;
    }

    /** Training facts (objective, steps, data, …) as recorded in the model file. */
    public Map<String, String> info() {
        return new LinkedHashMap<>(info);
    }

    /** The data dimension D. */
    public int dimension() {
        return model.dimension();
    }

    /** {@code ∇ₓ log p(x)} in the data's units, one row per row of {@code x}, on one thread. */
    public Matrix score(Matrix x) {
        try (Engine engine = Engine.create(1)) {
            return score(x, engine);
        }
    }

    /** {@code ∇ₓ log p(x)} in the data's units, one row per row of {@code x}, on {@code engine}. */
    public Matrix score(Matrix x, Engine engine) {
        checkColumns(x);
        Matrix z = Matrix.of(x.rows(), x.cols(), standardization.applyInPlace(x.toArray(), x.rows()));
        NoiseLadder ladder = model.architecture().ladder();
        double[] s = model.score(z, ladder == null ? 1.0 : ladder.min(), engine).toArray();
        standardization.scoreToData(s, x.rows());
        return Matrix.of(x.rows(), x.cols(), s);
    }

    /**
     * The energy {@code E(x)} in the data's units, so that {@code p(x) ∝ exp(−E(x))}; energy
     * models only; on one thread.
     */
    public double[] energy(Matrix x) {
        try (Engine engine = Engine.create(1)) {
            return energy(x, engine);
        }
    }

    /** {@link #energy(Matrix)} on {@code engine}. */
    public double[] energy(Matrix x, Engine engine) {
        if (!(model instanceof EnergyModel em)) {
            throw new ScorematchException("this is a score model: it has no energy (only energy models give energies "
                    + "and log-densities); use its scores instead");
        }
        checkColumns(x);
        Matrix z = Matrix.of(x.rows(), x.cols(), standardization.applyInPlace(x.toArray(), x.rows()));
        double[] e = em.energy(z, engine);
        double shift = standardization.logScaleSum();
        for (int i = 0; i < e.length; i++) {
            e[i] += shift;
        }
        return e;
    }

    private void checkColumns(Matrix x) {
        if (x.cols() != dimension()) {
            throw new ScorematchException("the data have " + x.cols() + " columns but the model was trained on "
                    + dimension() + " " + columns);
        }
    }
}
