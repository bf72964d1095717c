package org.scorematch.engine;

/**
 * {@code z = W h + b} on jets: a linear map acts alike on values, tangents and second-order parts,
 * so one GEMM covers every stacked row; the bias enters the value rows only. The weight
 * gradient of a slab is one GEMM added into the double gradient (in single precision through
 * {@code gradientScratch}, out × in).
 */
record AffineRule(Op.Affine op, Buffer gradientScratch) implements JetRule {
    @Override
    public void forward(JetPass p, Buffer in, Buffer out) {
        int from = p.reuseValues ? p.nb : 0;
        p.kernels.gemm(false, true, p.rows - from, op.out(), op.in(), in, from * op.in(), op.in(), p.weights,
                op.weightOffset(), op.in(), out, from * op.out(), op.out());
        if (!p.reuseValues) {
            p.kernels.addBias(p, op.out(), op.biasOffset(), out);
        }
    }

    @Override
    public void reverse(JetPass p, Buffer in, Buffer outAdjoint, Buffer inAdjoint) {
        if (p.grad != null) {
            // W̄ += Σ over all channels of (adjoint)ᵀ(input): one GEMM over the stacked rows.
            addWeightGradient(p, op, gradientScratch, p.rows, outAdjoint, 0, in, 0);
            p.kernels.addBiasGradient(p, op.out(), outAdjoint, p.grad, op.biasOffset());
        }
        p.kernels.gemm(false, false, p.rows, op.in(), op.out(), outAdjoint, 0, op.out(), p.weights,
                op.weightOffset(), op.in(), inAdjoint, 0, op.in());
    }

    /**
     * {@code W̄ += Σ_r g_rᵀ h_r} over {@code rows} stacked rows of adjoints {@code g} (width out)
     * and inputs {@code h} (width in), into the double gradient (through {@code scratch} where the
     * working precision is single).
     */
    static void addWeightGradient(JetPass p, Op.Affine op, Buffer scratch, int rows, Buffer g, int gOffset,
                                  Buffer h, int hOffset) {
        p.kernels.gemmAddTo(true, false, op.out(), op.in(), rows, g, gOffset, op.out(), h, hOffset, op.in(), scratch,
                p.grad, op.weightOffset());
    }
}
