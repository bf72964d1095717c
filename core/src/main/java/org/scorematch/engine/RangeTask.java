package org.scorematch.engine;

/**
 * Elementwise work on the indices {@code [from, to)}, run by one {@link Engine} thread through
 * {@link Engine#forRanges}; parts of one call write disjoint indices.
 */
@FunctionalInterface
public interface RangeTask {
    void run(int from, int to);
}
