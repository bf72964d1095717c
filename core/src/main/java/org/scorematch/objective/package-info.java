/**
 * Score-matching objectives as batch loss-and-gradient functions: exact (Hyvärinen) as a forward
 * Laplacian, sliced and variance-reduced sliced along Rademacher, Gaussian or sphere directions,
 * single-level and multi-scale denoising, and explicit matching against a known score. Every
 * stochastic objective draws its noise or directions from the generator it is given.
 * docs/DESIGN.md §1, §2.
 */
package org.scorematch.objective;
