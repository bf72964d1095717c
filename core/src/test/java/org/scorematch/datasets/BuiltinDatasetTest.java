package org.scorematch.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.scorematch.ScorematchException;
import org.scorematch.data.Dataset;
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

    /**
     * The toys follow the distributions their descriptions state, checked on 20 000 draws with
     * bounds of 5 standard errors (false failure below 1e-6 per check): rings put half the draws
     * on each radius, with radial noise of sd 0.1 and no preferred angle; the 8 dark squares of
     * the checkerboard get 1/8 each and are filled uniformly; moons lie on the two unit half
     * circles of scikit-learn's {@code make_moons}, mapped by {@code 2(x − (0.5, 0.25))} (circles
     * of radius 2 about (−1, −0.5), upper half, and (1, 0.5), lower half), half the draws on each,
     * with noise sd 0.1 added after the mapping; spirals lie on the arms {@code ±(t/2.5)(−cos t, sin t)}, t = 3π√U, so
     * that {@code (2.5 r/3π)²} is uniform on [0, 1] (4000 draws; the 0.005 beyond 5 standard
     * errors is the grid's and the noise's blur of t).
     */
    @Test
    void toysFollowTheirStatedDistributions() {
        int n = 20_000;
        double se = 0.5 / Math.sqrt(n);
        double[] rings = BuiltinDataset.RINGS.load(n, new SplittableRandom(5)).values().toArray();
        int inner = 0;
        double residual2 = 0;
        double cos = 0;
        for (int i = 0; i < rings.length; i += 2) {
            double r = Math.hypot(rings[i], rings[i + 1]);
            double radius = Math.abs(r - 2) < Math.abs(r - 4) ? 2 : 4;
            inner += radius == 2 ? 1 : 0;
            residual2 += (r - radius) * (r - radius) / n;
            cos += rings[i] / r / n;
        }
        assertThat(inner / (double) n).isCloseTo(0.5, org.assertj.core.data.Offset.offset(5 * se));
        assertThat(Math.sqrt(residual2)).isCloseTo(0.1, org.assertj.core.data.Offset.offset(0.005));
        assertThat(cos).isCloseTo(0, org.assertj.core.data.Offset.offset(5 * Math.sqrt(0.5 / n)));

        double[] board = BuiltinDataset.CHECKERBOARD.load(n, new SplittableRandom(6)).values().toArray();
        int[] cells = new int[16];
        double within = 0;
        for (int i = 0; i < board.length; i += 2) {
            int col = (int) Math.floor((board[i] + 4) / 2);
            int row = (int) Math.floor((board[i + 1] + 4) / 2);
            cells[row * 4 + col]++;
            within += ((board[i] + 4) / 2 - col + (board[i + 1] + 4) / 2 - row) / (2.0 * n);
        }
        for (int row = 0; row < 4; row++) {
            for (int col = 0; col < 4; col++) {
                double expected = (row + col) % 2 == 0 ? 1 / 8.0 : 0;
                assertThat(cells[row * 4 + col] / (double) n).as("cell %d,%d", row, col)
                        .isCloseTo(expected, org.assertj.core.data.Offset.offset(5 * Math.sqrt(0.125 * 0.875 / n)));
            }
        }
        assertThat(within).as("uniform inside a square").isCloseTo(0.5,
                org.assertj.core.data.Offset.offset(5 * Math.sqrt(1 / 24.0 / n)));

        double[] moons = BuiltinDataset.MOONS.load(n, new SplittableRandom(7)).values().toArray();
        int upper = 0;
        double moonResidual2 = 0;
        for (int i = 0; i < moons.length; i += 2) {
            double r1 = Math.hypot(moons[i] + 1, moons[i + 1] + 0.5);
            double r2 = Math.hypot(moons[i] - 1, moons[i + 1] - 0.5);
            boolean first = Math.abs(r1 - 2) < Math.abs(r2 - 2);
            double r = first ? r1 : r2;
            upper += first ? 1 : 0;
            moonResidual2 += (r - 2) * (r - 2) / n;
        }
        // 0.01 beyond sampling error: the circles cross, and draws near the crossings may be
        // given to either moon by the nearest-circle rule.
        assertThat(upper / (double) n).isCloseTo(0.5, org.assertj.core.data.Offset.offset(5 * se + 0.01));
        // The halves: the upper half about (−1, −0.5) and the lower about (1, 0.5) put the mean at
        // the origin; a moon flipped to its other half moves it by 2·(4/π)/2 ≈ 1.3 in y.
        for (int c = 0; c < 2; c++) {
            double m = 0;
            double m2 = 0;
            for (int i = c; i < moons.length; i += 2) {
                m += moons[i] / n;
                m2 += moons[i] * moons[i] / n;
            }
            assertThat(m).as("mean of coordinate %d", c).isCloseTo(0,
                    org.assertj.core.data.Offset.offset(5 * Math.sqrt((m2 - m * m) / n)));
        }
        // Noise of sd 0.1 is added after the mapping; the radial residual of isotropic noise has sd
        // 0.1 to first order (a noise factor 2 or 0 would be far off).
        assertThat(Math.sqrt(moonResidual2)).isCloseTo(0.1, org.assertj.core.data.Offset.offset(0.005));

        // Fewer spiral draws: each is matched against a grid of arm points.
        int ns = 4000;
        double[] spirals = BuiltinDataset.SPIRALS.load(ns, new SplittableRandom(8)).values().toArray();
        double u = 0;
        double worst = 0;
        for (int i = 0; i < spirals.length; i += 2) {
            double best = Double.POSITIVE_INFINITY;
            double bestT = 0;
            // The nearest arm point over a fine grid of t, on both arms.
            for (int k = 0; k <= 1500; k++) {
                double t = 3 * Math.PI * k / 1500;
                for (int sign = -1; sign <= 1; sign += 2) {
                    double dx = spirals[i] - sign * (-Math.cos(t) * t) / 2.5;
                    double dy = spirals[i + 1] - sign * (Math.sin(t) * t) / 2.5;
                    double dist = Math.hypot(dx, dy);
                    if (dist < best) {
                        best = dist;
                        bestT = t;
                    }
                }
            }
            worst = Math.max(worst, best);
            u += Math.pow(bestT / (3 * Math.PI), 2) / ns;
        }
        assertThat(worst).as("every draw near an arm (noise sd 0.1)").isLessThan(0.6);
        assertThat(u).as("t = 3π√U").isCloseTo(0.5, org.assertj.core.data.Offset.offset(5 * Math.sqrt(1 / 12.0 / ns) + 0.005));
    }

    /**
     * A seed names the same toy data in every version: the rows equal each recipe replayed from
     * the same generator calls, in order (rings: radius 2 or 4 by nextBoolean, angle 2π·U, noise
     * 0.1·N per coordinate; checkerboard: column nextInt(4), row 2·nextInt(2) + column mod 2, then
     * two uniforms; moons: angle π·U, outer moon when nextBoolean, then 2(· − (0.5, 0.25)) + 0.1·N;
     * spirals: t = 3π√U, sign +1 when nextBoolean, ±(t/2.5)(−cos t, sin t) + 0.1·N). The
     * distribution tests above cannot see a swapped branch or a flipped noise sign; this does.
     */
    @Test
    void seededToysAreTheirRecipes() {
        int n = 30;
        for (BuiltinDataset toy : new BuiltinDataset[] {BuiltinDataset.RINGS, BuiltinDataset.CHECKERBOARD,
                BuiltinDataset.MOONS, BuiltinDataset.SPIRALS}) {
            double[] got = toy.load(n, new SplittableRandom(13)).values().toArray();
            SplittableRandom r = new SplittableRandom(13);
            double[] want = new double[2 * n];
            for (int i = 0; i < n; i++) {
                double a;
                double b;
                switch (toy) {
                    case RINGS -> {
                        double radius = r.nextBoolean() ? 2 : 4;
                        double angle = 2 * Math.PI * r.nextDouble();
                        a = radius * Math.cos(angle) + 0.1 * r.nextGaussian();
                        b = radius * Math.sin(angle) + 0.1 * r.nextGaussian();
                    }
                    case CHECKERBOARD -> {
                        int col = r.nextInt(4);
                        int row = 2 * r.nextInt(2) + col % 2;
                        a = -4 + 2 * col + 2 * r.nextDouble();
                        b = -4 + 2 * row + 2 * r.nextDouble();
                    }
                    case MOONS -> {
                        double angle = Math.PI * r.nextDouble();
                        boolean outer = r.nextBoolean();
                        double u = outer ? Math.cos(angle) : 1 - Math.cos(angle);
                        double v = outer ? Math.sin(angle) : 0.5 - Math.sin(angle);
                        a = 2 * (u - 0.5) + 0.1 * r.nextGaussian();
                        b = 2 * (v - 0.25) + 0.1 * r.nextGaussian();
                    }
                    default -> {
                        double t = Math.sqrt(r.nextDouble()) * 3 * Math.PI;
                        double sign = r.nextBoolean() ? 1 : -1;
                        a = -sign * Math.cos(t) * t / 2.5 + 0.1 * r.nextGaussian();
                        b = sign * Math.sin(t) * t / 2.5 + 0.1 * r.nextGaussian();
                    }
                }
                want[2 * i] = a;
                want[2 * i + 1] = b;
            }
            assertThat(got).as(toy.id()).containsExactly(want, org.assertj.core.data.Offset.offset(1e-12));
        }
    }

    /** Names and descriptions: synthetic columns are x1, x2, …; lookup ignores case. */
    @Test
    void namesAndDescriptions() {
        assertThat(BuiltinDataset.RING.id()).isEqualTo("ring");
        assertThat(BuiltinDataset.fromId("RING")).isSameAs(BuiltinDataset.RING);
        assertThat(BuiltinDataset.CORRELATED.load(3, new SplittableRandom(1)).columns())
                .containsExactly("x1", "x2", "x3", "x4", "x5");
        for (BuiltinDataset d : BuiltinDataset.values()) {
            assertThat(d.description()).as(d.id()).isNotBlank();
            assertThat(d.target().isPresent()).as(d.id()).isEqualTo(d.description().contains("analytic score"));
            assertThat(d.isReal()).as(d.id()).isEqualTo(d.description().contains("real"));
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
