package org.scorematch.engine;

/**
 * Batch evaluations of an energy network and its input derivatives on an {@link Engine}:
 * energies (order-0 jets), input gradients {@code ∇ₓE} (one reverse pass) and Laplacians
 * {@code ΔE} (second-order jets along the basis, the forward Laplacian), and the θ-gradients of
 * terms built from {@code ∇ₓE} (the u-jet, docs/DESIGN.md §2). Inputs are row-major
 * {@code n × D} arrays.
 */
public final class EnergyDerivatives {
    private EnergyDerivatives() {
    }

    /** {@code E(xᵢ)} for each row. */
    public static double[] energies(Engine engine, Network net, double[] theta, double[] x, int n) {
        double[] e = new double[n];
        engine.run(net, n, 1, (ws, first, count, grad) -> {
            JetSlab slab = ws.forward(theta, x, first, count, Directions.none(), false);
            for (int b = 0; b < count; b++) {
                e[first + b] = slab.value(b);
            }
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
     * {@code g}: a value pass, then a reverse pass seeded with {@code Ē = 1}. The workspace keeps
     * the value pass for {@link #addGradientAlong}.
     */
    public static void inputGradient(JetWorkspace ws, double[] theta, double[] x, int first, int count, double[] g,
                                     int gRow) {
        JetSlab slab = ws.forward(theta, x, first, count, Directions.none(), false);
        for (int b = 0; b < count; b++) {
            slab.addValueAdjoint(b, 0, 1.0);
        }
        ws.reverse(null, g, gRow);
    }

    /**
     * After {@link #inputGradient} on this slab, adds into {@code grad} the θ-gradient of
     * {@code weight · Σ_b u_b·∇ₓE(x_b)} with {@code u} (rows from 0, count × D) held fixed: the
     * reverse pass of one first-order jet along u, which reuses the value pass (docs/DESIGN.md §2).
     * With {@code u = ∇ₓE} it is the θ-gradient of {@code weight · Σ_b ½‖∇ₓE(x_b)‖²}, since
     * {@code ∂θ ½‖∇ₓE‖² = (∇ₓE)ᵀ ∂θ∇ₓE}.
     */
    public static void addGradientAlong(JetWorkspace ws, double[] u, double weight, double[] grad) {
        JetSlab slab = ws.forwardAgain(new Directions.PerSample(u, 1, ws.firstSample()), false);
        for (int b = 0; b < slab.samples(); b++) {
            slab.addTangentAdjoint(b, 0, weight);
        }
        slab.backward(grad);
    }

    /**
     * {@code Σ_b ½‖∇ₓE(x_b)‖²} over the slab; when {@code grad} is non-null, {@code gradWeight}
     * times its θ-gradient is added into it, through the u-jet along {@code u = ∇ₓE}
     * ({@link #addGradientAlong}).
     */
    public static double halfSquaredGradientNorm(JetWorkspace ws, double[] theta, double[] x, int first, int count,
                                                 double gradWeight, double[] grad) {
        double[] u = ws.inputScratch(count);
        inputGradient(ws, theta, x, first, count, u, 0);
        double sum = 0;
        for (int e = 0; e < count * ws.network().inputDim(); e++) {
            sum += u[e] * u[e];
        }
        if (grad != null) {
            addGradientAlong(ws, u, gradWeight, grad);
        }
        return 0.5 * sum;
    }

    /**
     * {@code Σ_{c<dim} ∂²E/∂x_c²} for each row, by second-order jets along the first {@code dim}
     * basis vectors (all of them for the Laplacian; a noise-conditional input's last column is
     * left out).
     */
    public static double[] laplacians(Engine engine, Network net, double[] theta, double[] x, int n, int dim) {
        double[] lap = new double[n];
        engine.run(net, n, dim + 2, (ws, first, count, grad) -> {
            ws.forEachDirectionBlock(theta, x, first, count, Directions.basis(dim), true, slab -> {
                for (int b = 0; b < count; b++) {
                    lap[first + b] += slab.second(b);
                }
            });
            return 0;
        }, null);
        return lap;
    }
}
