package org.scorematch.objective;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.scorematch.engine.Engine;
import org.scorematch.engine.Network;
import org.scorematch.model.Architecture;
import org.scorematch.model.Activation;

/**
 * Losses and parameter gradients of the exact, sliced and SSM-VR objectives against an
 * independent PyTorch implementation of the textbook formulations (nested autograd, float64),
 * to 1e-10 with agreement {@code |a − b| ≤ tol·max(1, |b|)} (DESIGN.md §5). The data and the
 * script that wrote them are in {@code src/test/resources/reference/}.
 */
class ReferenceValuesTest {
    private static final double TOL = 1e-10;
    private static final Engine ENGINE = Engine.create(2);

    @AfterAll
    static void close() {
        ENGINE.close();
    }

    @Test
    void matchesPyTorchNestedAutograd() throws IOException {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("/reference/energy_objectives.json")) {
            root = new ObjectMapper().readTree(in);
        }
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
            for (var entry : java.util.List.of(
                    java.util.Map.entry("exact", ScoreMatching.exact()),
                    java.util.Map.entry("sliced", ScoreMatching.sliced(k, Projection.GAUSSIAN)),
                    java.util.Map.entry("sliced_vr", ScoreMatching.slicedVarianceReduced(k, Projection.GAUSSIAN)))) {
                JsonNode expected = c.get("objectives").get(entry.getKey());
                double[] grad = new double[theta.length];
                double loss = entry.getValue().lossAndGradientAlong(ENGINE, Architecture.energy(net), theta, x, n, v, grad);
                String what = c.get("model").asText() + " D=" + dim + " " + entry.getKey();
                assertAgrees(loss, expected.get("loss").asDouble(), what + " loss");
                double[] g = doubles(expected.get("gradient"));
                for (int p = 0; p < g.length; p++) {
                    assertAgrees(grad[p], g[p], what + " gradient[" + p + "]");
                }
                checked++;
            }
        }
        assertThat(checked).isEqualTo(18);
    }

    private static void assertAgrees(double actual, double expected, String what) {
        assertThat(Math.abs(actual - expected)).as("%s: %s vs %s", what, actual, expected)
                .isLessThanOrEqualTo(TOL * Math.max(1, Math.abs(expected)));
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
