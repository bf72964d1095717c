/**
 * Exponential families fitted in closed form by score matching (a linear system in θ), generalised
 * score matching on ℝ₊ᴰ, and ℓ1-penalised Gaussian graphical score matching with a unit-free eBIC
 * and cross-validation.
 */
package org.scorematch.expfam;
