package org.scorematch.engine;

/**
 * Batch evaluations of an energy network and its input derivatives on an {@link Engine}:
 * energies (order-0 jets), input gradients {@code ∇ₓE} (one reverse pass) and Laplacians
 * {@code ΔE} (second-order jets along the basis, the forward Laplacian). Inputs are row-major
 * {@code n × D} arrays.
 */
public final class EnergyDerivatives {
    private EnergyDerivatives() {
    }

    /** {@code E(xᵢ)} for each row. */
    public static double[] energies(Engine engine, Network net, double[] theta, double[] x, int n) {
        double[] e = new double[n];
        engine.run(net, n, 1, (ws, first, count, grad) -> {
            ws.forwardValue(theta, x, first, count);
            System.arraycopy(ws.output(), 0, e, first, count);
            return 0;
        }, null);
        return e;
    }

    /** {@code ∇ₓE(xᵢ)} for each row, as an {@code n × D} array. */
    public static double[] inputGradients(Engine engine, Network net, double[] theta, double[] x, int n) {
        double[] g = new double[n * net.inputDim()];
        engine.run(net, n, 1, (ws, first, count, grad) -> {
            inputGradient(ws, theta, x, first, count, g, first);
            return 0;
        }, null);
        return g;
    }

    /**
     * Writes {@code ∇ₓE} of samples {@code first..first+count−1} into rows {@code gRow..} of
     * {@code g}: a value pass, then a reverse pass seeded with {@code Ē = 1}.
     */
    public static void inputGradient(JetWorkspace ws, double[] theta, double[] x, int first, int count, double[] g,
                                     int gRow) {
        ws.forwardValue(theta, x, first, count);
        java.util.Arrays.fill(ws.outputAdjoint(), 0, count, 1.0);
        ws.reverse(null, g, gRow);
    }

    /**
     * {@code Σ_{c<dim} ∂²E/∂x_c²} for each row, by second-order jets along the first {@code dim}
     * basis vectors (all of them for the Laplacian; a noise-conditional input's last column is
     * left out).
     */
    public static double[] laplacians(Engine engine, Network net, double[] theta, double[] x, int n, int dim) {
        double[] lap = new double[n];
        engine.run(net, n, dim + 2, (ws, first, count, grad) -> {
            forEachDirectionBlock(ws, count, dim, true, (k0, kc) -> {
                ws.forwardBasis(theta, x, first, count, k0, kc, true);
                for (int b = 0; b < count; b++) {
                    lap[first + b] += ws.output()[ws.secondRow(b)];
                }
            });
            return 0;
        }, null);
        return lap;
    }

    /** Receives one block of directions {@code [k0, k0+kc)}. */
    @FunctionalInterface
    public interface DirectionBlock {
        void accept(int k0, int kc);
    }

    /**
     * Splits {@code k} directions into blocks that fit the workspace with {@code count} samples
     * (and a second-order channel when {@code second}). When even one sample's rows do not fit,
     * the engine hands out single-sample slabs and the directions stream through in blocks:
     * second-order parts and squared tangents are sums over directions, so blocks add up exactly.
     * Each block recomputes the value rows; terms of the value alone belong to block {@code k0 = 0}.
     */
    public static void forEachDirectionBlock(JetWorkspace ws, int count, int k, boolean second, DirectionBlock block) {
        if (JetWorkspace.rowsFor(count, k, second) <= ws.maxRows()) {
            block.accept(0, k);
            return;
        }
        if (count != 1) {
            throw new IllegalStateException("direction blocks need single-sample slabs");
        }
        int step = ws.maxRows() - (second ? 2 : 1);
        for (int k0 = 0; k0 < k; k0 += step) {
            block.accept(k0, Math.min(step, k - k0));
        }
    }
}
