package org.scorematch.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.scorematch.ScorematchException;
import org.scorematch.data.Standardization;
import org.scorematch.engine.Network;
import org.scorematch.engine.Op;
import org.scorematch.engine.Activation;
import org.scorematch.model.Architecture;
import org.scorematch.model.Model;
import org.scorematch.model.NoiseLadder;
import org.scorematch.model.TrainedModel;

/**
 * Model files in the safetensors layout (docs/DESIGN.md §6): an 8-byte little-endian header length,
 * a JSON header giving each tensor's dtype, shape and byte offsets plus a {@code __metadata__}
 * map of strings, then the raw little-endian tensors. Hand-written because the layout is a page
 * long and no maintained Java library reads it.
 *
 * <p>Tensor names follow PyTorch's {@code nn.Sequential}: layer i's {@code i.weight} (out × in)
 * and {@code i.bias}, activations being layers too, so {@code net.load_state_dict} accepts them.
 * Parts a Sequential cannot express: a Gaussian energy is {@code ½‖0.weight·x + 0.bias‖²}; a
 * noise-conditional network's input is the standardised data followed by {@code log σ}, and its
 * score (or energy) is the network's output divided by σ; the standardisation is stored as
 * {@code standardization.mean} and {@code standardization.scale} (model inputs are
 * {@code (x − mean)/scale}). Metadata: {@code format} = scorematch, {@code format_version},
 * {@code library_version}, {@code kind} (energy|score), {@code architecture} (mlp|gaussian|linear),
 * {@code dimension}, {@code hidden}, {@code activation}, {@code noise_levels}, {@code columns}
 * (JSON array) and {@code train.*} facts.
 *
 * <p>The reader trusts nothing: header length, JSON, dtypes, shapes and offsets are checked
 * against the file and the architecture before any allocation, and every failure is a
 * {@link ScorematchException} naming the file.
 */
public final class ModelFile {
    /** Version of this layout; readers accept this and older versions. */
    public static final int FORMAT_VERSION = 1;
    /** Largest JSON header accepted (a model's header is a few kilobytes). */
    static final long MAX_HEADER = 16L << 20;
    /** Prefix of the training-state entries a checkpoint adds to a model file. */
    public static final String CHECKPOINT_PREFIX = "checkpoint.";
    private static final ObjectMapper JSON = new ObjectMapper();

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
        Map<String, double[]> tensors = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        double[] theta = model.parameters();
        List<Op> ops = arch.network().ops();
        for (int i = 0; i < ops.size(); i++) {
            if (ops.get(i) instanceof Op.Affine a) {
                tensors.put(i + ".weight", slice(theta, a.weightOffset(), a.in() * a.out()));
                shapes.put(i + ".weight", new long[] {a.out(), a.in()});
                tensors.put(i + ".bias", slice(theta, a.biasOffset(), a.out()));
                shapes.put(i + ".bias", new long[] {a.out()});
            }
        }
        int d = arch.dimension();
        tensors.put("standardization.mean", trained.standardization().mean());
        shapes.put("standardization.mean", new long[] {d});
        tensors.put("standardization.scale", trained.standardization().scale());
        shapes.put("standardization.scale", new long[] {d});

        ObjectNode header = JSON.createObjectNode();
        ObjectNode meta = header.putObject("__metadata__");
        meta.put("format", "scorematch");
        meta.put("format_version", Integer.toString(FORMAT_VERSION));
        meta.put("library_version", libraryVersion());
        meta.put("kind", arch.kind().id());
        meta.put("architecture", architectureName(arch));
        meta.put("dimension", Integer.toString(d));
        if (architectureName(arch).equals("mlp")) {
            meta.put("hidden", hiddenWidths(arch.network()));
            meta.put("activation", activation(arch.network()).id());
        }
        if (arch.isConditional()) {
            StringBuilder sb = new StringBuilder();
            for (double s : arch.ladder().sigmas()) {
                sb.append(sb.length() == 0 ? "" : ",").append(s);
            }
            meta.put("noise_levels", sb.toString());
        }
        ArrayNode cols = JSON.createArrayNode();
        trained.columns().forEach(cols::add);
        meta.put("columns", cols.toString());
        trained.info().forEach((k, v) -> meta.put("train." + k, v));
        extraMetadata.forEach(meta::put);
        extraTensors.forEach((k, v) -> {
            tensors.put(k, v);
            shapes.put(k, new long[] {v.length});
        });

