package org.scorematch.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The JSON of the model files' headers: written with Jackson's streaming generator, read into
 * trees by an {@link ObjectMapper} made on the first read. Writing never makes the mapper: its
 * construction (with its default date format, which loads the JDK's calendar and locale data) was
 * most of the 0.1 s a training command's final write took in a fresh JVM, and the generator writes
 * the same bytes as the mapper's serialisation of the same tree.
 */
final class JsonText {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonText() {
    }

    /** What {@link #write} hands its body: the generator, whose {@link IOException}s it reports. */
    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    /** The UTF-8 bytes {@code body} writes, compact. */
    static byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A JSON array of the strings, compact: {@code ["a","b"]}. */
    static String stringArray(List<String> values) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartArray();
            for (String v : values) {
                g.writeString(v);
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The tree of {@code json}. */
    static JsonNode tree(String json) throws JsonProcessingException {
        return Mapper.INSTANCE.readTree(json);
    }

    /** Holds the mapper, so that the class is initialised (and the mapper made) on the first read only. */
    private static final class Mapper {
        static final ObjectMapper INSTANCE = new ObjectMapper();
    }
}
