package org.scorematch.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.scorematch.metrics.KdeBandwidth;
import org.scorematch.objective.DenoisingScoreMatching;
import org.scorematch.objective.ScoreMatching;

class DefaultObjectiveTest {
    @Test
    void smallDataGetDenoisingAtTheCrossValidatedBandwidthLargeDataExactScoreMatching() {
        SplittableRandom rng = new SplittableRandom(3);
        int n = 300;
        double[] x = new double[2 * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian();
        }
        DefaultObjective small = DefaultObjective.forData(x, n, 2, new SplittableRandom(1));
        assertThat(small.objective()).isInstanceOf(DenoisingScoreMatching.class);
        double h = KdeBandwidth.leaveOneOut(x, n, 2, new SplittableRandom(1));
        assertThat(((DenoisingScoreMatching) small.objective()).sigma()).isEqualTo(0.9 * h);
        assertThat(small.reason()).contains("300").contains("leave-one-out");

        int big = DefaultObjective.SMALL_ROWS;
        double[] y = new double[2 * big];
        for (int i = 0; i < y.length; i++) {
            y[i] = rng.nextGaussian();
        }
        DefaultObjective large = DefaultObjective.forData(y, big, 2, new SplittableRandom(1));
        assertThat(large.objective()).isInstanceOf(ScoreMatching.class);
        assertThat(((ScoreMatching) large.objective()).kind()).isEqualTo(ScoreMatching.Kind.EXACT);
    }
}
