package org.scorematch.engine;

/**
 * The scalar readout {@code e = ½‖z‖²} on jets: {@code ėₖ = z·żₖ}, {@code ë = Σₖ‖żₖ‖² + z·z̈}, and
 * in reverse {@code z̄ = ēz + Σₖėₖ̄żₖ + ë̄z̈}, {@code ż̄ₖ = ėₖ̄z + 2ë̄żₖ}, {@code z̈̄ = ë̄z}.
 */
record HalfSquaredNormRule(Op.HalfSquaredNorm op) implements JetRule {
    @Override
    public void forward(JetPass p, double[] z, double[] e) {
        int wd = op.in();
        for (int b = 0; b < p.nb; b++) {
            int vb = b * wd;
            double value = 0;
            double curvature = 0;
            for (int j = 0; j < wd; j++) {
                value += z[vb + j] * z[vb + j];
            }
            for (int d = 0; d < p.k; d++) {
                int r = p.tangentRow(b, d) * wd;
                double dot = 0;
                for (int j = 0; j < wd; j++) {
                    dot += z[vb + j] * z[r + j];
                    curvature += z[r + j] * z[r + j];
                }
                e[p.tangentRow(b, d)] = dot;
            }
            e[b] = 0.5 * value;
            if (p.second) {
                int r = p.secondRow(b) * wd;
                for (int j = 0; j < wd; j++) {
                    curvature += z[vb + j] * z[r + j];
                }
                e[p.secondRow(b)] = curvature;
            }
        }
    }

    @Override
    public void reverse(JetPass p, double[] z, double[] g, double[] gz) {
        int wd = op.in();
        boolean second = p.second;
        for (int b = 0; b < p.nb; b++) {
            int vb = b * wd;
            double gValue = g[b];
            double gSecond = second ? g[p.secondRow(b)] : 0;
            int sr = second ? p.secondRow(b) * wd : -1;
            for (int j = 0; j < wd; j++) {
                gz[vb + j] = gValue * z[vb + j] + (second ? gSecond * z[sr + j] : 0);
            }
            for (int d = 0; d < p.k; d++) {
                int r = p.tangentRow(b, d) * wd;
                double gt = g[p.tangentRow(b, d)];
                for (int j = 0; j < wd; j++) {
                    gz[vb + j] += gt * z[r + j];
                    gz[r + j] = gt * z[vb + j] + 2 * gSecond * z[r + j];
                }
            }
            if (second) {
                for (int j = 0; j < wd; j++) {
                    gz[sr + j] = gSecond * z[vb + j];
                }
            }
        }
    }
}
