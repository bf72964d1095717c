package org.scorematch.train;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.scorematch.ScorematchException;
import org.scorematch.data.Dataset;
import org.scorematch.data.Standardization;
import org.scorematch.linalg.Matrix;

/**
 * The rows a run trains and validates on, in standardised units: a seeded split (rows keep their
 * order without a validation share, so one Spark partition trains alike), and the
 * standardisation fitted on the training rows only (or the one a resumed checkpoint carries).
 */
record TrainingRows(Standardization standardization, double[] train, int training, double[] validation,
                    int validationCount) {

    /**
     * Splits {@code data}: {@code round(validationFraction · n)} rows held out by a permutation
     * seeded from {@code seed}; standardised by {@code fixed} when non-null, else by a fit on the
     * training rows when {@code standardize}, else not at all.
     */
    static TrainingRows of(Dataset data, double validationFraction, long seed, boolean standardize,
                           Standardization fixed) {
        int n = data.rows();
        int d = data.dimension();
        int validation = validationFraction > 0 ? (int) Math.round(validationFraction * n) : 0;
        int[] perm = validation > 0 ? EpochBatches.permutation(n, new SplittableRandom(Seeds.split(seed)))
                : IntStream.range(0, n).toArray();
        if (validationFraction > 0 && (validation < 1 || validation >= n)) {
            throw new ScorematchException(data.source() + ": a validation fraction of " + validationFraction + " leaves "
                    + validation + " of " + n + " rows for validation; need at least one on each side");
        }
        int training = n - validation;
        double[] raw = data.values().toArray();
        // Without held-out rows the rows keep their order, so the copies a permutation needs are skipped:
        // each is about 30 ms of a cold start on 20 000 × 50 values (BENCHMARKS.md, whole process).
        Standardization standardization = fixed != null ? fixed : !standardize ? Standardization.identity(d)
                : validation == 0 ? Standardization.fit(data)
                : Standardization.fit(Dataset.of(data.source(), data.columns(),
                        Matrix.of(training, d, gather(raw, perm, 0, training, d))));
        double[] z = standardization.applyInPlace(raw, n);
        double[] train = validation == 0 ? z : gather(z, perm, 0, training, d);
        return new TrainingRows(standardization, train, training, gather(z, perm, training, validation, d),
                validation);
    }

    private static double[] gather(double[] x, int[] perm, int from, int count, int d) {
        double[] out = new double[count * d];
        for (int i = 0; i < count; i++) {
            System.arraycopy(x, perm[from + i] * d, out, i * d, d);
        }
        return out;
    }
}
