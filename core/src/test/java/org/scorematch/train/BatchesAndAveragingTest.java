package org.scorematch.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.scorematch.data.Dataset;
import org.scorematch.linalg.Matrix;
import org.scorematch.engine.Activation;
import org.scorematch.model.Architecture;
import org.scorematch.objective.ScoreMatching;

class BatchesAndAveragingTest {
    /** Every pass visits each row exactly once, also when batches straddle the end of a pass. */
    @Test
    void epochBatchesVisitEveryRowOncePerPass() {
        int n = 37;
        int batch = 10;
        EpochBatches epochs = new EpochBatches(9, n);
        int[] idx = new int[batch];
        int[] stream = new int[5 * n];
        for (int step = 1; step * batch <= stream.length; step++) {
            epochs.indices(step, batch, idx);
            System.arraycopy(idx, 0, stream, (step - 1) * batch, batch);
        }
        for (int pass = 0; pass < 4; pass++) {
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < n; i++) {
                seen.add(stream[pass * n + i]);
            }
            assertThat(seen).as("pass %d", pass).hasSize(n);
        }
        // Passes are shuffled afresh, and a step's batch is a function of the step alone (resume).
        assertThat(java.util.Arrays.copyOfRange(stream, 0, n)).isNotEqualTo(java.util.Arrays.copyOfRange(stream, n, 2 * n));
        int[] again = new int[batch];
        new EpochBatches(9, n).indices(7, batch, again);
        assertThat(again).containsExactly(java.util.Arrays.copyOfRange(stream, 60, 70));
    }

    /**
     * The returned average ramps its decay as min(β, (1+t)/(10+t)): after one step it is
     * (1 − 2/11)·θ₀ + (2/11)·θ₁ — independent arithmetic on the trainer's own first step.
     */
    @Test
    void averageRampsUpFromTheFirstStep() {
        Dataset data = Dataset.of("line", List.of("a", "b"), Matrix.of(4, 2, 0, 1, 1, 0, 2, 3, -1, 2));
        Architecture arch = Architecture.mlp(Architecture.Kind.ENERGY, 2, new int[] {3}, Activation.TANH, null);
        Trainer.Builder b = Trainer.builder().architecture(arch).objective(ScoreMatching.exact()).adam(0.1).steps(1).batch(4)
                .seed(2).threads(1).standardize(false);
        double[] last = b.ema(0).build().fit(data).model().parameters();
        double[] averaged = b.ema(0.999).build().fit(data).model().parameters();
        double[] initial = org.scorematch.engine.Initialization.PYTORCH.draw(arch.network(),
                new java.util.SplittableRandom(Seeds.initialWeights(2)));
        double decay = 2.0 / 11;
        for (int i = 0; i < last.length; i++) {
            assertThat(averaged[i]).isCloseTo(decay * initial[i] + (1 - decay) * last[i],
                    org.assertj.core.data.Offset.offset(1e-15));
        }
    }
}
