package org.scorematch.engine;

/**
 * The network's output jets for the slab of the last forward pass, and the seeds of their
 * adjoints for the reverse pass. Sample {@code b} of the slab, direction {@code d} of the block
 * in flight and output channel {@code c} name each entry; where it is stored is the workspace's
 * business, so no caller computes an offset. Scalar forms (without {@code c}) are for energies,
 * whose output has one channel.
 *
 * <p>Seeds start at zero at every forward pass and accumulate; {@link #backward} runs the
 * reverse pass from them and consumes them. The view is the workspace's, reused by every pass.
 */
public final class JetSlab {
    private final JetWorkspace workspace;
    private final JetPass p;
    private final Kernels kernels;
    private final Buffer out;
    private final Buffer adj;
    private final int width;

    JetSlab(JetWorkspace workspace, JetPass p, Buffer out, Buffer adj, int width) {
        this.workspace = workspace;
        this.p = p;
        this.kernels = p.kernels;
        this.out = out;
        this.adj = adj;
        this.width = width;
    }

    /** Samples in the slab. */
    public int samples() {
        return p.nb;
    }

    /** Directions in the block in flight. */
    public int directions() {
        return p.k;
    }

    /** Index of the block's first direction among the pass's {@link Directions}. */
    public int firstDirection() {
        return p.k0;
    }

    /** Output channels per sample. */
    public int width() {
        return width;
    }

    /** The energy {@code E(x_b)}. */
    public double value(int b) {
        return kernels.get(out, b);
    }

    /** Output channel {@code c} at sample {@code b}. */
    public double value(int b, int c) {
        return kernels.get(out, b * width + c);
    }

    /**
     * Every sample's output channels in one call: sample b's channel c into
     * {@code into[b·width + c]} (the same values as {@link #value(int, int)}, without a call per entry).
     */
    public void values(double[] into) {
        kernels.store(out, 0, into, 0, p.nb * width);
    }

    /** The energy's tangent {@code Ė_d = v_d·∇E(x_b)}. */
    public double tangent(int b, int d) {
        return kernels.get(out, p.tangentRow(b, d));
    }

    /** Channel {@code c} of the output's tangent along direction {@code d} at sample {@code b}. */
    public double tangent(int b, int d, int c) {
        return kernels.get(out, p.tangentRow(b, d) * width + c);
    }

    /** The energy's summed second-order part {@code Ë = Σ_d v_dᵀ∇²E(x_b) v_d}. */
    public double second(int b) {
        return kernels.get(out, p.secondRow(b));
    }

    /**
     * Component {@code c} of sample {@code b}'s direction {@code d} (1 or 0 for basis vectors);
     * first-layer directions have none in input space.
     */
    public double direction(int b, int d, int c) {
        return p.directions.component(p, b, d, c);
    }

    /** Adds {@code a} to the seed of output channel {@code c} at sample {@code b}. */
    public void addValueAdjoint(int b, int c, double a) {
        kernels.add(adj, b * width + c, a);
        p.seedsPending = true;
    }

    /**
     * Adds {@code adjoints[b·width + c]} to the seed of every sample's channel c in one call (as
     * {@link #addValueAdjoint} would entry by entry).
     */
    public void addValueAdjoints(double[] adjoints) {
        kernels.addFrom(adjoints, 0, adj, 0, p.nb * width);
        p.seedsPending = true;
    }

    /** Adds {@code a} to the seed of the energy's tangent {@code Ė_d} at sample {@code b}. */
    public void addTangentAdjoint(int b, int d, double a) {
        kernels.add(adj, p.tangentRow(b, d), a);
        p.seedsPending = true;
    }

    /** Adds {@code a} to the seed of channel {@code c} of the tangent along {@code d} at sample {@code b}. */
    public void addTangentAdjoint(int b, int d, int c, double a) {
        kernels.add(adj, p.tangentRow(b, d) * width + c, a);
        p.seedsPending = true;
    }

    /** Adds {@code a} to the seed of the energy's second-order part {@code Ë} at sample {@code b}. */
    public void addSecondAdjoint(int b, double a) {
        kernels.add(adj, p.secondRow(b), a);
        p.seedsPending = true;
    }

    /**
     * Reverse pass from the seeds: adds {@code Σ seed · ∂(output jet)/∂θ} into {@code grad}
     * (which may extend past the parameters for first-layer directions' adjoints).
     */
    public void backward(double[] grad) {
        workspace.reverse(grad, null, 0);
    }
}
