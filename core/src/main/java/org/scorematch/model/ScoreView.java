package org.scorematch.model;

import java.util.Arrays;
import org.scorematch.engine.EnergyDerivatives;
import org.scorematch.engine.JetWorkspace;

/**
 * The model score {@code s(x̃, σ)} of either kind of {@link Architecture}, a loss of it, and
 * that loss's θ-gradient, on one slab of an engine run. Objectives that depend on the model
 * only through its score (denoising, multi-scale denoising, explicit) are written once against
 * this view.
 *
 * <p>For an energy, {@code s = −∇ₓE/σ}; the θ-gradient of {@code Σ_b s̄_b·s_b} is that of the
 * first-order jet {@code Σ_b Ė_{u_b}} along {@code u_b = −s̄_b/σ_b} (docs/DESIGN.md §2): one jet and
 * one reverse pass, whatever D. For a score network, {@code s = net/σ} and the gradient is one
 * reverse pass with output adjoint {@code s̄/σ}.
 */
public final class ScoreView {
    private ScoreView() {
    }

    /** A loss of the score on one slab: fills {@code sBar = ∂loss/∂s} (count × D) and returns the loss. */
    @FunctionalInterface
    public interface SlabLoss {
        double apply(double[] s, double[] sBar);
    }

    /**
     * Computes {@code s} for samples {@code first..first+count−1} (network inputs are rows of
     * {@code in}, from {@link Architecture#networkInput}; {@code sigmas} holds each sample's σ and
     * may be null for unconditional models), passes it to {@code loss}, and when {@code grad} is
     * non-null adds the θ-gradient of {@code Σ_b s̄_b·s_b} into it. The forward pass is shared:
     * a score network's reverse pass and an energy's u-jet reuse its values.
     */
    public static double lossAndBackprop(Architecture arch, JetWorkspace ws, double[] theta, double[] in,
                                         double[] sigmas, int first, int count, SlabLoss loss, double[] grad) {
        int d = arch.dimension();
        int width = arch.network().inputDim();
        double[] s = new double[count * d];
        double[] sBar = new double[count * d];
        if (arch.kind() == Architecture.Kind.ENERGY) {
            double[] g = ws.scratch(count * width);
            EnergyDerivatives.inputGradient(ws, theta, in, first, count, g, 0);
            for (int b = 0; b < count; b++) {
                double scale = -1 / sigmaOf(arch, sigmas, first + b);
                for (int c = 0; c < d; c++) {
                    s[b * d + c] = scale * g[b * width + c];
                }
            }
            double value = loss.apply(s, sBar);
            if (grad != null) {
                // Σ s̄·s = Σ u·∇ₓE with u = −s̄/σ: the θ-gradient of one first-order jet along u.
                double[] u = g;
                Arrays.fill(u, 0, count * width, 0.0);
                for (int b = 0; b < count; b++) {
                    double scale = -1 / sigmaOf(arch, sigmas, first + b);
                    for (int c = 0; c < d; c++) {
                        u[b * width + c] = scale * sBar[b * d + c];
                    }
                }
                ws.forwardAlongAgain(u, 0, 1, false);
                double[] adj = ws.outputAdjoint();
                for (int b = 0; b < count; b++) {
                    adj[ws.valueRow(b)] = 0;
                    adj[ws.tangentRow(b, 0)] = 1;
                }
                ws.reverse(grad, null, 0);
            }
            return value;
        }
        ws.forwardValue(theta, in, first, count);
        double[] out = ws.output();
        for (int b = 0; b < count; b++) {
            double scale = 1 / sigmaOf(arch, sigmas, first + b);
            for (int c = 0; c < d; c++) {
                s[b * d + c] = scale * out[b * d + c];
            }
        }
        double value = loss.apply(s, sBar);
        if (grad != null) {
            double[] adj = ws.outputAdjoint();
            for (int b = 0; b < count; b++) {
                double scale = 1 / sigmaOf(arch, sigmas, first + b);
                for (int c = 0; c < d; c++) {
                    adj[b * d + c] = scale * sBar[b * d + c];
                }
            }
            ws.reverse(grad, null, 0);
        }
        return value;
    }

    /**
     * The score at every row of {@code x} (n × D) at noise level {@code sigma} (ignored for
     * unconditional models), as an n × D array.
     */
    public static double[] evaluate(org.scorematch.engine.Engine engine, Architecture arch, double[] theta, double[] x,
                                    int n, double sigma) {
        double[] sigmas = new double[n];
        Arrays.fill(sigmas, sigma);
        double[] in = arch.networkInput(x, n, sigmas);
        double[] s = new double[n * arch.dimension()];
        int d = arch.dimension();
        engine.run(arch.network(), n, 2, (ws, first, count, grad) -> lossAndBackprop(arch, ws, theta, in, sigmas, first,
                count, (part, unused) -> {
                    System.arraycopy(part, 0, s, first * d, count * d);
                    return 0;
                }, null), null);
        return s;
    }

    private static double sigmaOf(Architecture arch, double[] sigmas, int sample) {
        return arch.isConditional() ? sigmas[sample] : 1.0;
    }
}
