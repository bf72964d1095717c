/**
 * Data as named columns of doubles ({@link org.scorematch.data.Dataset}) and the per-column
 * standardisation models are trained in, with the chain rule that turns scores and energies back
 * into data units.
 */
package org.scorematch.data;
