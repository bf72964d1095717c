package org.scorematch.spark;

import java.util.concurrent.ConcurrentHashMap;
import org.scorematch.engine.Engine;
import org.scorematch.engine.Precision;

/** One core engine per thread count and precision per executor JVM, shared by the tasks that run there. */
final class Engines {
    private static final ConcurrentHashMap<String, ThreadLocal<Engine>> ENGINES = new ConcurrentHashMap<>();

    private Engines() {
    }

    /** An engine for the calling task thread (engines are not thread-safe across concurrent tasks). */
    static Engine get(int threads, Precision precision) {
        return ENGINES.computeIfAbsent(threads + "/" + precision.id(),
                key -> ThreadLocal.withInitial(() -> Engine.create(threads, precision))).get();
    }
}
