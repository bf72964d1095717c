package org.scorematch.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The crew's waits: calls made back to back (helpers still spinning) and calls after idle periods
 * longer than {@link Crew#SPIN_NANOS} (helpers parked) each run every part once; an idle helper
 * parks rather than spinning on; closing the crew ends its threads. A wait that never wakes
 * would hang, so every test runs on a thread of its own with a timeout (a wait that ignores
 * interrupts would outlive an interrupting one).
 */
class CrewTest {
    /** Generous against a loaded CI machine: the waits below are milliseconds. */
    private static final long PATIENCE_MS = 10_000;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void everyPartRunsOnceWhetherTheHelpersSpinOrPark() throws InterruptedException {
        int parts = 3;
        try (Crew crew = new Crew(parts - 1)) {
            long idleMs = 3 * TimeUnit.NANOSECONDS.toMillis(Crew.SPIN_NANOS);
            for (int call = 0; call < 40; call++) {
                AtomicIntegerArray runs = new AtomicIntegerArray(parts);
                crew.run(runs::incrementAndGet);
                for (int p = 0; p < parts; p++) {
                    assertThat(runs.get(p)).as("call %d, part %d", call, p).isEqualTo(1);
                }
                // Every fourth call comes after the helpers have parked; the others come at once.
                if (call % 4 == 3) {
                    Thread.sleep(idleMs);
                }
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anIdleHelperParksAndClosingEndsIt() throws InterruptedException {
        Thread[] helper = new Thread[1];
        try (Crew crew = new Crew(1)) {
            crew.run(part -> {
                if (part == 1) {
                    helper[0] = Thread.currentThread();
                }
            });
            assertThat(helper[0]).isNotNull();
            // Spinning, the helper reads RUNNABLE; parked, WAITING. It must park within SPIN_NANOS
            // of its last call; the deadline allows for a scheduler that runs it late.
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PATIENCE_MS);
            while (helper[0].getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThat(helper[0].getState()).isEqualTo(Thread.State.WAITING);
        }
        helper[0].join(PATIENCE_MS);
        assertThat(helper[0].isAlive()).isFalse();
    }
}
