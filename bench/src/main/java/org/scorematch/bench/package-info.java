/**
 * Benchmarks: JMH kernels and harnesses for whole steps, parity, quality and small-data runs
 * against the PyTorch reference; never a dependency of the library.
 */
package org.scorematch.bench;
