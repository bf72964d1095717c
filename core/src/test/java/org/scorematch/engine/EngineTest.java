package org.scorematch.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.scorematch.TestNetworks;

/**
 * The engine's parallel plumbing on tasks with known sums (integer-valued, so every order of
 * addition gives the same doubles): slabs and parts cover each sample once, the parts'
 * gradients are summed into the caller's, a failed call leaves nothing behind for the next, and
 * {@link Engine#forRanges} hands out every index once.
 */
class EngineTest {
    private static final Network NET = TestNetworks.randomMlp(2, TestNetworks.rng(1));

    /** Sample s adds (s + 1)·(j + 1) to gradient element j and returns s + 1. */
    private static final SlabTask TASK = (ws, first, count, g) -> {
        double sum = 0;
        for (int s = first; s < first + count; s++) {
            sum += s + 1;
            if (g != null) {
                for (int j = 0; j < g.length; j++) {
                    g[j] += (s + 1.0) * (j + 1);
                }
            }
        }
        return sum;
    };

    @Test
    void partsAndSlabsCoverEverySampleOnce() {
        for (int threads = 1; threads <= 3; threads++) {
            try (Engine engine = Engine.create(threads, 7)) {
                for (int n : new int[] {1, 2, 5, 64, 1001}) {
                    for (int length : new int[] {3, 20_000}) {
                        double[] grad = new double[length];
                        double total = engine.run(NET, n, 2, TASK, grad);
                        double expected = n * (n + 1) / 2.0;
                        assertThat(total).isEqualTo(expected);
                        for (int j = 0; j < length; j += 997) {
                            assertThat(grad[j]).as("threads %d, n %d, j %d", threads, n, j).isEqualTo(expected * (j + 1));
                        }
                        assertThat(engine.run(NET, n, 2, TASK, null)).isEqualTo(expected);
                    }
                }
            }
        }
    }

    @Test
    void aFailedCallLeavesNoGradientBehind() {
        try (Engine engine = Engine.create(2, 4)) {
            double[] grad = new double[10_000];
            SlabTask failing = (ws, first, count, g) -> {
                TASK.run(ws, first, count, g);
                if (first > 0) {
                    throw new IllegalStateException("slab at " + first);
                }
                return 0;
            };
            assertThatThrownBy(() -> engine.run(NET, 50, 1, failing, grad)).isInstanceOf(IllegalStateException.class);
            double total = engine.run(NET, 3, 1, TASK, grad);
            assertThat(total).isEqualTo(6);
            assertThat(grad[0]).isEqualTo(6);
            assertThat(grad[9_999]).isEqualTo(6 * 10_000.0);
        }
    }

    @Test
    void forRangesHandsOutEveryIndexOnce() {
        for (int threads = 1; threads <= 3; threads++) {
            try (Engine engine = Engine.create(threads)) {
                for (int count : new int[] {0, 1, 7, 100, 10_001}) {
                    for (int min : new int[] {1, 8, 5000}) {
                        int[] hits = new int[count];
                        engine.forRanges(count, min, (from, to) -> {
                            for (int i = from; i < to; i++) {
                                hits[i]++;
                            }
                        });
                        for (int i = 0; i < count; i++) {
                            assertThat(hits[i]).as("index %d of %d", i, count).isEqualTo(1);
                        }
                    }
                }
            }
        }
    }
}
