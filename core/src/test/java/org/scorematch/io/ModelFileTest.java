package org.scorematch.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scorematch.ScorematchException;
import org.scorematch.data.Standardization;
import org.scorematch.linalg.Matrix;
import org.scorematch.engine.Activation;
import org.scorematch.model.Architecture;
import org.scorematch.model.EnergyModel;
import org.scorematch.model.Model;
import org.scorematch.model.NoiseLadder;
import org.scorematch.model.ScoreModel;
import org.scorematch.model.TrainedModel;

class ModelFileTest {
    private static final Standardization STD = new Standardization(new double[] {1, -2}, new double[] {0.5, 3});
    private static final Matrix X = Matrix.of(3, 2, 0.3, -1, 1.2, 2.5, -0.7, -4);

    private static List<TrainedModel> everyKind() {
        SplittableRandom rng = new SplittableRandom(9);
        NoiseLadder ladder = NoiseLadder.geometric(4, 0.2, 5);
        List<Model> models = List.of(
                EnergyModel.of(Architecture.mlp(Architecture.Kind.ENERGY, 2, new int[] {6, 5}, Activation.SILU, null), rng),
                ScoreModel.of(Architecture.mlp(Architecture.Kind.SCORE, 2, new int[] {7}, Activation.GELU, null), rng),
                EnergyModel.of(Architecture.mlp(Architecture.Kind.ENERGY, 2, new int[] {4}, Activation.TANH, ladder), rng),
                ScoreModel.of(Architecture.mlp(Architecture.Kind.SCORE, 2, new int[] {4, 4}, Activation.SOFTPLUS, ladder),
                        rng),
                EnergyModel.gaussian(new double[] {0.5, 1}, Matrix.of(2, 2, 2, 0.3, 0.3, 1)),
                ScoreModel.of(Architecture.linearScore(2), rng),
                ScoreModel.of(Architecture.diffusion(Architecture.Kind.SCORE, 2, new int[] {5}, Activation.SILU,
                        org.scorematch.model.Sde.vp(0.1, 20), 1e-5), rng),
                EnergyModel.of(Architecture.diffusion(Architecture.Kind.ENERGY, 2, new int[] {3, 3}, Activation.TANH,
                        org.scorematch.model.Sde.ve(0.01, 7.5), 1e-3), rng));
        List<TrainedModel> out = new ArrayList<>();
        for (Model m : models) {
            out.add(TrainedModel.of(m, STD, List.of("a", "b"), Map.of("objective", "test", "steps", "3")));
        }
        return out;
    }

