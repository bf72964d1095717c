package org.scorematch.engine;

/**
 * A flat array in an engine's working {@link Precision}. Only the {@link Kernels} of that
 * precision read or write it, so rules and callers never see which primitive type it holds.
 */
abstract class Buffer {
    /** Number of elements. */
    abstract int length();
}
