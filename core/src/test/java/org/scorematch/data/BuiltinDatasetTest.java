package org.scorematch.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.scorematch.ScorematchException;
import org.scorematch.target.AnalyticTargets;
import org.scorematch.target.Target;

class BuiltinDatasetTest {
    @Test
    void everyDataSetLoadsWithItsShape() {
        for (BuiltinDataset d : BuiltinDataset.values()) {
            Dataset data = d.load(500, new SplittableRandom(1));
            int expectedRows = switch (d) {
                case FAITHFUL -> 272;
                case IRIS -> 150;
                case WINE -> 178;
                case DIGITS -> 1797;
                default -> 500;
            };
            int expectedCols = switch (d) {
                case MIXTURE10, FUNNEL -> 10;
                case CORRELATED -> 5;
                case IRIS -> 4;
                case WINE -> 13;
                case DIGITS -> 64;
                default -> 2;
            };
            assertThat(data.rows()).as(d.id()).isEqualTo(expectedRows);
            assertThat(data.dimension()).as(d.id()).isEqualTo(expectedCols);
            for (double v : data.values().toArray()) {
                assertThat(Double.isFinite(v)).isTrue();
            }
        }
        assertThat(BuiltinDataset.IRIS.load(0, null).columns()).doesNotContain("species");
        assertThat(BuiltinDataset.FAITHFUL.load(0, null).columns()).containsExactly("eruptions", "waiting");
        assertThatThrownBy(() -> BuiltinDataset.fromId("mnist")).isInstanceOf(ScorematchException.class)
                .hasMessageContaining("ring").hasMessageContaining("digits");
    }

    /** Checkerboard samples fall on dark squares only; moons and rings have the stated geometry. */
    @Test
    void toysHaveTheirShape() {
        double[] board = BuiltinDataset.CHECKERBOARD.load(2000, new SplittableRandom(2)).values().toArray();
        for (int i = 0; i < board.length; i += 2) {
            int col = (int) Math.floor((board[i] + 4) / 2);
            int row = (int) Math.floor((board[i + 1] + 4) / 2);
            assertThat((col + row) % 2).isZero();
        }
        double[] rings = BuiltinDataset.RINGS.load(2000, new SplittableRandom(3)).values().toArray();
        for (int i = 0; i < rings.length; i += 2) {
            double r = Math.hypot(rings[i], rings[i + 1]);
            assertThat(Math.min(Math.abs(r - 2), Math.abs(r - 4))).isLessThan(0.6);
        }
    }

    /** Analytic scores against central differences of log-densities written out here independently. */
    @Test
    void analyticScoresMatchLogDensityDifferences() {
        check(AnalyticTargets.banana(), x -> -0.5 * x[0] * x[0] - (x[1] - x[0] * x[0]) * (x[1] - x[0] * x[0]) / 0.5);
        check(AnalyticTargets.funnel(4), x -> {
            double v = x[0];
            double lp = -v * v / 18;
            for (int i = 1; i < 4; i++) {
                lp += -0.5 * x[i] * x[i] * Math.exp(-v) - 0.5 * v;
            }
            return lp;
        });
        check(AnalyticTargets.correlatedGaussian(3, 0.8), x -> {
            // AR(1) precision: tridiagonal (1/(1−ρ²)) [1, −ρ; −ρ, 1+ρ², −ρ; −ρ, 1].
            double r = 0.8;
            double c = 1 / (1 - r * r);
            double q = c * (x[0] * x[0] + (1 + r * r) * x[1] * x[1] + x[2] * x[2] - 2 * r * x[0] * x[1]
                    - 2 * r * x[1] * x[2]);
            return -0.5 * q;
        });
    }

    private static void check(Target t, ToDoubleFunction<double[]> logDensity) {
        double[] x = t.sample(20, new SplittableRandom(4));
        double[] s = t.score(x, 20);
        int d = t.dimension();
        double h = 1e-5;
        for (int i = 0; i < 20; i++) {
            for (int c = 0; c < d; c++) {
                double[] p = java.util.Arrays.copyOfRange(x, i * d, (i + 1) * d);
                double[] m = p.clone();
                p[c] += h;
                m[c] -= h;
                double fd = (logDensity.applyAsDouble(p) - logDensity.applyAsDouble(m)) / (2 * h);
                assertThat(s[i * d + c]).as("%s row %d coordinate %d", t.name(), i, c)
                        .isCloseTo(fd, org.assertj.core.data.Offset.offset(1e-5 * Math.max(1, Math.abs(fd))));
            }
        }
    }
}
