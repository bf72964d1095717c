/**
 * Files in and out: CSV and {@code .npy} readers that name file, line and column on bad input,
 * model files and checkpoints in the safetensors layout, and atomic writes (a temporary file, then
 * a rename). docs/DESIGN.md §6.
 */
package org.scorematch.io;
