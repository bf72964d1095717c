package org.scorematch.train;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.scorematch.ScorematchException;

/**
 * The loss curve a {@link Trainer} writes with {@code log(path)} (columns {@link Trainer#LOG_HEADER}),
 * read back: one entry per logged step, with {@code NaN} where a step has no held-out evaluation
 * (every step but every {@code evaluateEvery}-th, and all steps when no rows are held out).
 * Older logs without the {@code held_out_log_likelihood} column are read too.
 */
public record TrainingLog(double[] steps, double[] loss, double[] heldOutLoss, double[] heldOutLogLikelihood) {

    /**
     * One line of the log: step, loss, held-out loss and log-likelihood (empty cells where there was
     * no evaluation), learning rate and seconds, under {@link Trainer#LOG_HEADER}.
     */
    static String row(int step, double loss, double heldOut, double heldOutLogLikelihood, double lr, double seconds) {
        return String.format(java.util.Locale.ROOT, "%d,%.17g,%s,%s,%.17g,%.3f%n", step, loss, cell(heldOut),
                cell(heldOutLogLikelihood), lr, seconds);
    }

    private static String cell(double v) {
        return Double.isNaN(v) ? "" : String.format(java.util.Locale.ROOT, "%.17g", v);
    }

    /** Reads {@code file}; a missing column, a non-numeric cell or no rows is an error naming the file and line. */
    public static TrainingLog read(Path file) {
        String name = file.toString();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build()
                        .parse(reader)) {
            List<String> header = parser.getHeaderNames();
            for (String required : List.of("step", "loss")) {
                if (!header.contains(required)) {
                    throw ScorematchException.at(name, 1, 0, "not a training log: no '" + required
                            + "' column (expected " + Trainer.LOG_HEADER + ")");
                }
            }
            double[][] columns = new double[4][16];
            String[] names = {"step", "loss", "held_out_loss", "held_out_log_likelihood"};
            int rows = 0;
            for (CSVRecord r : parser) {
                if (rows == columns[0].length) {
                    for (int c = 0; c < columns.length; c++) {
                        columns[c] = Arrays.copyOf(columns[c], 2 * rows);
                    }
                }
                for (int c = 0; c < names.length; c++) {
                    columns[c][rows] = cell(r, names[c], c < 2, name, header);
                }
                rows++;
            }
            if (rows == 0) {
                throw ScorematchException.at(name, 1, 0, "the training log has a header but no steps");
            }
            int n = rows;
            return new TrainingLog(Arrays.copyOf(columns[0], n), Arrays.copyOf(columns[1], n),
                    Arrays.copyOf(columns[2], n), Arrays.copyOf(columns[3], n));
        } catch (IOException | java.io.UncheckedIOException | IllegalStateException e) {
            throw new ScorematchException(name + ": cannot read the training log: " + e.getMessage(), e);
        }
    }

    private static double cell(CSVRecord r, String column, boolean required, String file, List<String> header) {
        if (!header.contains(column) || !r.isSet(column) || r.get(column).isBlank()) {
            if (required) {
                throw ScorematchException.at(file, r.getRecordNumber() + 1, header.indexOf(column) + 1,
                        "missing value in column '" + column + "'");
            }
            return Double.NaN;
        }
        try {
            return Double.parseDouble(r.get(column).strip());
        } catch (NumberFormatException e) {
            throw ScorematchException.at(file, r.getRecordNumber() + 1, header.indexOf(column) + 1,
                    "not a number in column '" + column + "': '" + r.get(column) + "'");
        }
    }
}
