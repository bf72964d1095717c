package org.scorematch.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.scorematch.ScorematchException;
import org.scorematch.data.Standardization;
import org.scorematch.engine.Activation;
import org.scorematch.engine.Network;
import org.scorematch.engine.Op;
import org.scorematch.model.Architecture;
import org.scorematch.model.Model;
import org.scorematch.model.NoiseLadder;
import org.scorematch.model.Sde;
import org.scorematch.model.TrainedModel;

/**
 * The scorematch model schema over the {@link SafeTensors} container (docs/DESIGN.md §6): which
 * tensors and metadata a model file holds and what they mean.
 *
 * <p>Tensor names follow PyTorch's {@code nn.Sequential}: layer i's {@code i.weight} (out × in)
 * and {@code i.bias}, activations being layers too, so {@code net.load_state_dict} accepts them.
 * Parts a Sequential cannot express: a Gaussian energy is {@code ½‖0.weight·x + 0.bias‖²}; a
 * noise-conditional network's input is the standardised data followed by {@code log σ}, and its
 * score (or energy) is the network's output divided by σ; the standardisation is stored as
 * {@code standardization.mean} and {@code standardization.scale} (model inputs are
 * {@code (x − mean)/scale}). Metadata: {@code format} = scorematch, {@code format_version},
 * {@code library_version}, {@code kind} (energy|score), {@code architecture} (mlp|gaussian|linear,
 * {@link Architecture#name()}), {@code dimension}, {@code hidden}, {@code activation},
 * {@code noise_levels} (or, for a diffusion model, {@code sde} as {@link Sde#spec()} and
 * {@code sde_epsilon}), {@code columns} (JSON array) and {@code train.*} facts. Checkpoints add
 * entries under {@link #CHECKPOINT_PREFIX}, which this schema carries without reading them.
 *
 * <p>Every inconsistency between the metadata, the tensors and the architecture is a
 * {@link ScorematchException} naming the file.
 */
public final class ModelFile {
    /**
     * Newest version of this layout; readers accept it and older ones. Version 2 adds diffusion
     * models ({@code sde}, {@code sde_epsilon}); other models are still written as version 1, so
     * that older readers keep reading them, while a diffusion model tells an older reader to
     * upgrade instead of being misread as an unconditional network.
     */
    public static final int FORMAT_VERSION = 2;
    /** Prefix of the training-state entries a checkpoint adds to a model file. */
    public static final String CHECKPOINT_PREFIX = "checkpoint.";

    private ModelFile() {
    }

    /** Writes {@code model} to {@code path} atomically. */
    public static void save(TrainedModel model, Path path) {
        byte[] bytes = toBytes(model);
        AtomicFiles.write(path, out -> out.write(bytes));
    }

    /** The file's bytes. */
    public static byte[] toBytes(TrainedModel trained) {
        return toBytes(trained, Map.of(), Map.of());
    }

