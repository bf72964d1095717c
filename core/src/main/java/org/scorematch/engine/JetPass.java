package org.scorematch.engine;

/**
 * The slab in flight through a {@link JetWorkspace}: its shape, its inputs, the directions it
 * carries and, for the reverse pass, where gradients go. It owns the stacked-row layout
 * (docs/DESIGN.md §2): value rows {@code [0, nb)}, tangent rows {@code nb + b·K + k}, then
 * second-order rows {@code nb + nb·K + b}, so each affine map is one GEMM over all rows and no
 * rule or caller computes a row from the shape by itself.
 */
final class JetPass {
    /** The workspace's kernels, of its precision. */
    final Kernels kernels;
    /** Width of the network's input, D (of a sample row and of an explicit direction). */
    final int inputDim;
    double[] theta;
    double[] x;
    /** {@link #theta} in the working precision (in double, a view of it). */
    final Buffer weights;
    /** The slab's samples in the working precision, {@code nb × D} from {@link #inputOffset}. */
    final Buffer inputs;
    /** Where the slab's first sample starts in {@link #inputs} (in double, a view of {@link #x}). */
    int inputOffset;
    /** The block's explicit directions in the working precision, rows as {@link Directions} lays them out. */
    final Buffer directionRows;
    /** Index of the slab's first sample in {@link #x} (and in the directions). */
    int first;
    int nb;
    Directions directions;
    /** The block of directions in flight: {@code [k0, k0 + k)} of {@link #directions}. */
    int k0;
    int k;
    boolean second;
    int rows;
    /** True when a pass reuses the previous pass's value rows and activation derivatives. */
    boolean reuseValues;
    /** True while output adjoints have been seeded and no reverse pass has consumed them. */
    boolean seedsPending;
    double[] grad;
    double[] inputGrad;
    int inputGradRow;

    JetPass(Kernels kernels, int inputDim, int parameterCount, int maxRows) {
        this.kernels = kernels;
        this.inputDim = inputDim;
        this.weights = kernels.allocate(parameterCount);
        this.inputs = kernels.allocate(maxRows * inputDim);
        this.directionRows = kernels.allocate(maxRows * inputDim);
    }

    /** The samples in flight: rows {@code first..first+nb−1} of {@code x}, at parameters {@code theta}. */
    void samples(double[] theta, double[] x, int first, int nb) {
        this.theta = theta;
        this.x = x;
        this.first = first;
        this.nb = nb;
        // θ's layout is the network's parameter layout, so weights sit at offset 0 either way.
        kernels.loadForReading(theta, 0, weights.length(), weights);
        inputOffset = kernels.loadForReading(x, first * inputDim, nb * inputDim, inputs);
    }

    /** The block {@code [k0, k0 + k)} of {@code directions} in flight, with a second-order channel when asked. */
    void directions(Directions directions, int k0, int k, boolean second) {
        this.directions = directions;
        this.k0 = k0;
        this.k = k;
        this.second = second;
        this.rows = rowsFor(nb, k, second);
    }

    /** Number of stacked rows a slab of {@code nb} samples with {@code k} directions uses. */
    static int rowsFor(int nb, int k, boolean second) {
        return nb * (1 + k + (second ? 1 : 0));
    }

    int tangentRow(int b, int d) {
        return nb + b * k + d;
    }

    int secondRow(int b) {
        return nb + nb * k + b;
    }
}
