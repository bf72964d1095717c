package org.scorematch.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.scorematch.linalg.Matrix;
import org.scorematch.model.Model;

/** docs/DESIGN.md §7, sign of the score: far outside a centred target the learned score points back in. */
final class ScoreSign {
    private ScoreSign() {
    }

    static void assertPointsInward(Model model) {
        int d = model.dimension();
        double[][] rows = new double[3][d];
        rows[0][0] = 8;
        rows[1][1] = -8;
        rows[2][0] = -6;
        rows[2][1] = 6;
        Matrix far = Matrix.ofRows(rows);
        Matrix s = model.score(far);
        for (int i = 0; i < far.rows(); i++) {
            double dot = 0;
            for (int c = 0; c < d; c++) {
                dot += s.get(i, c) * far.get(i, c);
            }
            assertThat(dot).as("score at row %d points towards the data", i).isNegative();
        }
    }
}
