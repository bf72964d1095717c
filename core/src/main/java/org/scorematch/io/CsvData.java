package org.scorematch.io;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.scorematch.ScorematchException;
import org.scorematch.data.Dataset;
import org.scorematch.linalg.Matrix;

/**
 * Reads numeric samples from a CSV file with a header row (RFC 4180, via Apache Commons CSV).
 * Columns are chosen by name or 1-based position; label columns can be dropped. Every problem
 * is a {@link ScorematchException} naming {@code file:line:column}: ragged rows, non-numeric
 * cells, NaN or infinite values, an empty file, unknown or duplicate columns, and missing cells
 * (empty, {@code NA}, {@code N/A}, {@code null}) unless rows with missing cells are to be dropped.
 */
public final class CsvData {
    private static final Set<String> MISSING = Set.of("", "na", "n/a", "null", "none");

    /**
     * Which columns to read: {@code columns} (names or 1-based positions; empty for all),
     * {@code drop} (names or positions left out), and whether rows with missing cells are
     * dropped instead of refused.
     */
    public record Options(List<String> columns, List<String> drop, boolean dropMissingRows) {
        public Options {
            columns = List.copyOf(columns);
            drop = List.copyOf(drop);
        }

        /** Every column, none dropped, rows with missing values refused. */
        public static Options all() {
            return new Options(List.of(), List.of(), false);
        }
    }

    /** What was read, and how many rows were dropped for missing cells. */
    public record Result(Dataset dataset, int droppedRows) {
    }

    private CsvData() {
    }

    /**
     * Reads {@code file} as a numeric table; errors name the file, line and column. A file of
     * plain numbers is read by {@link PlainNumericCsv}; anything it does not handle (quotes,
     * missing or malformed cells, any error) is read again by the general reader, so the result
     * and every message are the general reader's.
     */
    public static Result read(Path file, Options options) {
        Result plain = PlainNumericCsv.read(file, options);
        return plain != null ? plain : readGeneral(file, options);
    }

