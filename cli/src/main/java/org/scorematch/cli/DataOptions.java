package org.scorematch.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.scorematch.ScorematchException;
import org.scorematch.data.Dataset;
import org.scorematch.io.CsvData;
import org.scorematch.io.Npy;
import picocli.CommandLine.Option;

/** Options that say where samples come from: a CSV or .npy file and which of its columns to use. */
final class DataOptions {
    @Option(names = "--data", paramLabel = "FILE",
            description = "Samples: a CSV file with a header row, or a NumPy .npy array (float32/float64).")
    Path data;

    @Option(names = "--columns", split = ",", paramLabel = "COL",
            description = "CSV columns to use, by name or 1-based position (default: all).")
    List<String> columns = new ArrayList<>();

    @Option(names = "--drop", split = ",", paramLabel = "COL",
            description = "CSV columns to leave out, such as labels.")
    List<String> drop = new ArrayList<>();

    @Option(names = "--drop-missing",
            description = "Drop rows with missing cells (empty, NA) instead of stopping at the first one.")
    boolean dropMissing;

    /** Reads the file; {@code defaultColumns}, if non-null, applies when no --columns were given. */
    Dataset read(List<String> defaultColumns, java.io.PrintWriter out) {
        String file = data.getFileName() == null ? data.toString() : data.getFileName().toString();
        if (file.endsWith(".npy")) {
            if (!columns.isEmpty() || !drop.isEmpty()) {
                throw new ScorematchException(data + ": --columns and --drop apply to CSV files");
            }
            return Npy.read(data);
        }
        List<String> cols = columns.isEmpty() && defaultColumns != null ? defaultColumns : columns;
        CsvData.Result r = CsvData.read(data, new CsvData.Options(cols, drop, dropMissing));
        if (r.droppedRows() > 0) {
            out.printf("dropped %d rows with missing cells from %s%n", r.droppedRows(), data);
        }
        return r.dataset();
    }
}
