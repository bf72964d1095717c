package org.scorematch.objective;

import org.scorematch.engine.EnergyDerivatives;
import org.scorematch.engine.JetSlab;
import org.scorematch.engine.JetWorkspace;
import org.scorematch.model.Architecture;
import org.scorematch.model.ScoreView;

/**
 * A loss of the model score on one slab and its θ-gradient, for objectives that depend on the
 * model only through its score (denoising, multi-scale denoising, explicit), written once for
 * both kinds of model.
 *
 * <p>For an energy, {@code s = −∇ₓE/σ}; the θ-gradient of {@code Σ_b s̄_b·s_b} is that of the
 * first-order jet {@code Σ_b Ė_{u_b}} along {@code u_b = −s̄_b/σ_b} (docs/DESIGN.md §2): one jet and
 * one reverse pass, whatever D. For a score network, {@code s = net/σ} and the gradient is one
 * reverse pass with output adjoint {@code s̄/σ}. Both reuse the forward pass that computed s.
 */
final class ScoreLoss {
    private ScoreLoss() {
    }

    /** A loss of the score on one slab: fills {@code sBar = ∂loss/∂s} (count × D) and returns the loss. */
    @FunctionalInterface
    interface SlabLoss {
        double apply(double[] s, double[] sBar);
    }

    /**
     * Computes {@code s} for samples {@code first..first+count−1} ({@link ScoreView#scoreOfSlab}),
     * passes it to {@code loss}, and when {@code grad} is non-null adds the θ-gradient of
     * {@code Σ_b s̄_b·s_b} into it.
     */
    static double lossAndBackprop(Architecture arch, JetWorkspace ws, double[] theta, double[] in, double[] sigmas,
                                  int first, int count, SlabLoss loss, double[] grad) {
        int d = arch.dimension();
        double[] s = ws.rowValues(count * d);
        double[] sBar = ws.rowAdjoints(count * d);
        JetSlab valuePass = ScoreView.scoreOfSlab(arch, ws, theta, in, sigmas, first, count, s);
        double value = loss.apply(s, sBar);
        if (grad == null) {
            return value;
        }
        if (arch.kind() == Architecture.Kind.ENERGY) {
            // Σ s̄·s = Σ u·∇ₓE with u = −s̄/σ (zero on a noise-conditional input's σ column);
            // without a σ, u = −s̄: s̄ itself with the weight's sign turned.
            if (!arch.isConditional()) {
                EnergyDerivatives.addGradientAlong(ws, sBar, -1, grad);
                return value;
            }
            int width = arch.network().inputDim();
            double[] u = ws.inputScratch(count);
            java.util.Arrays.fill(u, 0, count * width, 0.0);
            for (int b = 0; b < count; b++) {
                double scale = -1 / sigmas[first + b];
                for (int c = 0; c < d; c++) {
                    u[b * width + c] = scale * sBar[b * d + c];
                }
            }
            EnergyDerivatives.addGradientAlong(ws, u, 1, grad);
        } else {
            // sBar is this slab's scratch: scaled in place (by 1/σ for a noise-conditional
            // network), then seeded in one call.
            if (arch.isConditional()) {
                for (int b = 0; b < count; b++) {
                    double scale = 1 / sigmas[first + b];
                    for (int c = 0; c < d; c++) {
                        sBar[b * d + c] *= scale;
                    }
                }
            }
            valuePass.addValueAdjoints(sBar);
            valuePass.backward(grad);
        }
        return value;
    }
}
