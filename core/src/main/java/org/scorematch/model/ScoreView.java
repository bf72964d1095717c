package org.scorematch.model;

import java.util.Arrays;
import org.scorematch.engine.Directions;
import org.scorematch.engine.EnergyDerivatives;
import org.scorematch.engine.Engine;
import org.scorematch.engine.JetSlab;
import org.scorematch.engine.JetWorkspace;

/**
 * The model score {@code s(x̃, σ)} of either kind of {@link Architecture}, on one slab of an
 * engine run or over a batch: for an energy {@code s = −∇ₓE/σ} (a value pass and one reverse
 * pass), for a score network {@code s = net/σ} (a value pass). Objectives that depend on the
 * model only through its score build their losses and θ-gradients on {@link #scoreOfSlab}.
 */
public final class ScoreView {
    private ScoreView() {
    }

    /**
     * Writes the score of samples {@code first..first+count−1} into {@code s} (count × D; network
     * inputs are rows of {@code in}, from {@link Architecture#networkInput}; {@code sigmas} holds
     * each sample's σ and may be null for unconditional models). For a score network, returns
     * the slab of the value pass: seeding its values' adjoints and calling
     * {@link JetSlab#backward} gives the θ-gradient of {@code Σ seed·net}. For an energy, returns
     * null: the workspace keeps the value pass for {@link EnergyDerivatives#addGradientAlong}, and
     * the input gradient in its {@link JetWorkspace#inputScratch}.
     */
    public static JetSlab scoreOfSlab(Architecture arch, JetWorkspace ws, double[] theta, double[] in,
                                      double[] sigmas, int first, int count, double[] s) {
        int d = arch.dimension();
        if (arch.kind() == Architecture.Kind.ENERGY) {
            int width = arch.network().inputDim();
            double[] g = ws.inputScratch(count);
            EnergyDerivatives.inputGradient(ws, theta, in, first, count, g, 0);
            for (int b = 0; b < count; b++) {
                double scale = -1 / sigmaOf(arch, sigmas, first + b);
                for (int c = 0; c < d; c++) {
                    s[b * d + c] = scale * g[b * width + c];
                }
            }
            return null;
        }
        JetSlab slab = ws.forward(theta, in, first, count, Directions.none(), false);
        slab.values(s);
        if (arch.isConditional()) {
            for (int b = 0; b < count; b++) {
                double scale = 1 / sigmas[first + b];
                for (int c = 0; c < d; c++) {
                    s[b * d + c] *= scale;
                }
            }
        }
        return slab;
    }

    /**
     * The score at every row of {@code x} (n × D) at noise level {@code sigma} (ignored for
     * unconditional models), as an n × D array.
     */
    public static double[] evaluate(Engine engine, Architecture arch, double[] theta, double[] x, int n, double sigma) {
        double[] sigmas = new double[n];
        Arrays.fill(sigmas, sigma);
        double[] in = arch.networkInput(x, n, sigmas);
        double[] s = new double[n * arch.dimension()];
        int d = arch.dimension();
        engine.run(arch.network(), n, 2, (ws, first, count, grad) -> {
            double[] part = new double[count * d];
            scoreOfSlab(arch, ws, theta, in, sigmas, first, count, part);
            System.arraycopy(part, 0, s, first * d, count * d);
            return 0;
        }, null);
        return s;
    }

    /**
     * The exact divergence {@code ∇ₓ·s} at every row of {@code x} (n × D) at noise level
     * {@code sigma}: for a score network {@code (1/σ) Σ_c ∂net_c/∂x_c} from first-order jets along
     * the D basis vectors (only component c of the tangent along e_c enters); for an energy
     * {@code −ΔₓE/σ} by the forward Laplacian. No Hutchinson noise.
     */
    public static double[] divergence(Engine engine, Architecture arch, double[] theta, double[] x, int n,
                                      double sigma) {
        double[] sigmas = new double[n];
        Arrays.fill(sigmas, sigma);
        double[] in = arch.networkInput(x, n, sigmas);
        int d = arch.dimension();
        double scale = arch.isConditional() ? sigma : 1.0;
        double[] div;
        if (arch.kind() == Architecture.Kind.ENERGY) {
            div = EnergyDerivatives.laplacians(engine, arch.network(), theta, in, n, d);
            for (int i = 0; i < n; i++) {
                div[i] = -div[i] / scale;
            }
            return div;
        }
        double[] trace = new double[n];
        engine.run(arch.network(), n, d + 1, (ws, first, count, grad) -> {
            ws.forEachDirectionBlock(theta, in, first, count, Directions.basis(d), false, slab -> {
                for (int b = 0; b < count; b++) {
                    for (int k = 0; k < slab.directions(); k++) {
                        trace[first + b] += slab.tangent(b, k, slab.firstDirection() + k);
                    }
                }
            });
            return 0;
        }, null);
        for (int i = 0; i < n; i++) {
            trace[i] /= scale;
        }
        return trace;
    }

    /**
     * Hutchinson's estimate of {@code ∇ₓ·s} at every row of {@code x} (n × D) at noise level
     * {@code sigma}: {@code (1/K) Σₖ vₖᵀ(∇ₓs)vₖ} over the K probes of each row ({@code probes},
     * row {@code i·K + k}, D wide; Rademacher probes give an unbiased estimate). For a score
     * network one first-order jet per probe ({@code vᵀ(∇ₓnet)v = v·ṅet_v}, ÷ σ); for an energy one
     * second-order jet per probe ({@code −vᵀ∇²E v/σ}). K jets instead of D, for large D.
     */
    public static double[] divergenceEstimate(Engine engine, Architecture arch, double[] theta, double[] x, int n,
                                              double sigma, double[] probes, int k) {
        double[] sigmas = new double[n];
        Arrays.fill(sigmas, sigma);
        double[] in = arch.networkInput(x, n, sigmas);
        int d = arch.dimension();
        int width = arch.network().inputDim();
        // A noise-conditional network's probes are zero on its log σ column.
        double[] v = probes;
        if (width != d) {
            v = new double[n * k * width];
            for (int r = 0; r < n * k; r++) {
                System.arraycopy(probes, r * d, v, r * width, d);
            }
        }
        boolean energy = arch.kind() == Architecture.Kind.ENERGY;
        double scale = (arch.isConditional() ? sigma : 1.0) * k;
        double[] div = new double[n];
        Directions dirs = Directions.perSample(v, k);
        engine.run(arch.network(), n, k + 2, (ws, first, count, grad) -> {
            ws.forEachDirectionBlock(theta, in, first, count, dirs, energy, slab -> {
                for (int b = 0; b < count; b++) {
                    if (energy) {
                        div[first + b] -= slab.second(b) / scale;
                        continue;
                    }
                    for (int j = 0; j < slab.directions(); j++) {
                        double q = 0;
                        for (int c = 0; c < d; c++) {
                            q += slab.direction(b, j, c) * slab.tangent(b, j, c);
                        }
                        div[first + b] += q / scale;
                    }
                }
            });
            return 0;
        }, null);
        return div;
    }

    /** Sample {@code sample}'s noise level: its σ for noise-conditional models, else 1. */
    public static double sigmaOf(Architecture arch, double[] sigmas, int sample) {
        return arch.isConditional() ? sigmas[sample] : 1.0;
    }
}
