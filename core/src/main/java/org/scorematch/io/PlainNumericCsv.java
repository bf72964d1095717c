package org.scorematch.io;

import com.fasterxml.jackson.core.io.NumberInput;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.scorematch.ScorematchException;
import org.scorematch.data.Dataset;
import org.scorematch.linalg.Matrix;

/**
 * The common case of {@link CsvData#read(Path, CsvData.Options)} — a header row, then rows of
 * plain numbers — read straight from the file's bytes, or {@code null} when the file needs the
 * general reader.
 *
 * <p>Hand-written because the general reader (Apache Commons CSV) makes a {@code String} per cell
 * and a record per row, and {@link Double#parseDouble} runs the JDK's general algorithm: on a
 * fresh JVM that was 0.55 s of a 4.4 s training command on 20 000 × 50 numbers (issue 15's whole
 * process), this reader about half that. Numbers are parsed by Jackson's copy of FastDoubleParser
 * (Lemire's algorithm, correctly rounded like {@code Double.parseDouble}, so the values are the
 * same bits). It accepts only what it can read exactly as the general reader would: printable
 * ASCII, tabs and line breaks, no quote anywhere after the header, every row as wide as the
 * header, every chosen cell a finite number. Anything else — a quote, a missing or malformed
 * cell, a ragged row, a stray control byte or non-ASCII byte — returns {@code null}, so every
 * error message and every missing-value rule stays the general reader's alone.
 */
final class PlainNumericCsv {
    private static final CSVFormat HEADER_FORMAT = CSVFormat.RFC4180.builder().setIgnoreSurroundingSpaces(true).build();
    private static final int BUFFER = 1 << 16;

    private PlainNumericCsv() {
    }

    /** The table in {@code file}, or {@code null} when the general reader must read it. */
    static CsvData.Result read(Path file, CsvData.Options options) {
        String name = file.toString();
        try (InputStream in = Files.newInputStream(file)) {
            return new PlainNumericCsv.Scan(in, name, options).run();
        } catch (IOException | UncheckedIOException e) {
            return null;
        }
    }

    /** One pass over one file: the header line, then complete lines from a refilled buffer. */
    private static final class Scan {
        private final InputStream in;
        private final String name;
        private final CsvData.Options options;
        private byte[] buf = new byte[BUFFER];
        private int length;
        private char[] cell = new char[64];
        private CsvData.Columns columns;
        private boolean[] needed;
        private double[] row;
        private final Blocks values = new Blocks();
        private int rows;

        Scan(InputStream in, String name, CsvData.Options options) {
            this.in = in;
            this.name = name;
            this.options = options;
        }

        CsvData.Result run() throws IOException {
            int start = 0;
            while (true) {
                int end = lineEnd(start);
                if (end >= 0) {
                    if (!line(start, end)) {
                        return null;
                    }
                    start = end + 1;
                    continue;
                }
                compact(start);
                start = 0;
                if (!fill()) {
                    if (length > 0 && !line(0, length)) {
                        return null;
                    }
                    break;
                }
            }
            if (columns == null || rows == 0) {
                return null;
            }
            Matrix m = Matrix.of(rows, columns.chosen().length, values.toArray());
            return new CsvData.Result(Dataset.of(name, columns.names(), m), 0);
        }

        /** The first line break at or after {@code from}, or −1. */
        private int lineEnd(int from) {
            for (int i = from; i < length; i++) {
                byte b = buf[i];
                if (b == '\n' || b == '\r') {
                    return i;
                }
            }
            return -1;
        }

        /** Moves the partial line at {@code start} to the front, growing the buffer when that line fills it. */
        private void compact(int start) {
            System.arraycopy(buf, start, buf, 0, length - start);
            length -= start;
            if (length == buf.length) {
                buf = Arrays.copyOf(buf, 2 * buf.length);
            }
        }

