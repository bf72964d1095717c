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
 * <p>Every helper takes part in every call (parts it has no samples for return at once), so a
 * call's count of finished helpers can never mix with the next call's.
 */
final class Crew implements AutoCloseable {
    /** Busy-wait iterations before parking: about 10–50 µs, longer than a step's hand-off, shorter than a pause. */
    private static final int SPINS = 1 << 13;

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
        int spins = 0;
        while (remaining.get() > 0) {
            if (spins++ < SPINS) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
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
            int spins = 0;
            while ((g = generation) == seen && !closed) {
                if (spins++ < SPINS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
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

    @Override
    public void close() {
        closed = true;
        for (Thread t : helpers) {
            LockSupport.unpark(t);
        }
    }
}
