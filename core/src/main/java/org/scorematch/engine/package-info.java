/**
 * The jet engine: networks as a closed list of operations ({@link org.scorematch.engine.Op}) with
 * activations that give σ, σ′, σ″, σ‴ in closed form, Taylor jets (value, tangents along K
 * directions, summed second-order part) propagated forward on slabs of stacked rows and one
 * reverse pass for the θ-gradient, and a data-parallel slab runner ({@link
 * org.scorematch.engine.Engine}). Knows nothing of models or objectives. docs/DESIGN.md §2, §3.
 */
package org.scorematch.engine;