        /** Reads more bytes into the buffer; false at the end of the file. */
        private boolean fill() throws IOException {
            int n = in.read(buf, length, buf.length - length);
            if (n < 0) {
                return false;
            }
            length += n;
            return true;
        }

        /** One line without its break; false when the general reader must take over. */
        private boolean line(int from, int to) {
            if (columns == null) {
                return header(from, to);
            }
            int width = columns.header().size();
            int column = 0;
            int cellStart = from;
            boolean blank = true;
            for (int i = from; i < to; i++) {
                byte b = buf[i];
                if (b == ',') {
                    if (column >= width - 1 || !cell(column, cellStart, i)) {
                        return false;
                    }
                    column++;
                    cellStart = i + 1;
                    blank = false;
                } else if (b == '"' || b < 0x20 && b != '\t' || b == 0x7f) {
                    // a quote, a control byte or (as a negative byte) anything beyond ASCII
                    return false;
                } else if (b != ' ' && b != '\t') {
                    blank = false;
                }
            }
            if (blank) {
                // the general reader's one empty cell, which it skips as an empty line
                return true;
            }
            if (column != width - 1 || !cell(column, cellStart, to)) {
                return false;
            }
            int[] chosen = columns.chosen();
            for (int c : chosen) {
                values.add(row[c]);
            }
            rows++;
            return true;
        }

        /** Parses the cell {@code [from, to)} of {@code column} when it is read; false unless it is a finite number. */
        private boolean cell(int column, int from, int to) {
            if (!needed[column]) {
                return true;
            }
            while (from < to && (buf[from] == ' ' || buf[from] == '\t')) {
                from++;
            }
            while (to > from && (buf[to - 1] == ' ' || buf[to - 1] == '\t')) {
                to--;
            }
            int n = to - from;
            if (n == 0) {
                return false;
            }
            if (cell.length < n) {
                cell = new char[Math.max(n, 2 * cell.length)];
            }
            for (int i = 0; i < n; i++) {
                cell[i] = (char) buf[from + i];
            }
            double v;
            try {
                v = NumberInput.parseDouble(cell, 0, n, true);
            } catch (NumberFormatException e) {
                return false;
            }
            if (!Double.isFinite(v)) {
                return false;
            }
            row[column] = v;
            return true;
        }

        /** The header line, parsed as the general reader parses it; false unless it is one whole record. */
        private boolean header(int from, int to) {
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(buf, from, to - from)).toString();
            } catch (CharacterCodingException e) {
                return false;
            }
            CSVRecord record;
            try (CSVParser parser = CSVParser.parse(text, HEADER_FORMAT)) {
                var records = parser.getRecords();
                if (records.size() != 1) {
                    return false;
                }
                record = records.get(0);
            } catch (IOException | UncheckedIOException | IllegalStateException e) {
                return false;
            }
            try {
                columns = CsvData.Columns.of(record, options, name);
            } catch (ScorematchException e) {
                // the general reader words it, and may meet an earlier problem first
                return false;
            }
            needed = new boolean[columns.header().size()];
            for (int c : columns.chosen()) {
                needed[c] = true;
            }
            row = new double[needed.length];
            return true;
        }
    }

    /**
     * Values appended in blocks of 2¹⁵, copied once into an array of the exact length: doubling
     * one array writes about three times the data, and fresh memory is what a cold start pays for.
     */
    private static final class Blocks {
        private static final int SIZE = 1 << 15;
        private double[][] blocks = new double[16][];
        private int count;

        void add(double v) {
            int b = count / SIZE;
            if (b == blocks.length) {
                blocks = Arrays.copyOf(blocks, 2 * blocks.length);
            }
            if (blocks[b] == null) {
                blocks[b] = new double[SIZE];
            }
            blocks[b][count % SIZE] = v;
            count++;
        }

        double[] toArray() {
            double[] all = new double[count];
            for (int b = 0, at = 0; at < count; b++, at += SIZE) {
                System.arraycopy(blocks[b], 0, all, at, Math.min(SIZE, count - at));
            }
            return all;
        }
    }
}
