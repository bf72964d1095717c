/**
 * scorematch: learning unnormalised densities from samples by score matching, sampling from them
 * and evaluating them. The root holds only {@link org.scorematch.ScorematchException}, the one
 * error type users see for bad input and settings; the packages below import each other without a
 * cycle (checked by a test).
 */
package org.scorematch;