    /**
     * The header is written by Jackson's streaming generator; it must be the bytes Jackson's
     * ObjectMapper writes for the same tree (the writer before it, and the one every reader of the
     * format was tested against), for every kind of model, with column names that need escaping.
     */
    @Test
    void headerIsWhatTheObjectMapperWritesForTheSameTree() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        for (TrainedModel m : everyKind()) {
            TrainedModel named = TrainedModel.of(m.model(), STD, List.of("a \"b\"", "ü\\n"), m.info());
            byte[] bytes = ModelFile.toBytes(named);
            long length = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            String header = new String(bytes, 8, (int) length, StandardCharsets.UTF_8).stripTrailing();
            JsonNode tree = mapper.readTree(header);
            assertThat(header).isEqualTo(mapper.writeValueAsString(tree));
            assertThat(tree.get("__metadata__").get("columns").asText())
                    .isEqualTo(mapper.writeValueAsString(mapper.valueToTree(named.columns())));
        }
    }

    @Test
    void everyModelKindRoundTripsExactly(@TempDir Path dir) {
        for (TrainedModel m : everyKind()) {
            Path f = dir.resolve("m.safetensors");
            ModelFile.save(m, f);
            TrainedModel back = ModelFile.load(f);
            assertThat(back.model().parameters()).containsExactly(m.model().parameters());
            assertThat(back.model().architecture().toString()).isEqualTo(m.model().architecture().toString());
            // Only diffusion models need version 2: the others stay readable by version-1 readers.
            assertThat(new String(ModelFile.toBytes(m), java.nio.charset.StandardCharsets.ISO_8859_1))
                    .contains("\"format_version\":\"" + (m.model().architecture().sde() != null ? 2 : 1) + "\"");
            assertThat(back.standardization()).isEqualTo(STD);
            assertThat(back.columns()).containsExactly("a", "b");
            assertThat(back.info()).containsEntry("objective", "test");
            assertThat(back.score(X)).isEqualTo(m.score(X));
            if (m.model() instanceof EnergyModel) {
                assertThat(back.energy(X)).containsExactly(m.energy(X));
            } else {
                assertThatThrownBy(() -> back.energy(X)).hasMessageContaining("score model: it has no energy");
            }
        }
    }

    /** Files written by format version 1 must keep reading to the same values. */
    @Test
    void goldenFilesStillRead() throws IOException {
        JsonNode expected = new ObjectMapper().readTree(resource("/golden/expected-v1.json"));
        Matrix points = Matrix.of(3, 2, doubles(expected.get("points")));
        TrainedModel energy = ModelFile.fromBytes(resource("/golden/energy-v1.safetensors"), "energy-v1");
        TrainedModel score = ModelFile.fromBytes(resource("/golden/conditional-score-v1.safetensors"), "score-v1");
        assertClose(energy.energy(points), doubles(expected.get("energy")));
        assertClose(energy.score(points).toArray(), doubles(expected.get("energy_score")));
        assertClose(score.score(points).toArray(), doubles(expected.get("conditional_score")));
        assertThat(energy.columns()).containsExactly("eruptions", "waiting");
    }

    /**
     * An independent reader of the documented layout (plain byte parsing and a hand-written MLP
     * forward pass, none of the library's IO or engine) gives the same energies.
     */
    @Test
    void independentJavaReaderAgrees(@TempDir Path dir) throws IOException {
        TrainedModel m = everyKind().get(0);
        Path f = dir.resolve("m.safetensors");
        ModelFile.save(m, f);
        byte[] bytes = Files.readAllBytes(f);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int n = (int) buf.getLong(0);
        JsonNode header = new ObjectMapper().readTree(new String(bytes, 8, n, StandardCharsets.UTF_8));
        double[] mean = tensor(header, "standardization.mean", bytes, 8 + n);
        double[] scale = tensor(header, "standardization.scale", bytes, 8 + n);
        double[] expected = m.energy(X);
        for (int r = 0; r < X.rows(); r++) {
            double[] h = new double[2];
            double logScale = 0;
            for (int c = 0; c < 2; c++) {
                h[c] = (X.get(r, c) - mean[c]) / scale[c];
                logScale += Math.log(scale[c]);
            }
            for (int layer : new int[] {0, 2, 4}) {
                JsonNode shape = header.get(layer + ".weight").get("shape");
                int out = shape.get(0).asInt();
                int in = shape.get(1).asInt();
                double[] w = tensor(header, layer + ".weight", bytes, 8 + n);
                double[] b = tensor(header, layer + ".bias", bytes, 8 + n);
                double[] z = new double[out];
                for (int i = 0; i < out; i++) {
                    z[i] = b[i];
                    for (int j = 0; j < in; j++) {
                        z[i] += w[i * in + j] * h[j];
                    }
                    if (layer != 4) {
                        z[i] = z[i] / (1 + Math.exp(-z[i]));
                    }
                }
                h = z;
            }
            assertThat(h[0] + logScale).isCloseTo(expected[r], org.assertj.core.data.Offset.offset(1e-12));
        }
    }

    /** The README's numpy snippet reads the same file and gives the same energies and scores. */
    @Test
    void pythonSnippetAgrees(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(pythonWithNumpy(), "python3 with numpy is not available: Python interop check skipped");
        TrainedModel m = everyKind().get(0);
        Path f = dir.resolve("m.safetensors");
        ModelFile.save(m, f);
        Path csv = dir.resolve("x.csv");
        CsvData.write(csv, List.of("a", "b"), X);
        Path script = Path.of("../python/scorematch_model.py");
        Process p = new ProcessBuilder("python3", script.toString(), f.toString(), csv.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        String[] lines = out.strip().split("\n");
        double[] e = m.energy(X);
        Matrix s = m.score(X);
        for (int r = 0; r < X.rows(); r++) {
            String[] cells = lines[r].split(",");
            assertThat(Double.parseDouble(cells[0])).isCloseTo(e[r], org.assertj.core.data.Offset.offset(1e-10));
            for (int c = 0; c < 2; c++) {
                assertThat(Double.parseDouble(cells[1 + c])).isCloseTo(s.get(r, c),
                        org.assertj.core.data.Offset.offset(1e-10));
            }
        }
    }

    @Test
    void hostileAndBrokenFilesGiveClearErrors() {
        byte[] good = ModelFile.toBytes(everyKind().get(0));
        byte[] huge = good.clone();
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(0, Long.MIN_VALUE);
        assertThatThrownBy(() -> ModelFile.fromBytes(huge, "h.safetensors")).isInstanceOf(ScorematchException.class)
                .hasMessageContaining("h.safetensors: header length 9223372036854775808 does not fit");
        assertThatThrownBy(() -> ModelFile.fromBytes(java.util.Arrays.copyOf(good, good.length - 10), "t.safetensors"))
                .hasMessageContaining("t.safetensors: tensor").hasMessageContaining("outside the");
        assertThatThrownBy(() -> ModelFile.fromBytes(new byte[3], "s.safetensors")).hasMessageContaining("too short");
        assertThatThrownBy(() -> ModelFile.fromBytes(edit(good, "\"F64\"", "\"I64\""), "d.safetensors"))
                .hasMessageContaining("dtype I64; expected F64 or F32");
        assertThatThrownBy(() -> ModelFile.fromBytes(edit(good, "\"data_offsets\":[0,", "\"data_offsets\":[9999999,"),
                "o.safetensors")).hasMessageContaining("outside the");
        assertThatThrownBy(() -> ModelFile.fromBytes(edit(good, "\"format_version\":\"1\"", "\"format_version\":\"9\""),
                "v.safetensors")).hasMessageContaining("format version 9 is newer");
        assertThatThrownBy(() -> ModelFile.fromBytes(edit(good, "\"hidden\":\"6,5\"", "\"hidden\":\"6,4\""),
                "a.safetensors")).hasMessageContaining("has shape");
    }

    /**
     * Seeded random mutations of valid files (bytes flipped, cut, inserted; header length and
     * JSON text altered): only the library's own error type ever escapes, and a mutant that loads
     * (a flip inside tensor data, say) is a consistent model: written again and read back it has
     * the same parameters bit for bit and the same metadata. Both outcomes occur. 10⁴ cases; set
     * -Dscorematch.fuzz.cases for a longer run.
     */
    @Test
    void fuzzedFilesFailOnlyWithTheLibrarysError() {
        int cases = Integer.getInteger("scorematch.fuzz.cases", 10_000);
        List<byte[]> seeds = new ArrayList<>();
        for (TrainedModel m : everyKind()) {
            seeds.add(ModelFile.toBytes(m));
        }
        SplittableRandom rng = new SplittableRandom(42);
        int accepted = 0;
        for (int c = 0; c < cases; c++) {
            byte[] b = Fuzz.mutate(seeds.get(rng.nextInt(seeds.size())), rng);
            TrainedModel loaded;
            try {
                loaded = ModelFile.fromBytes(b, "fuzz");
                accepted++;
            } catch (ScorematchException expected) {
                continue;
                // the one permitted failure
            } catch (RuntimeException | Error e) {
                throw new AssertionError("case " + c + " escaped with " + e, e);
            }
            TrainedModel again = ModelFile.fromBytes(ModelFile.toBytes(loaded), "again");
            assertThat(again.model().parameters()).as("case %d", c).containsExactly(loaded.model().parameters());
            assertThat(again.info()).as("case %d", c).isEqualTo(loaded.info());
        }
        assertThat(accepted).isPositive().isLessThan(cases);
    }

    private static byte[] edit(byte[] file, String from, String to) {
        ByteBuffer buf = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int n = (int) buf.getLong(0);
        String header = new String(file, 8, n, StandardCharsets.UTF_8);
        assertThat(header).contains(from);
        String changed = header.replace(from, to);
        byte[] h = changed.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(8 + h.length + file.length - 8 - n).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(h.length).put(h).put(file, 8 + n, file.length - 8 - n);
        return out.array();
    }

    private static double[] tensor(JsonNode header, String name, byte[] bytes, int start) {
        JsonNode offsets = header.get(name).get("data_offsets");
        int b = offsets.get(0).asInt();
        int e = offsets.get(1).asInt();
        ByteBuffer buf = ByteBuffer.wrap(bytes, start + b, e - b).slice().order(ByteOrder.LITTLE_ENDIAN);
        double[] v = new double[(e - b) / 8];
        for (int i = 0; i < v.length; i++) {
            v[i] = buf.getDouble(8 * i);
        }
        return v;
    }

    private static boolean pythonWithNumpy() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ModelFileTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    private static double[] doubles(JsonNode a) {
        double[] r = new double[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.get(i).asDouble();
        }
        return r;
    }

    private static void assertClose(double[] actual, double[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            assertThat(actual[i]).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-12 * Math.max(1,
                    Math.abs(expected[i]))));
        }
    }

}
