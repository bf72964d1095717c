/**
 * Models: energies {@code p ∝ exp(−E_θ)} and score networks {@code s_θ ≈ ∇ₓ log p} over an {@link
 * org.scorematch.model.Architecture} (optionally noise-conditional on a {@link
 * org.scorematch.model.NoiseLadder}), the score view the objectives share, and {@link
 * org.scorematch.model.TrainedModel}, which answers in data units. docs/DESIGN.md §1.
 */
package org.scorematch.model;
