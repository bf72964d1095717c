package org.scorematch.engine;

import java.util.Arrays;
import org.scorematch.linalg.Blas;

/**
 * The network's first affine map {@code z₁ = W₁x + b₁}, where jets begin: the values come from
 * the samples, the tangents from the pass's {@link Directions} (which also take their adjoints
 * back), and the second-order parts start at zero because x is linear in itself.
 */
final class InputAffineRule implements JetRule {
    private final Op.Affine op;
    /** One block of first-layer tangents (K × H), shared by the samples of a basis pass. */
    private final double[] block;

    InputAffineRule(Op.Affine op) {
        this.op = op;
        this.block = new double[op.in() * op.out()];
    }

    @Override
    public void forward(JetPass p, double[] in, double[] z) {
        int o = op.out();
        if (!p.reuseValues) {
            Blas.gemm(false, true, p.nb, o, op.in(), 1, p.x, p.first * op.in(), op.in(), p.theta, op.weightOffset(),
                    op.in(), 0, z, 0, o);
            AffineRule.addBias(p, op, z);
        }
        if (p.k > 0) {
            p.directions.seedTangents(p, op, z, block);
        }
        if (p.second) {
            Arrays.fill(z, p.secondRow(0) * o, (p.secondRow(0) + p.nb) * o, 0.0);
        }
    }

    @Override
    public void reverse(JetPass p, double[] in, double[] g, double[] inAdjoint) {
        int o = op.out();
        if (p.grad != null) {
            Blas.gemm(true, false, o, op.in(), p.nb, 1, g, 0, o, p.x, p.first * op.in(), op.in(), 1, p.grad,
                    op.weightOffset(), op.in());
            if (p.k > 0) {
                p.directions.addTangentGradient(p, op, g, block);
            }
            // The input's second-order channel is zero: it adds nothing to W̄.
            AffineRule.addBiasGradient(p, op, g);
        }
        if (p.inputGrad != null) {
            // x enters through the value rows only; tangents and second parts do not depend on it.
            Blas.gemm(false, false, p.nb, op.in(), o, 1, g, 0, o, p.theta, op.weightOffset(), op.in(), 0, p.inputGrad,
                    p.inputGradRow * op.in(), op.in());
        }
    }
}
