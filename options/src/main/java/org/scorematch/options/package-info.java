/** The training options shared by the command line and the Spark driver (picocli). */
package org.scorematch.options;
