package org.scorematch.objective;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.scorematch.TestEngines;
import org.scorematch.engine.Engine;
import org.scorematch.engine.Network;
import org.scorematch.model.Architecture;
import org.scorematch.engine.Activation;
import org.scorematch.model.NoiseLadder;

/**
 * Losses and parameter gradients of every objective against independent PyTorch
 * implementations of the textbook formulations (nested autograd with {@code create_graph=True},
 * float64), to 1e-10 with agreement {@code |a − b| ≤ tol·max(1, |b|)} (docs/DESIGN.md §5): exact,
 * sliced and SSM-VR on energies and on score networks; single-level denoising on an energy and
 * a score network; multi-scale denoising on noise-conditional ones. The data and the scripts
 * that wrote them are in {@code src/test/resources/reference/}.
 */
class ReferenceValuesTest {
    private static final double TOL = 1e-10;
    private static final Engine ENGINE = TestEngines.TWO_THREADS;

    private static JsonNode load(String name) throws IOException {
        try (InputStream in = ReferenceValuesTest.class.getResourceAsStream("/reference/" + name)) {
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    void energyObjectivesMatchPyTorch() throws IOException {
        JsonNode root = load("energy_objectives.json");
        int checked = 0;
        for (JsonNode c : root.get("cases")) {
            int dim = c.get("dim").asInt();
            int n = c.get("n").asInt();
            int k = c.get("k").asInt();
            Network net = c.get("model").asText().equals("gaussian")
                    ? Network.quadratic(dim)
                    : Network.mlp(dim, ints(c.get("hidden")), Activation.fromId(c.get("activation").asText()));
            double[] theta = doubles(c.get("parameters"));
            double[] x = doubles(c.get("x"));
            double[] v = doubles(c.get("directions"));
            assertThat(theta).hasSize(net.parameterCount());
            for (var entry : scoreMatchingObjectives(k)) {
                JsonNode expected = c.get("objectives").get(entry.getKey());
                double[] grad = new double[theta.length];
                double loss = entry.getValue().lossAndGradientAlong(ENGINE, Architecture.energy(net), theta, x, n, v, grad);
                assertCase(loss, grad, expected, c.get("model").asText() + " D=" + dim + " " + entry.getKey());
                checked++;
            }
        }
        assertThat(checked).isEqualTo(21);
    }

    @Test
    void scoreNetworkObjectivesMatchPyTorch() throws IOException {
        int checked = 0;
        for (JsonNode c : load("score_objectives.json").get("score_networks")) {
            int dim = c.get("dim").asInt();
            int n = c.get("n").asInt();
            int k = c.get("k").asInt();
            Architecture arch = architecture(c, Architecture.Kind.SCORE, null);
            double[] theta = doubles(c.get("parameters"));
            for (var entry : scoreMatchingObjectives(k)) {
                JsonNode expected = c.get("objectives").get(entry.getKey());
                double[] grad = new double[theta.length];
                double loss = entry.getValue().lossAndGradientAlong(ENGINE, arch, theta, doubles(c.get("x")), n,
                        doubles(c.get("directions")), grad);
                assertCase(loss, grad, expected, "score net D=" + dim + " " + entry.getKey());
                checked++;
            }
        }
        assertThat(checked).isEqualTo(9);
    }

    @Test
    void denoisingObjectivesMatchPyTorch() throws IOException {
        int checked = 0;
        for (JsonNode c : load("score_objectives.json").get("denoising")) {
            int dim = c.get("dim").asInt();
            int n = c.get("n").asInt();
            boolean multiscale = c.get("sigma").isNull();
            NoiseLadder ladder = c.get("conditional").asBoolean() ? NoiseLadder.of(doubles(c.get("ladder"))) : null;
            Architecture arch = architecture(c, Architecture.Kind.fromId(c.get("kind").asText()), ladder);
            DenoisingScoreMatching obj = multiscale ? DenoisingScoreMatching.multiScale()
                    : DenoisingScoreMatching.singleLevel(c.get("sigma").asDouble());
            double[] theta = doubles(c.get("parameters"));
            double[] grad = new double[theta.length];
            double loss = obj.lossAndGradientWith(ENGINE, arch, theta, doubles(c.get("x")), n,
                    doubles(c.get("sigmas")), doubles(c.get("eps")), grad);
            assertCase(loss, grad, c, arch.kind().id() + " " + obj.id() + " D=" + dim);
            checked++;
        }
        assertThat(checked).isEqualTo(4);
    }

    private static void assertCase(double loss, double[] grad, JsonNode expected, String what) {
        assertAgrees(loss, expected.get("loss").asDouble(), what + " loss");
        double[] g = doubles(expected.get("gradient"));
        assertThat(grad).hasSameSizeAs(g);
        for (int p = 0; p < g.length; p++) {
            assertAgrees(grad[p], g[p], what + " gradient[" + p + "]");
        }
    }

    private static void assertAgrees(double actual, double expected, String what) {
        assertThat(Math.abs(actual - expected)).as("%s: %s vs %s", what, actual, expected)
                .isLessThanOrEqualTo(TOL * Math.max(1, Math.abs(expected)));
    }

    /** The three score-matching objectives under the names the reference files use, with k Gaussian directions. */
    private static java.util.List<java.util.Map.Entry<String, ScoreMatching>> scoreMatchingObjectives(int k) {
        return java.util.List.of(java.util.Map.entry("exact", ScoreMatching.exact()),
                java.util.Map.entry("sliced", ScoreMatching.sliced(k, Projection.GAUSSIAN)),
                java.util.Map.entry("sliced_vr", ScoreMatching.slicedVarianceReduced(k, Projection.GAUSSIAN)));
    }

    /** The MLP a reference case describes ({@code dim}, {@code hidden}, {@code activation}). */
    private static Architecture architecture(JsonNode c, Architecture.Kind kind, NoiseLadder ladder) {
        return Architecture.mlp(kind, c.get("dim").asInt(), ints(c.get("hidden")),
                Activation.fromId(c.get("activation").asText()), ladder);
    }

    private static double[] doubles(JsonNode a) {
        double[] r = new double[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.get(i).asDouble();
        }
        return r;
    }

    private static int[] ints(JsonNode a) {
        int[] r = new int[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.get(i).asInt();
        }
        return r;
    }
}
