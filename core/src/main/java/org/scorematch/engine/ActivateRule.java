package org.scorematch.engine;

import java.util.Arrays;

/**
 * Elementwise {@code a = σ(z)} on jets: {@code ȧₖ = σ′żₖ} and {@code ä = σ″Σₖżₖ² + σ′z̈}, and in
 * reverse {@code ż̄ₖ = ǡₖσ′ + 2ǟσ″żₖ}, {@code z̄ = āσ′ + σ″Σₖǡₖżₖ + ǟ(σ‴Σₖżₖ² + σ″z̈)},
 * {@code z̈̄ = ǟσ′} (docs/DESIGN.md §2). The forward rule keeps σ′, σ″, σ‴ and Σₖżₖ² per sample
 * and unit for the reverse one.
 */
final class ActivateRule implements JetRule {
    private final Op.Activate op;
    private final double[] d1;
    private final double[] d2;
    private final double[] d3;
    private final double[] tangentSquares;
    private final double[] sumAdjointTangent;
    private final double[] curvatureCoefficient;

    ActivateRule(Op.Activate op, int maxRows) {
        this.op = op;
        int size = maxRows * op.width();
        d1 = new double[size];
        d2 = new double[size];
        d3 = new double[size];
        tangentSquares = new double[size];
        sumAdjointTangent = new double[op.width()];
        curvatureCoefficient = new double[op.width()];
    }

    @Override
    public void forward(JetPass p, double[] z, double[] a) {
        int nb = p.nb;
        int k = p.k;
        int wd = op.width();
        boolean second = p.second;
        double[] s1 = d1;
        double[] s2 = d2;
        if (!p.reuseValues) {
            op.activation().evaluate(z, 0, nb * wd, a, s1, s2, d3);
        }
        double[] sq = tangentSquares;
        for (int b = 0; b < nb; b++) {
            int vb = b * wd;
            if (second) {
                Arrays.fill(sq, vb, vb + wd, 0.0);
            }
            for (int d = 0; d < k; d++) {
                int r = p.tangentRow(b, d) * wd;
                if (second) {
                    for (int j = 0; j < wd; j++) {
                        double zt = z[r + j];
                        a[r + j] = s1[vb + j] * zt;
                        sq[vb + j] += zt * zt;
                    }
                } else {
                    for (int j = 0; j < wd; j++) {
                        a[r + j] = s1[vb + j] * z[r + j];
                    }
                }
            }
            if (second) {
                int r = p.secondRow(b) * wd;
                for (int j = 0; j < wd; j++) {
                    a[r + j] = s2[vb + j] * sq[vb + j] + s1[vb + j] * z[r + j];
                }
            }
        }
    }

    @Override
    public void reverse(JetPass p, double[] z, double[] g, double[] gz) {
        int wd = op.width();
        int nb = p.nb;
        int k = p.k;
        boolean second = p.second;
        double[] s1 = d1;
        double[] s2 = d2;
        double[] s3 = d3;
        double[] sq = tangentSquares;
        double[] sumAdjTan = sumAdjointTangent;
        double[] curvatureCoef = curvatureCoefficient;
        for (int b = 0; b < nb; b++) {
            int vb = b * wd;
            int sr = second ? p.secondRow(b) * wd : -1;
            Arrays.fill(sumAdjTan, 0, wd, 0.0);
            if (second) {
                for (int j = 0; j < wd; j++) {
                    curvatureCoef[j] = 2 * g[sr + j] * s2[vb + j];
                }
            } else {
                Arrays.fill(curvatureCoef, 0, wd, 0.0);
            }
            for (int d = 0; d < k; d++) {
                int r = p.tangentRow(b, d) * wd;
                for (int j = 0; j < wd; j++) {
                    double zt = z[r + j];
                    double gt = g[r + j];
                    sumAdjTan[j] += gt * zt;
                    gz[r + j] = gt * s1[vb + j] + curvatureCoef[j] * zt;
                }
            }
            if (second) {
                for (int j = 0; j < wd; j++) {
                    double gs = g[sr + j];
                    gz[vb + j] = g[vb + j] * s1[vb + j] + s2[vb + j] * sumAdjTan[j]
                            + gs * (s3[vb + j] * sq[vb + j] + s2[vb + j] * z[sr + j]);
                    gz[sr + j] = gs * s1[vb + j];
                }
            } else {
                for (int j = 0; j < wd; j++) {
                    gz[vb + j] = g[vb + j] * s1[vb + j] + s2[vb + j] * sumAdjTan[j];
                }
            }
        }
    }
}
