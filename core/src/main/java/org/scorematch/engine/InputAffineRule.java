package org.scorematch.engine;

/**
 * The network's first affine map {@code z₁ = W₁x + b₁}, where jets begin: the values come from
 * the samples, the tangents from the pass's {@link Directions} (which also take their adjoints
 * back), and the second-order parts start at zero because x is linear in itself.
 */
final class InputAffineRule implements JetRule {
    private final Op.Affine op;
    /** One block of first-layer tangents (K × H), shared by the samples of a basis pass. */
    private final Buffer block;
    /** W̄ of one slab (H × D) before it is added into the double gradient. */
    private final Buffer gradientScratch;
    /** The slab's input gradient (nb × D) before it is written to the caller's double array. */
    private final Buffer inputGradient;
    /** Sums over the slab in double (K × H), for directions that sum their adjoints. */
    private final double[] sums;

    InputAffineRule(Op.Affine op, Kernels kernels, int maxRows) {
        this.op = op;
        this.block = kernels.allocate(op.in() * op.out());
        this.gradientScratch = kernels.allocate(op.in() * op.out());
        this.inputGradient = kernels.allocate(maxRows * op.in());
        this.sums = new double[op.in() * op.out()];
    }

    @Override
    public void forward(JetPass p, Buffer in, Buffer z) {
        int o = op.out();
        if (!p.reuseValues) {
            p.kernels.gemm(false, true, p.nb, o, op.in(), p.inputs, p.inputOffset, op.in(), p.weights,
                    op.weightOffset(), op.in(), z, 0, o);
            p.kernels.addBias(p, o, op.biasOffset(), z);
        }
        if (p.k > 0) {
            p.directions.seedTangents(p, op, z, block);
        }
        if (p.second) {
            p.kernels.zero(z, p.secondRow(0) * o, (p.secondRow(0) + p.nb) * o);
        }
    }

    @Override
    public void reverse(JetPass p, Buffer in, Buffer g, Buffer inAdjoint) {
        int o = op.out();
        if (p.grad != null) {
            AffineRule.addWeightGradient(p, op, gradientScratch, p.nb, g, 0, p.inputs, p.inputOffset);
            if (p.k > 0) {
                p.directions.addTangentGradient(p, op, g, gradientScratch, sums);
            }
            // The input's second-order channel is zero: it adds nothing to W̄.
            p.kernels.addBiasGradient(p, o, g, p.grad, op.biasOffset());
        }
        if (p.inputGrad != null) {
            // x enters through the value rows only; tangents and second parts do not depend on it.
            p.kernels.gemm(false, false, p.nb, op.in(), o, g, 0, o, p.weights, op.weightOffset(), op.in(),
                    inputGradient, 0, op.in());
            p.kernels.store(inputGradient, 0, p.inputGrad, p.inputGradRow * op.in(), p.nb * op.in());
        }
    }
}
