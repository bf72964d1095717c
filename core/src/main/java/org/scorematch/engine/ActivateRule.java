package org.scorematch.engine;

/**
 * Elementwise {@code a = σ(z)} on jets: {@code ȧₖ = σ′żₖ} and {@code ä = σ″Σₖżₖ² + σ′z̈}, and in
 * reverse {@code ż̄ₖ = ǡₖσ′ + 2ǟσ″żₖ}, {@code z̄ = āσ′ + σ″Σₖǡₖżₖ + ǟ(σ‴Σₖżₖ² + σ″z̈)},
 * {@code z̈̄ = ǟσ′} (docs/DESIGN.md §2). The forward rule keeps σ′, σ″, σ‴ and Σₖżₖ² per sample
 * and unit for the reverse one.
 */
final class ActivateRule implements JetRule {
    private final Op.Activate op;
    private final Buffer d1;
    private final Buffer d2;
    private final Buffer d3;
    private final Buffer tangentSquares;
    private final Buffer sumAdjointTangent;
    private final Buffer curvatureCoefficient;

    ActivateRule(Op.Activate op, Kernels kernels, int maxRows) {
        this.op = op;
        int size = maxRows * op.width();
        d1 = kernels.allocate(size);
        d2 = kernels.allocate(size);
        d3 = kernels.allocate(size);
        tangentSquares = kernels.allocate(size);
        sumAdjointTangent = kernels.allocate(op.width());
        curvatureCoefficient = kernels.allocate(op.width());
    }

    /** Whether d2, d3 hold σ″, σ‴ of the value rows in the workspace. */
    private boolean curvatureReady;

    @Override
    public void forward(JetPass p, Buffer z, Buffer a) {
        // σ″ and σ‴ enter only through tangent and second-order rows: a pass of value rows alone (a
        // denoising score network's step) skips them, and a later pass reusing its values adds them.
        boolean curvature = p.k > 0 || p.second;
        int n = p.nb * op.width();
        if (!p.reuseValues) {
            op.activation().evaluate(p.kernels, z, n, a, d1, d2, d3, curvature);
            curvatureReady = curvature;
        } else if (curvature && !curvatureReady) {
            op.activation().addCurvature(p.kernels, z, n, d2, d3);
            curvatureReady = true;
        }
        p.kernels.activateForward(p, op.width(), z, a, d1, d2, tangentSquares);
    }

    @Override
    public void reverse(JetPass p, Buffer z, Buffer g, Buffer gz) {
        p.kernels.activateReverse(p, op.width(), z, g, gz, d1, d2, d3, tangentSquares, sumAdjointTangent,
                curvatureCoefficient);
    }
}
