/**
 * Samplers over many chains at once: unadjusted Langevin, MALA, HMC, replica exchange (tempering)
 * and annealed Langevin, with rank-normalised split-R̂ and bulk ESS for every run. All randomness
 * from the generator passed in. docs/DESIGN.md §4.
 */
package org.scorematch.sample;