        long offset = 0;
        for (var e : tensors.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "F64");
            ArrayNode shape = t.putArray("shape");
            for (long s : shapes.get(e.getKey())) {
                shape.add(s);
            }
            long bytes = 8L * e.getValue().length;
            ArrayNode offsets = t.putArray("data_offsets");
            offsets.add(offset);
            offsets.add(offset + bytes);
            offset += bytes;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(header);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer buf = ByteBuffer.allocate(8 + padded + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(padded);
        buf.put(json);
        for (int i = json.length; i < padded; i++) {
            buf.put((byte) ' ');
        }
        for (double[] values : tensors.values()) {
            for (double v : values) {
                buf.putDouble(v);
            }
        }
        return buf.array();
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
        if (bytes.length < 8) {
            throw new ScorematchException(name + ": not a model file (" + bytes.length + " bytes, too short)");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = buf.getLong(0);
        if (headerLength < 2 || headerLength > MAX_HEADER || headerLength > bytes.length - 8L) {
            throw new ScorematchException(name + ": header length " + Long.toUnsignedString(headerLength)
                    + " does not fit a file of " + bytes.length + " bytes");
        }
        JsonNode header;
        try {
            header = JSON.readTree(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new ScorematchException(name + ": the header is not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (header == null || !header.isObject()) {
            throw new ScorematchException(name + ": the header is not a JSON object");
        }
        int dataStart = 8 + (int) headerLength;
        int dataLength = bytes.length - dataStart;
        Map<String, String> meta = metadata(header, name);
        if (!"scorematch".equals(meta.get("format"))) {
            throw new ScorematchException(name + ": not a scorematch model (metadata format is " + meta.get("format") + ")");
        }
        int version = intValue(meta, "format_version", name);
        if (version < 1 || version > FORMAT_VERSION) {
            throw new ScorematchException(name + ": format version " + version + " is newer than this library reads ("
                    + FORMAT_VERSION + "); upgrade scorematch");
        }
        Architecture arch = architecture(meta, name);
        Map<String, double[]> tensors = tensors(header, bytes, dataStart, dataLength, name);

        Network net = arch.network();
        double[] theta = new double[net.parameterCount()];
        Set<String> expected = new HashSet<>();
        List<Op> ops = net.ops();
        for (int i = 0; i < ops.size(); i++) {
            if (ops.get(i) instanceof Op.Affine a) {
                copy(tensors, i + ".weight", new long[] {a.out(), a.in()}, theta, a.weightOffset(), name, header);
                copy(tensors, i + ".bias", new long[] {a.out()}, theta, a.biasOffset(), name, header);
                expected.add(i + ".weight");
                expected.add(i + ".bias");
            }
        }
        int d = arch.dimension();
        double[] mean = new double[d];
        double[] scale = new double[d];
        copy(tensors, "standardization.mean", new long[] {d}, mean, 0, name, header);
        copy(tensors, "standardization.scale", new long[] {d}, scale, 0, name, header);
        expected.add("standardization.mean");
        expected.add("standardization.scale");
        Map<String, double[]> extras = new LinkedHashMap<>();
        for (String t : tensors.keySet()) {
            if (t.startsWith(CHECKPOINT_PREFIX)) {
                extras.put(t, tensors.get(t));
            } else if (!expected.contains(t)) {
                throw new ScorematchException(name + ": unexpected tensor '" + t + "' for a " + meta.get("architecture")
                        + " model");
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

    private static Map<String, String> metadata(JsonNode header, String name) {
        JsonNode m = header.get("__metadata__");
        if (m == null || !m.isObject()) {
            throw new ScorematchException(name + ": no __metadata__ in the header; not a scorematch model");
        }
        Map<String, String> meta = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().isTextual()) {
                throw new ScorematchException(name + ": metadata '" + e.getKey() + "' is not a string");
            }
            meta.put(e.getKey(), e.getValue().asText());
        }
        return meta;
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
            return switch (architecture) {
                case "mlp" -> {
                    int[] hidden;
                    try {
                        hidden = Architecture.parseWidths(require(meta, "hidden", name));
                    } catch (ScorematchException e) {
                        throw new ScorematchException(name + ": " + e.getMessage());
                    }
                    yield Architecture.mlp(kind, d, hidden, Activation.fromId(require(meta, "activation", name)), ladder);
                }
                case "gaussian" -> Architecture.energy(Network.quadratic(d));
                case "linear" -> Architecture.linearScore(d);
                default -> throw new ScorematchException(name + ": unknown architecture '" + architecture + "'");
            };
        } catch (IllegalArgumentException e) {
            throw new ScorematchException(name + ": inconsistent architecture: " + e.getMessage());
        }
    }

    private static Map<String, double[]> tensors(JsonNode header, byte[] bytes, int dataStart, int dataLength,
                                                 String name) {
        Map<String, double[]> out = new LinkedHashMap<>();
        List<long[]> ranges = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            String t = e.getKey();
            JsonNode spec = e.getValue();
            JsonNode dtype = spec.get("dtype");
            JsonNode shape = spec.get("shape");
            JsonNode offsets = spec.get("data_offsets");
            if (dtype == null || !dtype.isTextual() || shape == null || !shape.isArray() || offsets == null
                    || !offsets.isArray() || offsets.size() != 2) {
                throw new ScorematchException(name + ": tensor '" + t + "' lacks a dtype, shape or data_offsets");
            }
            int width = switch (dtype.asText()) {
                case "F64" -> 8;
                case "F32" -> 4;
                default -> throw new ScorematchException(name + ": tensor '" + t + "' has dtype " + dtype.asText()
                        + "; expected F64 or F32");
            };
            long count = 1;
            for (JsonNode s : shape) {
                if (!s.canConvertToLong() || s.asLong() < 0 || s.asLong() > Integer.MAX_VALUE) {
                    throw new ScorematchException(name + ": tensor '" + t + "' has an invalid shape " + shape);
                }
                count = Math.multiplyExact(count, s.asLong());
                if (count > dataLength) {
                    throw new ScorematchException(name + ": tensor '" + t + "' of shape " + shape
                            + " is larger than the file");
                }
            }
            if (!offsets.get(0).canConvertToLong() || !offsets.get(1).canConvertToLong()) {
                throw new ScorematchException(name + ": tensor '" + t + "' has non-integer data_offsets");
            }
            long begin = offsets.get(0).asLong();
            long end = offsets.get(1).asLong();
            if (begin < 0 || end < begin || end > dataLength) {
                throw new ScorematchException(name + ": tensor '" + t + "' has data_offsets [" + begin + ", " + end
                        + "] outside the " + dataLength + " data bytes");
            }
            if (end - begin != count * width) {
                throw new ScorematchException(name + ": tensor '" + t + "' has " + (end - begin) + " bytes for "
                        + count + " " + dtype.asText() + " values");
            }
            for (long[] r : ranges) {
                if (begin < r[1] && r[0] < end) {
                    throw new ScorematchException(name + ": tensor '" + t + "' overlaps another tensor's bytes");
                }
            }
            ranges.add(new long[] {begin, end});
            ByteBuffer data = ByteBuffer.wrap(bytes, dataStart + (int) begin, (int) (end - begin)).slice()
                    .order(ByteOrder.LITTLE_ENDIAN);
            double[] values = new double[(int) count];
            for (int i = 0; i < values.length; i++) {
                values[i] = width == 8 ? data.getDouble(8 * i) : data.getFloat(4 * i);
                if (!Double.isFinite(values[i])) {
                    throw new ScorematchException(name + ": tensor '" + t + "' holds a non-finite value at index " + i);
                }
            }
            out.put(t, values);
        }
        return out;
    }

    private static void copy(Map<String, double[]> tensors, String t, long[] shape, double[] into, int offset,
                             String name, JsonNode header) {
        double[] values = tensors.get(t);
        if (values == null) {
            throw new ScorematchException(name + ": tensor '" + t + "' is missing");
        }
        JsonNode actual = header.get(t).get("shape");
        boolean same = actual.size() == shape.length;
        for (int i = 0; same && i < shape.length; i++) {
            same = actual.get(i).asLong() == shape[i];
        }
        if (!same) {
            throw new ScorematchException(name + ": tensor '" + t + "' has shape " + actual + ", the architecture needs "
                    + java.util.Arrays.toString(shape));
        }
        System.arraycopy(values, 0, into, offset, values.length);
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
            JsonNode arr = JSON.readTree(json);
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

    private static String architectureName(Architecture arch) {
        List<Op> ops = arch.network().ops();
        if (ops.size() == 2 && ops.get(1) instanceof Op.HalfSquaredNorm) {
            return "gaussian";
        }
        if (ops.size() == 1) {
            return "linear";
        }
        return "mlp";
    }

    private static String hiddenWidths(Network net) {
        StringBuilder sb = new StringBuilder();
        List<Op> ops = net.ops();
        for (int i = 0; i < ops.size() - 1; i++) {
            if (ops.get(i) instanceof Op.Affine a) {
                sb.append(sb.length() == 0 ? "" : ",").append(a.out());
            }
        }
        return sb.toString();
    }

    private static Activation activation(Network net) {
        for (Op op : net.ops()) {
            if (op instanceof Op.Activate a) {
                return a.activation();
            }
        }
        throw new IllegalStateException("an MLP without activations");
    }

    private static double[] slice(double[] a, int from, int len) {
        return java.util.Arrays.copyOfRange(a, from, from + len);
    }

    private static String libraryVersion() {
        String v = ModelFile.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }
}
