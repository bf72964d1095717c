/**
 * Optimisers (Adam, SGD with momentum) whose state can be saved and restored exactly, and
 * learning-rate schedules.
 */
package org.scorematch.optim;
