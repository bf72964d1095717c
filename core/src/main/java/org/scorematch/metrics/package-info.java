/**
 * Evaluation of a fit: Fisher divergence against a known score, kernel Stein discrepancy and MMD
 * with calibrated p-values, numerical log-likelihoods in D ≤ 3 with an error bound on log Z, KDE
 * and Gaussian baselines, and the cross-validated KDE bandwidth. docs/DESIGN.md §4.
 */
package org.scorematch.metrics;
