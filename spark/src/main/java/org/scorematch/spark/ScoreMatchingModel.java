package org.scorematch.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.scorematch.ScorematchException;
import org.scorematch.io.ModelFile;
import org.scorematch.linalg.Matrix;
import org.scorematch.model.EnergyModel;
import org.scorematch.model.TrainedModel;

/**
 * A trained model as a Spark ML {@code Transformer}: adds to a DataFrame with a vector column
 * {@code featuresCol} the columns {@code energy} and {@code unnormalizedLogDensity} (= −energy:
 * the log-density up to the unknown constant −log Z, named so that no one reads it as
 * normalised; energy models only) and {@code score} (∇ₓ log p, a vector), all in the data's
 * units. Rows are scored in batches of {@link #BATCH} per partition with the core's batched
 * kernels; every input column is passed through. Saved in Spark ML's layout (its parameters'
 * {@code metadata/}) with the core model file under {@code data/}, so {@code PipelineModel}s
 * holding it save and load.
 */
public final class ScoreMatchingModel extends Model<ScoreMatchingModel> implements MLWritable {
    private static final long serialVersionUID = 1L;
    /** The core model file's name under the saved model's {@code data/}. */
    static final String MODEL_FILE = "model.safetensors";
    /** Rows scored per call of the core engine. */
    public static final int BATCH = 4096;

    private final String uid;
    private final byte[] modelFile;
    private transient TrainedModel model;
    private final Param<String> featuresCol;

    ScoreMatchingModel(String uid, TrainedModel model) {
        this(uid, ModelFile.toBytes(model));
    }

    private ScoreMatchingModel(String uid, byte[] modelFile) {
        this.uid = uid;
        this.modelFile = modelFile;
        this.featuresCol = new Param<>(uid, "featuresCol", "the vector column of samples");
        setDefault(featuresCol, "features");
    }

    /** Wraps a model trained elsewhere (e.g. by the CLI). */
    public static ScoreMatchingModel of(TrainedModel model) {
        return new ScoreMatchingModel(Identifiable$.MODULE$.randomUID("scorematch"), model);
    }

    /** The vector column the model scores. */
    public Param<String> featuresCol() {
        return featuresCol;
    }

    /** Sets the vector column the model scores. */
    public ScoreMatchingModel setFeaturesCol(String name) {
        set(featuresCol, name);
        return this;
    }

    /** The core model. */
    public TrainedModel trainedModel() {
        if (model == null) {
            model = ModelFile.fromBytes(modelFile, uid);
        }
        return model;
    }

    @Override
    public String uid() {
        return uid;
    }

    /** Refuses a schema without the features column {@code col}. */
    static void requireColumn(StructType schema, String col) {
        if (!List.of(schema.fieldNames()).contains(col)) {
            throw new ScorematchException("the DataFrame has no column '" + col + "' (set featuresCol)");
        }
    }

    @Override
    public StructType transformSchema(StructType schema) {
        String col = getOrDefault(featuresCol);
        requireColumn(schema, col);
        StructType out = schema;
        if (trainedModel().model() instanceof EnergyModel) {
            out = out.add("energy", DataTypes.DoubleType, false).add("unnormalizedLogDensity", DataTypes.DoubleType,
                    false);
        }
        return out.add("score", SQLDataTypes.VectorType(), false);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType outSchema = transformSchema(dataset.schema());
        int index = dataset.schema().fieldIndex(getOrDefault(featuresCol));
        byte[] bytes = modelFile;
        String name = uid;
        return dataset.toDF().mapPartitions((Iterator<Row> it) -> {
            TrainedModel m = ModelFile.fromBytes(bytes, name);
            boolean energy = m.model() instanceof EnergyModel;
            int d = m.dimension();
            List<Row> out = new ArrayList<>();
            List<Row> batch = new ArrayList<>(BATCH);
            while (it.hasNext()) {
                batch.add(it.next());
                if (batch.size() == BATCH || !it.hasNext()) {
                    double[] x = new double[batch.size() * d];
                    for (int r = 0; r < batch.size(); r++) {
                        Vector v = (Vector) batch.get(r).get(index);
                        if (v.size() != d) {
                            throw new ScorematchException("a row's features have " + v.size() + " values, the model expects " + d);
                        }
                        System.arraycopy(v.toArray(), 0, x, r * d, d);
                    }
                    Matrix xm = Matrix.of(batch.size(), d, x);
                    double[] e = energy ? m.energy(xm) : null;
                    Matrix s = m.score(xm);
                    for (int r = 0; r < batch.size(); r++) {
                        Row in = batch.get(r);
                        Object[] values = new Object[in.size() + (energy ? 3 : 1)];
                        for (int c = 0; c < in.size(); c++) {
                            values[c] = in.get(c);
                        }
                        int k = in.size();
                        if (energy) {
                            values[k++] = e[r];
                            values[k++] = -e[r];
                        }
                        values[k] = Vectors.dense(s.row(r));
                        out.add(RowFactory.create(values));
                    }
                    batch.clear();
                }
            }
            return out.iterator();
        }, Encoders.row(outSchema));
    }

    @Override
    public ScoreMatchingModel copy(ParamMap extra) {
        return copyValues(new ScoreMatchingModel(uid, modelFile), extra).setParent(parent());
    }

    /**
     * Spark ML's layout: the parameters as {@code metadata/} (what {@code DefaultParamsReader}
     * and {@code PipelineModel.load} read) and the core model file as {@code data/model.safetensors}.
     */
    @Override
    public MLWriter write() {
        return new MLWriter() {
            @Override
            public void saveImpl(String path) {
                DefaultParamsWriter$.MODULE$.saveMetadata(ScoreMatchingModel.this, path, sparkSession());
                try {
                    Path file = new Path(new Path(path, "data"), MODEL_FILE);
                    FileSystem fs = file.getFileSystem(sparkSession().sparkContext().hadoopConfiguration());
                    try (OutputStream o = fs.create(file)) {
                        o.write(modelFile);
                    }
                } catch (IOException e) {
                    throw new ScorematchException(path + ": cannot save the model: " + e.getMessage(), e);
                }
            }
        };
    }

    /** Reader for {@link #write()}'s layout (also what Spark ML pipelines call reflectively). */
    public static MLReader<ScoreMatchingModel> read() {
        return new MLReader<>() {
            @Override
            public ScoreMatchingModel load(String path) {
                DefaultParamsReader.Metadata metadata = DefaultParamsReader$.MODULE$.loadMetadata(path, sparkSession(),
                        ScoreMatchingModel.class.getName());
                Path file = new Path(new Path(path, "data"), MODEL_FILE);
                byte[] bytes;
                try {
                    FileSystem fs = file.getFileSystem(sparkSession().sparkContext().hadoopConfiguration());
                    try (InputStream in = fs.open(file)) {
                        bytes = in.readAllBytes();
                    }
                } catch (IOException e) {
                    throw new ScorematchException(path + ": cannot load the model: " + e.getMessage(), e);
                }
                ModelFile.fromBytes(bytes, file.toString());
                ScoreMatchingModel m = new ScoreMatchingModel(metadata.uid(), bytes);
                metadata.getAndSetParams(m, scala.Option.empty());
                return m;
            }
        };
    }

    /** Reads a model saved with {@code write().save(path)}. */
    public static ScoreMatchingModel load(String path) {
        return read().load(path);
    }
}
