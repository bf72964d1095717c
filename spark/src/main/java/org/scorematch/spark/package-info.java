/**
 * Apache Spark ML: an estimator that trains by score matching over a table's partitions with the
 * core's batch loss-and-gradient, and a transformer that scores rows. Kept apart so that a library
 * user pulls in no Spark.
 */
package org.scorematch.spark;
