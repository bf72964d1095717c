package org.scorematch.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scorematch.ScorematchException;

/**
 * The safetensors container (docs/DESIGN.md §6): an 8-byte little-endian header length, a JSON
 * header giving each tensor's dtype, shape and byte offsets plus a {@code __metadata__} map of
 * strings, then the raw little-endian tensors. It knows nothing of models; {@link ModelFile}
 * gives the names their meaning. Hand-written because the layout is a page long and no
 * maintained Java library reads it.
 *
 * <p>The reader trusts nothing: header length, JSON, dtypes, shapes and offsets are checked
 * against the file before any allocation, and every failure is a {@link ScorematchException}
 * naming the file. Tensors are written as F64 and read from F64 or F32.
 */
final class SafeTensors {
    /** Largest JSON header accepted (a model's header is a few kilobytes). */
    static final long MAX_HEADER = 16L << 20;

    private SafeTensors() {
    }

    /** A tensor: its shape and its values in row-major order. */
    record Tensor(long[] shape, double[] values) {
        static Tensor vector(double[] values) {
            return new Tensor(new long[] {values.length}, values);
        }
    }

    /** A container's metadata and tensors, both in file order. */
    record Contents(Map<String, String> metadata, Map<String, Tensor> tensors) {
    }

    /** The container's bytes: the header in the map's order, tensors' data in the same order. */
    static byte[] write(Map<String, String> metadata, Map<String, Tensor> tensors) {
        byte[] json = JsonText.write(g -> {
            g.writeStartObject();
            g.writeObjectFieldStart("__metadata__");
            for (var e : metadata.entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            long offset = 0;
            for (var e : tensors.entrySet()) {
                g.writeObjectFieldStart(e.getKey());
                g.writeStringField("dtype", "F64");
                g.writeArrayFieldStart("shape");
                for (long s : e.getValue().shape()) {
                    g.writeNumber(s);
                }
                g.writeEndArray();
                long bytes = 8L * e.getValue().values().length;
                g.writeArrayFieldStart("data_offsets");
                g.writeNumber(offset);
                g.writeNumber(offset + bytes);
                g.writeEndArray();
                g.writeEndObject();
                offset += bytes;
            }
            g.writeEndObject();
        });
        long offset = 0;
        for (Tensor t : tensors.values()) {
            offset += 8L * t.values().length;
        }
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer buf = ByteBuffer.allocate(8 + padded + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(padded);
        buf.put(json);
        for (int i = json.length; i < padded; i++) {
            buf.put((byte) ' ');
        }
        for (Tensor t : tensors.values()) {
            // In bulk through a little-endian view: value by value, a cold JVM interprets a call per double.
            buf.asDoubleBuffer().put(t.values());
            buf.position(buf.position() + 8 * t.values().length);
        }
        return buf.array();
    }

    /** Parses a container's bytes, checking everything; {@code name} is used in error messages. */
    static Contents read(byte[] bytes, String name) {
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
            header = JsonText.tree(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new ScorematchException(name + ": the header is not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (header == null || !header.isObject()) {
            throw new ScorematchException(name + ": the header is not a JSON object");
        }
        int dataStart = 8 + (int) headerLength;
        return new Contents(metadata(header, name), tensors(header, bytes, dataStart, bytes.length - dataStart, name));
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

    private static Map<String, Tensor> tensors(JsonNode header, byte[] bytes, int dataStart, int dataLength,
                                               String name) {
        Map<String, Tensor> out = new LinkedHashMap<>();
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
            long[] dims = new long[shape.size()];
            long count = 1;
            for (int i = 0; i < dims.length; i++) {
                JsonNode s = shape.get(i);
                if (!s.canConvertToLong() || s.asLong() < 0 || s.asLong() > Integer.MAX_VALUE) {
                    throw new ScorematchException(name + ": tensor '" + t + "' has an invalid shape " + shape);
                }
                dims[i] = s.asLong();
                count = Math.multiplyExact(count, dims[i]);
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
            out.put(t, new Tensor(dims, values));
        }
        return out;
    }
}
