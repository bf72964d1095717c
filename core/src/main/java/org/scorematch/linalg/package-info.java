/**
 * Row-major dense matrices and the BLAS calls the engine spends its time in ({@code dgemm} through
 * {@code dev.ludovic.netlib} over OpenBLAS, a pure-Java fallback), and small Cholesky
 * factorisations, plain and pivoted. Depends on nothing else in scorematch. docs/DESIGN.md §3.
 */
package org.scorematch.linalg;
