package org.scorematch.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.scorematch.ScorematchException;
import org.scorematch.io.AtomicFiles;
import org.scorematch.io.ModelFile;
import org.scorematch.model.TrainedModel;

/**
 * A checkpoint on disk: a model file (the model a checkpoint shows, so {@code sample} and
 * {@code eval} read it like any model) whose {@code checkpoint.*} tensors and metadata hold a
 * {@link Checkpoint}. The only place that knows those names.
 */
final class CheckpointFile {
    private static final String THETA = ModelFile.CHECKPOINT_PREFIX + "theta";
    private static final String EMA = ModelFile.CHECKPOINT_PREFIX + "ema";
    private static final String OPTIMIZER = ModelFile.CHECKPOINT_PREFIX + "optimizer.";
    private static final String BEST = ModelFile.CHECKPOINT_PREFIX + "best";
    private static final String STEP = ModelFile.CHECKPOINT_PREFIX + "step";
    private static final String SECONDS = ModelFile.CHECKPOINT_PREFIX + "seconds";
    private static final String SETTINGS = ModelFile.CHECKPOINT_PREFIX + "settings";
    private static final String BEST_CRITERION = ModelFile.CHECKPOINT_PREFIX + "best_loss";
    private static final String BEST_HELD_OUT_LOSS = ModelFile.CHECKPOINT_PREFIX + "best_held_out_loss";
    private static final String BEST_LOG_LIKELIHOOD = ModelFile.CHECKPOINT_PREFIX + "best_log_likelihood";
    private static final String BAD_EVALUATIONS = ModelFile.CHECKPOINT_PREFIX + "bad_evaluations";

    private CheckpointFile() {
    }

    /** A checkpoint read back: the model it shows and its training state. */
    record Read(TrainedModel model, Checkpoint checkpoint) {
    }

    /** Writes {@code shown} with {@code state} to {@code path} atomically. */
    static void write(Path path, TrainedModel shown, Checkpoint state) {
        Map<String, double[]> tensors = new LinkedHashMap<>();
        tensors.put(THETA, state.theta());
        state.optimizerState().forEach((k, v) -> tensors.put(OPTIMIZER + k, v));
        if (state.ema() != null) {
            tensors.put(EMA, state.ema());
        }
        BestEvaluation.State best = state.best();
        if (best.weights() != null) {
            tensors.put(BEST, best.weights());
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(STEP, Integer.toString(state.step()));
        meta.put(BEST_CRITERION, Double.toString(best.criterion()));
        meta.put(BEST_HELD_OUT_LOSS, Double.toString(best.heldOutLoss()));
        meta.put(BEST_LOG_LIKELIHOOD, Double.toString(best.logLikelihood()));
        meta.put(BAD_EVALUATIONS, Integer.toString(best.sinceBest()));
        meta.put(SECONDS, Double.toString(state.seconds()));
        meta.put(SETTINGS, state.settings());
        byte[] bytes = ModelFile.toBytes(shown, tensors, meta);
        AtomicFiles.write(path, out -> out.write(bytes));
    }

    /** Reads a checkpoint, refusing a model file without training state. */
    static Read read(Path path) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new ScorematchException(path + ": cannot read the checkpoint: " + e.getMessage(), e);
        }
        ModelFile.Parsed parsed = ModelFile.parseWithExtras(bytes, path.toString());
        Map<String, double[]> t = parsed.extraTensors();
        Map<String, String> m = parsed.extraMetadata();
        if (!m.containsKey(STEP) || !t.containsKey(THETA)) {
            throw new ScorematchException(path + ": a model file, not a checkpoint (no training state)");
        }
        Map<String, double[]> optimizer = new LinkedHashMap<>();
        t.forEach((k, v) -> {
            if (k.startsWith(OPTIMIZER)) {
                optimizer.put(k.substring(OPTIMIZER.length()), v.clone());
            }
        });
        BestEvaluation.State best = new BestEvaluation.State(t.containsKey(BEST) ? t.get(BEST).clone() : null,
                number(m, BEST_CRITERION, null, path), number(m, BEST_HELD_OUT_LOSS, "NaN", path),
                number(m, BEST_LOG_LIKELIHOOD, "NaN", path), (int) integer(m, BAD_EVALUATIONS, path));
        Checkpoint state = new Checkpoint((int) integer(m, STEP, path), number(m, SECONDS, "0", path),
                m.getOrDefault(SETTINGS, ""), t.get(THETA).clone(), t.containsKey(EMA) ? t.get(EMA).clone() : null,
                optimizer, best);
        return new Read(parsed.model(), state);
    }

    private static double number(Map<String, String> m, String key, String absent, Path path) {
        String v = m.getOrDefault(key, absent);
        if (v == null) {
            throw new ScorematchException(path + ": checkpoint entry '" + key + "' is missing");
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new ScorematchException(path + ": checkpoint entry '" + key + "' is not a number: " + v);
        }
    }

    private static long integer(Map<String, String> m, String key, Path path) {
        String v = m.get(key);
        if (v == null) {
            throw new ScorematchException(path + ": checkpoint entry '" + key + "' is missing");
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ScorematchException(path + ": checkpoint entry '" + key + "' is not an integer: " + v);
        }
    }
}
