package org.scorematch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.scorematch.model.Architecture;
import org.scorematch.objective.ObjectiveName;

class CompilerWarmUpTest {
    /** The warm-up trains until closed, and close returns once its thread has ended. */
    @Test
    void trainsUntilClosedThenEnds() throws InterruptedException {
        CompilerWarmUp warmUp = CompilerWarmUp.start(Architecture.Kind.SCORE, new int[] {16, 16}, "silu", "float32",
                ObjectiveName.DENOISING);
        if (Runtime.getRuntime().availableProcessors() < 2) {
            assertThat(warmUp.running()).as("no warm-up on one core").isFalse();
            return;
        }
        Thread.sleep(200);
        assertThat(warmUp.running()).isTrue();
        warmUp.close();
        assertThat(warmUp.running()).isFalse();
    }

    /** Settings that do not parse or do not train start nothing or end by themselves, without throwing here. */
    @Test
    void badSettingsNeitherThrowNorLinger() throws InterruptedException {
        try (CompilerWarmUp unparsed = CompilerWarmUp.start(Architecture.Kind.ENERGY, new int[] {8}, "no-such", "float64",
                ObjectiveName.EXACT)) {
            assertThat(unparsed.running()).isFalse();
        }
        CompilerWarmUp refused = CompilerWarmUp.start(Architecture.Kind.ENERGY, new int[] {8}, "relu", "float64",
                ObjectiveName.EXACT);
        // Generous for a loaded machine: the refusal comes when the trainer starts, well within a second here.
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (refused.running() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(refused.running()).as("exact score matching refuses ReLU; the warm-up ends by itself").isFalse();
        refused.close();
    }
}
