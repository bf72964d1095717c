package org.scorematch.train;

import java.util.Map;

/**
 * The training state a checkpoint keeps beside its model, enough for a resumed run to continue
 * bit for bit: the last completed step, the seconds spent so far, the settings that shape the
 * trajectory (a resume must match them), the parameters, their moving average (null without
 * one), the optimiser's state vectors and early stopping's memory. {@link CheckpointFile} writes
 * and reads it.
 */
record Checkpoint(int step, double seconds, String settings, double[] theta, double[] ema,
                  Map<String, double[]> optimizerState, BestEvaluation.State best) {
}
