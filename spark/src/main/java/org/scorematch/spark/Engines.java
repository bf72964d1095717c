package org.scorematch.spark;

import java.util.concurrent.ConcurrentHashMap;
import org.scorematch.engine.Engine;

/** One core engine per thread count per executor JVM, shared by the tasks that run there. */
final class Engines {
    private static final ConcurrentHashMap<Integer, ThreadLocal<Engine>> ENGINES = new ConcurrentHashMap<>();

    private Engines() {
    }

    /** An engine for the calling task thread (engines are not thread-safe across concurrent tasks). */
    static Engine get(int threads) {
        return ENGINES.computeIfAbsent(threads, t -> ThreadLocal.withInitial(() -> Engine.create(t))).get();
    }
}
