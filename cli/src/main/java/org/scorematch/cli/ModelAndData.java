package org.scorematch.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.scorematch.ScorematchException;
import org.scorematch.data.Dataset;
import org.scorematch.io.ModelFile;
import org.scorematch.model.TrainedModel;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options of the commands that apply a trained model to data: the model file and the data's options. */
final class ModelAndData {
    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "A model file written by train.")
    Path model;

    @Mixin
    DataOptions data = new DataOptions();

    /** The model file, read and checked. */
    TrainedModel load() {
        return ModelFile.load(model);
    }

    /** Whether a data file was given. */
    boolean hasData() {
        return data.data != null;
    }

    /**
     * The data file (required: {@code why} says what for), read with {@code defaultColumns} when no
     * --columns were given, and refused unless it has the model's dimension.
     */
    Dataset dataFor(TrainedModel m, List<String> defaultColumns, String why, PrintWriter out) {
        if (data.data == null) {
            throw new ScorematchException("--data FILE is required" + why);
        }
        return checked(m, data.read(defaultColumns, out));
    }

    /** The rows of a --train file (CSV, the model's columns) for the likelihood baselines; null without one. */
    static org.scorematch.linalg.Matrix baselineRows(Path train, TrainedModel m) {
        return train == null ? null
                : org.scorematch.io.CsvData.read(train, new org.scorematch.io.CsvData.Options(m.columns(), List.of(), false))
                        .dataset().values();
    }

    /** {@code d}, refused unless it has the model's dimension. */
    Dataset checked(TrainedModel m, Dataset d) {
        if (d.dimension() != m.dimension()) {
            throw new ScorematchException(d.source() + ": the data have " + d.dimension() + " columns " + d.columns()
                    + ", the model " + model + " expects " + m.dimension() + " " + m.columns());
        }
        return d;
    }
}
