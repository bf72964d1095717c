/**
 * The built-in data sets by name: 2-D toys, N-D targets with analytic scores and real public
 * tables bundled as resources (credited in NOTICE).
 */
package org.scorematch.datasets;
