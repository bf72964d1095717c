package org.scorematch.spark;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.spark.SparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns on the driver while a cluster has no executor, every {@value #WARN_SECONDS} seconds that
 * it has none (at WARN under this class), instead of a training that waits in silence (Spark only queues the tasks). Local
 * mode runs its tasks in the driver and is not watched.
 */
final class ExecutorWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorWatch.class);
    /** Seconds without an executor between warnings. */
    static final int WARN_SECONDS = 30;
    private final ScheduledExecutorService timer;

    private ExecutorWatch(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** Starts watching {@code sc}'s executors until {@link #close}. */
    static ExecutorWatch start(SparkContext sc) {
        return start(sc, WARN_SECONDS, LOG::warn);
    }

    /** As {@link #start(SparkContext)}, warning to {@code warn} every {@code seconds} without an executor. */
    static ExecutorWatch start(SparkContext sc, int seconds, Consumer<String> warn) {
        if (sc.isLocal()) {
            return new ExecutorWatch(null);
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "scorematch-executor-watch");
            t.setDaemon(true);
            return t;
        });
        long[] since = {System.nanoTime()};
        long[] warned = {0};
        timer.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            // The status tracker lists the driver too.
            if (sc.statusTracker().getExecutorInfos().length > 1) {
                since[0] = now;
                warned[0] = 0;
                return;
            }
            long waited = (now - since[0]) / 1_000_000_000L;
            if (waited / seconds > warned[0]) {
                warned[0] = waited / seconds;
                warn.accept("scorematch: no executor has been available for " + waited + " s; training waits for one "
                        + "(are the Workers alive, and do they have the cores and memory the application asks for?)");
            }
        }, 1, 1, TimeUnit.SECONDS);
        return new ExecutorWatch(timer);
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
