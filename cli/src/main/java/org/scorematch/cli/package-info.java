/**
 * The {@code scorematch} command line (picocli): the only place that knows {@code --flags}; each
 * command parses its options into core settings and calls the library.
 */
package org.scorematch.cli;