    /**
     * The file's bytes with extra vectors and metadata (checkpoints add their training state
     * this way, under names starting with {@code checkpoint.}).
     */
    public static byte[] toBytes(TrainedModel trained, Map<String, double[]> extraTensors,
                                 Map<String, String> extraMetadata) {
        Model model = trained.model();
        Architecture arch = model.architecture();
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
        double[] theta = model.parameters();
        List<Op> ops = arch.network().ops();
        for (int i = 0; i < ops.size(); i++) {
            if (ops.get(i) instanceof Op.Affine a) {
                tensors.put(i + ".weight", new SafeTensors.Tensor(new long[] {a.out(), a.in()},
                        slice(theta, a.weightOffset(), a.in() * a.out())));
                tensors.put(i + ".bias", SafeTensors.Tensor.vector(slice(theta, a.biasOffset(), a.out())));
            }
        }
        tensors.put("standardization.mean", SafeTensors.Tensor.vector(trained.standardization().mean()));
        tensors.put("standardization.scale", SafeTensors.Tensor.vector(trained.standardization().scale()));

        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "scorematch");
        meta.put("format_version", arch.sde() != null ? "2" : "1");
        meta.put("library_version", libraryVersion());
        meta.putAll(architectureMetadata(arch));
        meta.put("columns", JsonText.stringArray(trained.columns()));
        trained.info().forEach((k, v) -> meta.put("train." + k, v));
        meta.putAll(extraMetadata);
        extraTensors.forEach((k, v) -> tensors.put(k, SafeTensors.Tensor.vector(v)));
        return SafeTensors.write(meta, tensors);
    }

    /** The metadata naming an architecture: kind, name, dimension, an MLP's widths and activation, the ladder. */
    private static Map<String, String> architectureMetadata(Architecture arch) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("kind", arch.kind().id());
        meta.put("architecture", arch.name());
        meta.put("dimension", Integer.toString(arch.dimension()));
        if (arch.network().form() == Network.Form.MLP) {
            StringBuilder hidden = new StringBuilder();
            for (int h : arch.network().hidden()) {
                hidden.append(hidden.length() == 0 ? "" : ",").append(h);
            }
            meta.put("hidden", hidden.toString());
            meta.put("activation", arch.network().activation().id());
        }
        if (arch.sde() != null) {
            meta.put("sde", arch.sde().spec());
            meta.put("sde_epsilon", Double.toString(arch.sdeEpsilon()));
        } else if (arch.isConditional()) {
            StringBuilder sb = new StringBuilder();
            for (double s : arch.ladder().sigmas()) {
                sb.append(sb.length() == 0 ? "" : ",").append(s);
            }
            meta.put("noise_levels", sb.toString());
        }
        return meta;
    }

    /** Reads a model file, checking everything. */
    public static TrainedModel load(Path path) {
        byte[] bytes;
        try {
            long size = Files.size(path);
            if (size > Integer.MAX_VALUE - 16) {
                throw new ScorematchException(path + ": " + size + " bytes is too large for a model file");
            }
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new ScorematchException(path + ": cannot read: " + e.getMessage(), e);
        }
        return fromBytes(bytes, path.toString());
    }

    /** Parses a model file's bytes; {@code name} is used in error messages. */
    public static TrainedModel fromBytes(byte[] bytes, String name) {
        return parseWithExtras(bytes, name).model();
    }

    /** A parsed file: the model, and any {@code checkpoint.*} tensors and metadata. */
    public record Parsed(TrainedModel model, Map<String, double[]> extraTensors, Map<String, String> extraMetadata) {
    }

    /** Parses a model or checkpoint file, keeping its {@code checkpoint.*} entries. */
    public static Parsed parseWithExtras(byte[] bytes, String name) {
        try {
            return parse(bytes, name);
        } catch (ScorematchException e) {
            throw e;
        } catch (RuntimeException e) {
            // Defence in depth: no malformed file may surface as anything but the library's error.
            throw new ScorematchException(name + ": malformed model file (" + e + ")", e);
        }
    }

    private static Parsed parse(byte[] bytes, String name) {
        SafeTensors.Contents contents = SafeTensors.read(bytes, name);
        Map<String, String> meta = contents.metadata();
        if (!"scorematch".equals(meta.get("format"))) {
            throw new ScorematchException(name + ": not a scorematch model (metadata format is " + meta.get("format") + ")");
        }
        int version = intValue(meta, "format_version", name);
        if (version < 1 || version > FORMAT_VERSION) {
            throw new ScorematchException(name + ": format version " + version + " is newer than this library reads ("
                    + FORMAT_VERSION + "); upgrade scorematch");
        }
        Architecture arch = architecture(meta, name);
        Map<String, SafeTensors.Tensor> tensors = contents.tensors();

        double[] theta = new double[arch.network().parameterCount()];
        Set<String> expected = new HashSet<>();
        List<Op> ops = arch.network().ops();
        for (int i = 0; i < ops.size(); i++) {
            if (ops.get(i) instanceof Op.Affine a) {
                copy(tensors, i + ".weight", new long[] {a.out(), a.in()}, theta, a.weightOffset(), name);
                copy(tensors, i + ".bias", new long[] {a.out()}, theta, a.biasOffset(), name);
                expected.add(i + ".weight");
                expected.add(i + ".bias");
            }
        }
        int d = arch.dimension();
        double[] mean = new double[d];
        double[] scale = new double[d];
        copy(tensors, "standardization.mean", new long[] {d}, mean, 0, name);
        copy(tensors, "standardization.scale", new long[] {d}, scale, 0, name);
        expected.add("standardization.mean");
        expected.add("standardization.scale");
        Map<String, double[]> extras = new LinkedHashMap<>();
        for (var t : tensors.entrySet()) {
            if (t.getKey().startsWith(CHECKPOINT_PREFIX)) {
                extras.put(t.getKey(), t.getValue().values());
            } else if (!expected.contains(t.getKey())) {
                throw new ScorematchException(name + ": unexpected tensor '" + t.getKey() + "' for a "
                        + meta.get("architecture") + " model");
            }
        }
        Standardization standardization;
        try {
            standardization = new Standardization(mean, scale);
        } catch (IllegalArgumentException e) {
            throw new ScorematchException(name + ": invalid standardisation: " + e.getMessage());
        }
        List<String> columns = columns(meta, d, name);
        Map<String, String> info = new LinkedHashMap<>();
        Map<String, String> extraMeta = new LinkedHashMap<>();
        meta.forEach((k, v) -> {
            if (k.startsWith("train.")) {
                info.put(k.substring("train.".length()), v);
            } else if (k.startsWith(CHECKPOINT_PREFIX)) {
                extraMeta.put(k, v);
            }
        });
        Model model = Model.of(arch, theta);
        return new Parsed(TrainedModel.of(model, standardization, columns, info), extras, extraMeta);
    }

    private static Architecture architecture(Map<String, String> meta, String name) {
        Architecture.Kind kind;
        try {
            kind = Architecture.Kind.fromId(require(meta, "kind", name));
        } catch (ScorematchException e) {
            throw new ScorematchException(name + ": " + e.getMessage());
        }
        int d = intValue(meta, "dimension", name);
        if (d < 1 || d > 1_000_000) {
            throw new ScorematchException(name + ": dimension " + d + " is out of range");
        }
        NoiseLadder ladder = null;
        if (meta.containsKey("noise_levels")) {
            try {
                String[] parts = meta.get("noise_levels").split(",");
                double[] sig = new double[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    sig[i] = Double.parseDouble(parts[i]);
                }
                ladder = NoiseLadder.of(sig);
            } catch (IllegalArgumentException e) {
                throw new ScorematchException(name + ": invalid noise_levels: " + e.getMessage());
            }
        }
        String architecture = require(meta, "architecture", name);
        try {
            boolean mlp = architecture.equals("mlp");
            int[] hidden = mlp ? Architecture.parseWidths(require(meta, "hidden", name)) : new int[0];
            Activation activation = mlp ? Activation.fromId(require(meta, "activation", name)) : null;
            if (meta.containsKey("sde")) {
                if (!mlp) {
                    throw new ScorematchException(name + ": a diffusion model is an mlp, not " + architecture);
                }
                return Architecture.diffusion(kind, d, hidden, activation, Sde.parse(meta.get("sde")),
                        Double.parseDouble(require(meta, "sde_epsilon", name)));
            }
            return Architecture.named(architecture, kind, d, hidden, activation, ladder);
        } catch (ScorematchException e) {
            throw new ScorematchException(name + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ScorematchException(name + ": inconsistent architecture: " + e.getMessage());
        }
    }

    private static void copy(Map<String, SafeTensors.Tensor> tensors, String t, long[] shape, double[] into,
                             int offset, String name) {
        SafeTensors.Tensor tensor = tensors.get(t);
        if (tensor == null) {
            throw new ScorematchException(name + ": tensor '" + t + "' is missing");
        }
        if (!Arrays.equals(tensor.shape(), shape)) {
            throw new ScorematchException(name + ": tensor '" + t + "' has shape "
                    + Arrays.toString(tensor.shape()).replace(" ", "") + ", the architecture needs "
                    + Arrays.toString(shape));
        }
        System.arraycopy(tensor.values(), 0, into, offset, tensor.values().length);
    }

    private static List<String> columns(Map<String, String> meta, int d, String name) {
        List<String> cols = new ArrayList<>();
        String json = meta.get("columns");
        if (json == null) {
            for (int c = 0; c < d; c++) {
                cols.add("x" + (c + 1));
            }
            return cols;
        }
        try {
            JsonNode arr = JsonText.tree(json);
            if (arr == null || !arr.isArray() || arr.size() != d) {
                throw new ScorematchException(name + ": metadata 'columns' must list " + d + " names");
            }
            arr.forEach(n -> cols.add(n.asText()));
            return cols;
        } catch (JsonProcessingException e) {
            throw new ScorematchException(name + ": metadata 'columns' is not a JSON array");
        }
    }

    private static String require(Map<String, String> meta, String key, String name) {
        String v = meta.get(key);
        if (v == null) {
            throw new ScorematchException(name + ": metadata '" + key + "' is missing");
        }
        return v;
    }

    private static int intValue(Map<String, String> meta, String key, String name) {
        try {
            return Integer.parseInt(require(meta, key, name));
        } catch (NumberFormatException e) {
            throw new ScorematchException(name + ": metadata '" + key + "' is not an integer");
        }
    }

    private static double[] slice(double[] a, int from, int len) {
        return java.util.Arrays.copyOfRange(a, from, from + len);
    }

    private static String libraryVersion() {
        String v = ModelFile.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }
}
