/**
 * Pictures (JFreeChart, headless) and the self-contained HTML report: densities, energies, scores,
 * samples and loss curves. Kept apart so that a library user pulls in no AWT.
 */
package org.scorematch.plot;
