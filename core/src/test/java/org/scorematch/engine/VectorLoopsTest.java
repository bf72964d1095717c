package org.scorematch.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.scorematch.engine.TestBuffers.buffer;
import static org.scorematch.engine.TestBuffers.round;

import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.scorematch.TestNetworks;

/**
 * The activation rule's loops, which run in SIMD lanes when the Vector API module is present
 * ({@link Kernels#VECTORS}), against the same formulas written here as plain scalar loops: bit for
 * bit equal, in both precisions, for widths that are and are not multiples of the lane count, with
 * and without second-order rows. Surefire runs this class twice, with the module and without it
 * (core/pom.xml, execution scalar-loops), so both paths are held to the same numbers; the flag
 * must follow the module.
 */
class VectorLoopsTest {
    @Test
    void theFlagFollowsTheModule() {
        boolean module = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        System.out.println("Vector API module " + (module ? "present" : "absent") + ": "
                + (Kernels.VECTORS ? "SIMD" : "scalar") + " jet loops");
        assertThat(Kernels.VECTORS).isEqualTo(module && !"false".equals(System.getProperty("scorematch.vector")));
    }

    @Test
    void activationRuleMatchesScalarLoopsBitForBit() {
        RandomGenerator rng = TestNetworks.rng(17);
        for (Precision precision : Precision.values()) {
            for (int trial = 0; trial < 40; trial++) {
                check(Kernels.of(precision), 1 + rng.nextInt(4), rng.nextInt(4), 1 + rng.nextInt(70),
                        rng.nextBoolean(), rng);
            }
        }
    }

    private static void check(Kernels k, int nb, int dirs, int wd, boolean second, RandomGenerator rng) {
        int rows = JetPass.rowsFor(nb, dirs, second);
        JetPass p = new JetPass(k, 1, 1, rows);
        p.nb = nb;
        p.k = dirs;
        p.second = second;
        p.rows = rows;
        int n = rows * wd;
        double[] z = round(k, TestNetworks.gaussian(n, rng));
        double[] g = round(k, TestNetworks.gaussian(n, rng));
        double[] s1 = round(k, TestNetworks.gaussian(n, rng));
        double[] s2 = round(k, TestNetworks.gaussian(n, rng));
        double[] s3 = round(k, TestNetworks.gaussian(n, rng));
        Buffer zb = buffer(k, z);
        Buffer gb = buffer(k, g);
        Buffer d1 = buffer(k, s1);
        Buffer d2 = buffer(k, s2);
        Buffer d3 = buffer(k, s3);
        Buffer a = k.allocate(n);
        Buffer sq = k.allocate(n);
        Buffer gz = k.allocate(n);
        k.activateForward(p, wd, zb, a, d1, d2, sq);
        k.activateReverse(p, wd, zb, gb, gz, d1, d2, d3, sq, k.allocate(wd), k.allocate(wd));

        // The scalar formulas in the working precision: every operation rounded as the kernels round it.
        double[] ea = new double[n];
        double[] esq = new double[n];
        double[] egz = new double[n];
        for (int b = 0; b < nb; b++) {
            int vb = b * wd;
            for (int d = 0; d < dirs; d++) {
                int r = p.tangentRow(b, d) * wd;
                for (int j = 0; j < wd; j++) {
                    ea[r + j] = k.round(s1[vb + j] * z[r + j]);
                    if (second) {
                        esq[vb + j] = k.round(esq[vb + j] + k.round(z[r + j] * z[r + j]));
                    }
                }
            }
            if (second) {
                int r = p.secondRow(b) * wd;
                for (int j = 0; j < wd; j++) {
                    ea[r + j] = k.round(k.round(s2[vb + j] * esq[vb + j]) + k.round(s1[vb + j] * z[r + j]));
                }
            }
            int sr = second ? p.secondRow(b) * wd : -1;
            for (int j = 0; j < wd; j++) {
                double c = second ? k.round(k.round(2 * g[sr + j]) * s2[vb + j]) : 0;
                double sum = 0;
                for (int d = 0; d < dirs; d++) {
                    int r = p.tangentRow(b, d) * wd;
                    sum = k.round(sum + k.round(g[r + j] * z[r + j]));
                    egz[r + j] = k.round(k.round(g[r + j] * s1[vb + j]) + k.round(c * z[r + j]));
                }
                double value = k.round(k.round(g[vb + j] * s1[vb + j]) + k.round(s2[vb + j] * sum));
                if (second) {
                    double inner = k.round(k.round(s3[vb + j] * esq[vb + j]) + k.round(s2[vb + j] * z[sr + j]));
                    value = k.round(value + k.round(g[sr + j] * inner));
                    egz[sr + j] = k.round(g[sr + j] * s1[vb + j]);
                }
                egz[vb + j] = value;
            }
        }
        String what = k.precision() + " nb=" + nb + " k=" + dirs + " width=" + wd + " second=" + second;
        assertThat(values(k, a, n)).as("forward, " + what).containsExactly(ea);
        assertThat(values(k, gz, n)).as("reverse, " + what).containsExactly(egz);
    }

