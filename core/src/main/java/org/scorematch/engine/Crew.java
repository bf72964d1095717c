package org.scorematch.engine;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The engine's helper threads, kept waiting between calls: a call publishes its work, wakes the
 * helpers, runs part 0 on the caller's thread and waits for the others. Nothing is allocated per
 * call (an executor's submit allocates a future and a task), and a helper that is woken while
 * still spinning starts within microseconds instead of after a park and unpark. Hand-written
 * because the JDK's barriers and phasers allocate per cycle or per waiter.
 *
 * <p>A waiting thread (a helper between calls, the caller while the helpers finish) spins for
 * {@link #SPIN_NANOS} before it parks. The bound is a time, not a count of spins: one
 * {@link Thread#onSpinWait()} (x86 {@code PAUSE}) takes from a few nanoseconds to about 40 by
 * CPU, 27 ns on the Zen 4 machine of BENCHMARKS.md, where the 8192 spins this class used to allow
 * lasted 0.22 ms.
 *
 * <p>Every helper takes part in every call (parts it has no samples for return at once), so a
 * call's count of finished helpers can never mix with the next call's.
 */
final class Crew implements AutoCloseable {
    /**
     * How long a waiting thread spins before it parks: longer than the serial work between a
     * training step's calls (0.1–0.5 ms at B = 1024, D = 50 and at B = 256, D = 784 while the
     * caller copied the next batch's rows alone) and than the two halves of a batch finishing
     * apart, so that within a run of steps neither thread parks; short enough that an engine left
     * idle frees its cores within a millisecond. Waking a parked thread costs tens of microseconds on a virtual machine, and the
     * first call after it waits for the woken helper: with 0.22 ms of spinning a helper parked 0.4
     * (B = 1024, D = 50) to 1.3 (B = 256, D = 784) times a step, and those steps took 1–3 % and
     * 2–7 % longer than with this bound (BENCHMARKS.md, "What moved the steps").
     */
    static final long SPIN_NANOS = 1_000_000;
    /** Spins between reads of the clock, which costs about as much as a spin (25 ns). */
    private static final int SPINS_PER_CLOCK = 32;

    private final Thread[] helpers;
    private final Throwable[] failures;
    private final AtomicInteger remaining = new AtomicInteger();
    private volatile long generation;
    private volatile boolean closed;
    private IntConsumer work;
    private Thread caller;

    /** A crew of {@code helpers} daemon threads. */
    Crew(int helpers) {
        this.helpers = new Thread[helpers];
        this.failures = new Throwable[helpers + 1];
        for (int i = 0; i < helpers; i++) {
            final int part = i + 1;
            Thread t = new Thread(() -> loop(part), "scorematch-engine");
            t.setDaemon(true);
            this.helpers[i] = t;
            t.start();
        }
    }

    /**
     * Runs {@code work.accept(p)} for every part {@code p} in {@code [0, helpers]}, part 0 on the
     * calling thread, and returns when all have finished; rethrows the first part's failure.
     */
    void run(IntConsumer work) {
        this.work = work;
        this.caller = Thread.currentThread();
        remaining.set(helpers.length);
        // The volatile write publishes the work and the caller to the helpers.
        generation = generation + 1;
        for (Thread t : helpers) {
            LockSupport.unpark(t);
        }
        try {
            work.accept(0);
        } catch (Throwable e) {
            failures[0] = e;
        }
        long since = System.nanoTime();
        for (int round = 1; remaining.get() > 0; round++) {
            waitRound(since, round);
        }
        this.work = null;
        for (int p = 0; p < failures.length; p++) {
            Throwable e = failures[p];
            if (e != null) {
                java.util.Arrays.fill(failures, null);
                if (e instanceof RuntimeException re) {
                    throw re;
                }
                if (e instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(e);
            }
        }
    }

    private void loop(int part) {
        long seen = 0;
        while (true) {
            long g;
            long since = System.nanoTime();
            for (int round = 1; (g = generation) == seen && !closed; round++) {
                waitRound(since, round);
            }
            if (closed) {
                return;
            }
            seen = g;
            try {
                work.accept(part);
            } catch (Throwable e) {
                failures[part] = e;
            }
            // The decrement publishes this part's results to the caller.
            if (remaining.decrementAndGet() == 0) {
                LockSupport.unpark(caller);
            }
        }
    }

    /**
     * Round {@code round} (from 1) of a wait that began at {@code since}: a spin until
     * {@link #SPIN_NANOS} have passed (the clock read every {@link #SPINS_PER_CLOCK} rounds), then a
     * park, which returns when the awaited thread unparks this one (or spuriously: the caller's
     * loop checks again).
     */
    private void waitRound(long since, int round) {
        if (round % SPINS_PER_CLOCK != 0 || System.nanoTime() - since < SPIN_NANOS) {
            Thread.onSpinWait();
        } else {
            LockSupport.park(this);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread t : helpers) {
            LockSupport.unpark(t);
        }
    }
}
