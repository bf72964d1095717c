/**
 * Training: the {@link org.scorematch.train.Trainer} (standardisation, seeded mini-batches,
 * optimiser steps with clipping, decay and a weight average, validation, early stopping,
 * checkpoints and exact resume), the default-objective rule for small data, and the training log.
 */
package org.scorematch.train;