    @Test
    void biasAdditionMatchesScalarLoopsBitForBit() {
        RandomGenerator rng = TestNetworks.rng(18);
        for (Precision precision : Precision.values()) {
            Kernels k = Kernels.of(precision);
            for (int trial = 0; trial < 20; trial++) {
                int nb = 1 + rng.nextInt(5);
                int o = 1 + rng.nextInt(70);
                int offset = rng.nextInt(30);
                double[] w = round(k, TestNetworks.gaussian(offset + o, rng));
                double[] z = round(k, TestNetworks.gaussian(nb * o, rng));
                JetPass p = new JetPass(k, 1, w.length, nb);
                k.load(w, 0, p.weights, 0, w.length);
                p.nb = nb;
                Buffer zb = buffer(k, z);
                k.addBias(p, o, offset, zb);
                double[] expected = new double[nb * o];
                for (int b = 0; b < nb; b++) {
                    for (int j = 0; j < o; j++) {
                        expected[b * o + j] = k.round(z[b * o + j] + w[offset + j]);
                    }
                }
                assertThat(values(k, zb, nb * o)).as(precision + " width " + o).containsExactly(expected);
            }
        }
    }

    /**
     * SiLU's activation pass (in single precision with the module, one pass in lanes: VectorSilu) against
     * VectorExp's scalar loops and the sigmoid's formulas written here, bit for bit; some inputs
     * lie beyond the exponential's polynomial range (|z| > 88 in float32, > 700 in float64) or
     * are not finite, where the lanes must hand over to the exact scalar pass.
     */
    @Test
    void siluMatchesScalarLoopsBitForBit() {
        RandomGenerator rng = TestNetworks.rng(19);
        double[] extreme = {100, -100, 800, -800, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            88.5, -88.5, 88, -88, 700, -700};
        for (Precision precision : Precision.values()) {
            Kernels k = Kernels.of(precision);
            for (int trial = 0; trial < 40; trial++) {
                // Some layers longer than the kernels' chunks for the SIMD pass (1024 values).
                int n = trial % 5 == 4 ? 1000 + rng.nextInt(2500) : 1 + rng.nextInt(200);
                double[] z = TestNetworks.gaussian(n, rng);
                for (int i = 0; i < n; i++) {
                    z[i] *= 4;
                    if (trial % 4 == 0 && rng.nextInt(40) == 0) {
                        z[i] = extreme[rng.nextInt(extreme.length)];
                    }
                }
                round(k, z);
                double[] e = negExp(precision, z);
                double[][] expected = new double[4][n];
                for (int i = 0; i < n; i++) {
                    double x = z[i];
                    double s = k.round(1 / k.round(1 + e[i]));
                    double p = k.round(s * k.round(1 - s));
                    double r = k.round(1 - k.round(2 * s));
                    expected[0][i] = k.round(x * s);
                    expected[1][i] = k.round(s * k.round(1 + k.round(x * k.round(1 - s))));
                    expected[2][i] = k.round(p * k.round(2 + k.round(x * r)));
                    expected[3][i] = k.round(p * k.round(k.round(r * k.round(3 + k.round(x * r)))
                            - k.round(k.round(2 * x) * p)));
                }
                // A pass of value rows alone (curvature false) leaves σ″ and σ‴ out.
                boolean curvature = trial % 2 == 0;
                Buffer[] out = {k.allocate(n), k.allocate(n), k.allocate(n), k.allocate(n)};
                k.activate(Activation.SILU, buffer(k, z), n, out[0], out[1], out[2], out[3], curvature);
                for (int j = 0; j < (curvature ? 4 : 2); j++) {
                    assertThat(values(k, out[j], n)).as("SiLU derivative %d, %s, n=%d", j, precision, n)
                            .containsExactly(expected[j]);
                }
            }
        }
    }

    /** e^(−z) by VectorExp's scalar loops in the precision's own type. */
    private static double[] negExp(Precision precision, double[] z) {
        int n = z.length;
        double[] e = new double[n];
        if (precision == Precision.FLOAT64) {
            VectorExp.negExp(z, 0, n, e);
            return e;
        }
        float[] zf = new float[n];
        float[] ef = new float[n];
        for (int i = 0; i < n; i++) {
            zf[i] = (float) z[i];
        }
        VectorExp.negExp(zf, 0, n, ef);
        for (int i = 0; i < n; i++) {
            e[i] = ef[i];
        }
        return e;
    }

    private static double[] values(Kernels k, Buffer b, int n) {
        double[] v = new double[n];
        k.store(b, 0, v, 0, n);
        return v;
    }
}
