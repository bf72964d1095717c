package org.scorematch;

import org.scorematch.engine.Engine;

/** Engines the tests of one JVM share: made once; their daemon threads end with the JVM. */
public final class TestEngines {
    /** Two engine threads, as CI's machines have two cores (Engine.run is synchronized). */
    public static final Engine TWO_THREADS = Engine.create(2);

    private TestEngines() {
    }
}
