package org.scorematch.engine;

/**
 * The scalar readout {@code e = ½‖z‖²} on jets: {@code ėₖ = z·żₖ}, {@code ë = Σₖ‖żₖ‖² + z·z̈}, and
 * in reverse {@code z̄ = ēz + Σₖėₖ̄żₖ + ë̄z̈}, {@code ż̄ₖ = ėₖ̄z + 2ë̄żₖ}, {@code z̈̄ = ë̄z}.
 */
record HalfSquaredNormRule(Op.HalfSquaredNorm op) implements JetRule {
    @Override
    public void forward(JetPass p, Buffer z, Buffer e) {
        p.kernels.halfSquaredNormForward(p, op.in(), z, e);
    }

    @Override
    public void reverse(JetPass p, Buffer z, Buffer g, Buffer gz) {
        p.kernels.halfSquaredNormReverse(p, op.in(), z, g, gz);
    }
}
