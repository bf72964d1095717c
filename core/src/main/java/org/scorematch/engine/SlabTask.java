package org.scorematch.engine;

/**
 * Work on one slab of consecutive samples, run by an {@link Engine} thread with that thread's
 * workspace. Returns the slab's contribution to a sum (a loss, say); adds its parameter
 * gradient into {@code grad} when the run asked for one.
 */
@FunctionalInterface
public interface SlabTask {
    double run(JetWorkspace workspace, int firstSample, int sampleCount, double[] grad);
}
