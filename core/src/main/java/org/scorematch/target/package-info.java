/**
 * Distributions with analytic scores (Gaussian mixtures, banana, funnel, AR(1) Gaussian, rotated
 * Student-t products) for tests, benchmarks and the Fisher divergence. docs/DESIGN.md §5.
 */
package org.scorematch.target;
