package org.scorematch.engine;

import org.scorematch.linalg.Blas;

/**
 * {@code z = W h + b} on jets: a linear map acts alike on values, tangents and second-order parts,
 * so one GEMM covers every stacked row; the bias enters the value rows only.
 */
record AffineRule(Op.Affine op) implements JetRule {
    @Override
    public void forward(JetPass p, double[] in, double[] out) {
        int from = p.reuseValues ? p.nb : 0;
        Blas.gemm(false, true, p.rows - from, op.out(), op.in(), 1, in, from * op.in(), op.in(), p.theta,
                op.weightOffset(), op.in(), 0, out, from * op.out(), op.out());
        if (!p.reuseValues) {
            addBias(p, op, out);
        }
    }

    @Override
    public void reverse(JetPass p, double[] in, double[] outAdjoint, double[] inAdjoint) {
        if (p.grad != null) {
            // W̄ += Σ over all channels of (adjoint)ᵀ(input): one GEMM over the stacked rows.
            Blas.gemm(true, false, op.out(), op.in(), p.rows, 1, outAdjoint, 0, op.out(), in, 0, op.in(), 1, p.grad,
                    op.weightOffset(), op.in());
            addBiasGradient(p, op, outAdjoint);
        }
        Blas.gemm(false, false, p.rows, op.in(), op.out(), 1, outAdjoint, 0, op.out(), p.theta, op.weightOffset(),
                op.in(), 0, inAdjoint, 0, op.in());
    }

    static void addBias(JetPass p, Op.Affine op, double[] z) {
        int o = op.out();
        int bias = op.biasOffset();
        for (int b = 0; b < p.nb; b++) {
            int row = b * o;
            for (int j = 0; j < o; j++) {
                z[row + j] += p.theta[bias + j];
            }
        }
    }

    static void addBiasGradient(JetPass p, Op.Affine op, double[] g) {
        int o = op.out();
        int bias = op.biasOffset();
        for (int b = 0; b < p.nb; b++) {
            int row = b * o;
            for (int j = 0; j < o; j++) {
                p.grad[bias + j] += g[row + j];
            }
        }
    }
}