    /** The general reader (Apache Commons CSV) alone; package-private for the tests that compare the two. */
    static Result readGeneral(Path file, Options options) {
        String name = file.toString();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(reader, name, options);
        } catch (IOException e) {
            throw new ScorematchException(name + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Reads from {@code reader}; {@code name} is used in error messages. */
    public static Result read(Reader reader, String name, Options options) {
        CSVFormat format = CSVFormat.RFC4180.builder().setIgnoreSurroundingSpaces(true).build();
        try (CSVParser parser = CSVParser.parse(reader, format)) {
            var it = parser.iterator();
            if (!it.hasNext()) {
                throw ScorematchException.at(name, 0, 0, "the file is empty; expected a header row and samples");
            }
            Columns columns = Columns.of(it.next(), options, name);
            List<String> header = columns.header();
            int[] chosen = columns.chosen();
            double[] values = new double[Math.max(16, 64 * chosen.length)];
            int rows = 0;
            int dropped = 0;
            long line = 1;
            while (it.hasNext()) {
                CSVRecord record;
                try {
                    record = it.next();
                } catch (RuntimeException e) {
                    throw ScorematchException.at(name, line + 1, 0, "malformed CSV: " + e.getMessage());
                }
                line = parser.getCurrentLineNumber();
                if (record.size() == 1 && record.get(0).isEmpty()) {
                    continue;
                }
                if (record.size() != header.size()) {
                    throw ScorematchException.at(name, line, 0, "row has " + record.size() + " cells, the header has "
                            + header.size());
                }
                if (values.length < (rows + 1) * chosen.length) {
                    values = Arrays.copyOf(values, 2 * values.length);
                }
                boolean missing = false;
                for (int j = 0; j < chosen.length; j++) {
                    String cell = record.get(chosen[j]).strip();
                    if (isMissing(cell)) {
                        if (!options.dropMissingRows()) {
                            throw ScorematchException.at(name, line, chosen[j] + 1, "missing value in column '"
                                    + header.get(chosen[j]) + "' (drop such rows: setting 'drop-missing')");
                        }
                        missing = true;
                        break;
                    }
                    values[rows * chosen.length + j] = parse(cell, name, line, chosen[j] + 1, header.get(chosen[j]));
                }
                if (missing) {
                    dropped++;
                } else {
                    rows++;
                }
            }
            if (rows == 0) {
                throw ScorematchException.at(name, 0, 0, "no samples: the file has a header but no complete data rows");
            }
            Matrix m = Matrix.of(rows, chosen.length, Arrays.copyOf(values, rows * chosen.length));
            return new Result(Dataset.of(name, columns.names(), m), dropped);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new ScorematchException(name + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code values} with a header row to {@code file} atomically, each number in the
     * shortest form that reads back exactly.
     */
    public static void write(Path file, List<String> header, Matrix values) {
        AtomicFiles.write(file, out -> {
            var w = new java.io.BufferedWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8));
            try (CSVPrinter printer = new CSVPrinter(w, CSVFormat.RFC4180.builder().setRecordSeparator("\n").build())) {
                printer.printRecord(header);
                for (int i = 0; i < values.rows(); i++) {
                    List<String> row = new ArrayList<>();
                    for (int j = 0; j < values.cols(); j++) {
                        row.add(Double.toString(values.get(i, j)));
                    }
                    printer.printRecord(row);
                }
            }
        });
    }

    private static double parse(String cell, String name, long line, int column, String header) {
        double v;
        try {
            v = Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            throw ScorematchException.at(name, line, column, "'" + abbreviate(cell) + "' in column '" + header
                    + "' is not a number");
        }
        if (!Double.isFinite(v)) {
            throw ScorematchException.at(name, line, column, "value " + cell + " in column '" + header
                    + "' is not finite");
        }
        return v;
    }

    /** Whether {@code cell} is a missing-value marker; a number never starts with a letter, so most cells skip the lookup. */
    private static boolean isMissing(String cell) {
        return cell.isEmpty() || Character.isLetter(cell.charAt(0)) && MISSING.contains(cell.toLowerCase(Locale.ROOT));
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    /** The header's names (stripped), the chosen columns' positions in reading order, and their names. */
    record Columns(List<String> header, int[] chosen, List<String> names) {
        /** From the header row's cells; refuses duplicate names and unknown or no columns. */
        static Columns of(Iterable<String> headerCells, Options options, String name) {
            List<String> header = new ArrayList<>();
            headerCells.forEach(h -> header.add(h.strip()));
            Map<String, Integer> index = new HashMap<>();
            for (int c = 0; c < header.size(); c++) {
                if (index.put(header.get(c), c) != null) {
                    throw ScorematchException.at(name, 1, c + 1, "duplicate column name '" + header.get(c) + "'");
                }
            }
            int[] chosen = choose(options, header, index, name);
            List<String> names = new ArrayList<>();
            for (int c : chosen) {
                names.add(header.get(c));
            }
            return new Columns(List.copyOf(header), chosen, List.copyOf(names));
        }
    }

    private static int[] choose(Options options, List<String> header, Map<String, Integer> index, String name) {
        List<Integer> wanted = new ArrayList<>();
        if (options.columns().isEmpty()) {
            for (int c = 0; c < header.size(); c++) {
                wanted.add(c);
            }
        } else {
            for (String spec : options.columns()) {
                wanted.add(resolve(spec, header, index, name));
            }
        }
        for (String spec : options.drop()) {
            wanted.remove(Integer.valueOf(resolve(spec, header, index, name)));
        }
        if (wanted.isEmpty()) {
            throw ScorematchException.at(name, 1, 0, "no columns left to read");
        }
        return wanted.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int resolve(String spec, List<String> header, Map<String, Integer> index, String name) {
        Integer c = index.get(spec);
        if (c != null) {
            return c;
        }
        if (spec.matches("\\d+")) {
            int p = Integer.parseInt(spec);
            if (p >= 1 && p <= header.size()) {
                return p - 1;
            }
        }
        throw ScorematchException.at(name, 1, 0, "unknown column '" + spec + "'; the header has " + header);
    }
}
