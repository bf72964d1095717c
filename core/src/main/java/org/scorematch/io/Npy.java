package org.scorematch.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.scorematch.ScorematchException;
import org.scorematch.data.Dataset;
import org.scorematch.linalg.Matrix;

/**
 * Reads NumPy {@code .npy} arrays of float32 or float64 (either byte order, C or Fortran order,
 * 1-D as one column or 2-D as rows × columns) and writes 2-D float64 ones. Hand-written: the format is a short header and
 * raw data, and no maintained Java library reads it. Every length is checked against the file
 * before use; NaN and infinite values are refused with their row and column.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([fiu])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /**
     * Writes a row-major {@code rows × cols} array as a little-endian float64 C-order {@code .npy}
     * (format 1.0, header padded to a multiple of 64 bytes), atomically.
     */
    public static void write(Path file, int rows, int cols, double[] values) {
        if (values.length != (long) rows * cols) {
            throw new IllegalArgumentException(values.length + " values do not fill " + rows + " × " + cols);
        }
        StringBuilder header = new StringBuilder("{'descr': '<f8', 'fortran_order': False, 'shape': (" + rows + ", "
                + cols + "), }");
        while ((MAGIC.length + 4 + header.length() + 1) % 64 != 0) {
            header.append(' ');
        }
        header.append('\n');
        ByteBuffer buf = ByteBuffer.allocate(MAGIC.length + 4 + header.length() + 8 * values.length)
                .order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length())
                .put(header.toString().getBytes(StandardCharsets.ISO_8859_1));
        for (double v : values) {
            buf.putDouble(v);
        }
        AtomicFiles.write(file, out -> out.write(buf.array()));
    }

    /** Reads a float32 or float64 {@code .npy} file as a data set with columns x1, x2, …. */
    public static Dataset read(Path file) {
        String name = file.toString();
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > Integer.MAX_VALUE - 8) {
                throw new ScorematchException(name + ": file of " + size + " bytes is too large to load");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ScorematchException(name + ": cannot read: " + e.getMessage(), e);
        }
        return parse(bytes, name);
    }

    /** Parses the bytes of a {@code .npy} file; {@code name} is used in error messages. */
    public static Dataset parse(byte[] bytes, String name) {
        if (bytes.length < 10) {
            throw new ScorematchException(name + ": not a .npy file (only " + bytes.length + " bytes)");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                throw new ScorematchException(name + ": not a .npy file (bad magic string)");
            }
        }
        int major = bytes[6] & 0xff;
        ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength;
        int headerStart;
        if (major == 1) {
            headerLength = le.getShort(8) & 0xffff;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw new ScorematchException(name + ": truncated .npy header");
            }
            headerLength = le.getInt(8) & 0xffffffffL;
            headerStart = 12;
        } else {
            throw new ScorematchException(name + ": unsupported .npy format version " + major);
        }
        if (headerStart + headerLength > bytes.length) {
            throw new ScorematchException(name + ": .npy header of " + headerLength + " bytes runs past the end of the file");
        }
        String header = new String(bytes, headerStart, (int) headerLength, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new ScorematchException(name + ": malformed .npy header " + header.strip());
        }
        if (!d.group(2).equals("f") || !(d.group(3).equals("4") || d.group(3).equals("8"))) {
            throw new ScorematchException(name + ": dtype '" + d.group(1) + d.group(2) + d.group(3)
                    + "' is not supported; expected float32 or float64");
        }
        int width = Integer.parseInt(d.group(3));
        ByteOrder order = d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        boolean fortran = f.group(1).equals("True");
        List<Long> dims = new ArrayList<>();
        for (String part : s.group(1).split(",")) {
            if (!part.isBlank()) {
                try {
                    dims.add(Long.parseLong(part.strip()));
                } catch (NumberFormatException e) {
                    throw new ScorematchException(name + ": malformed .npy shape (" + s.group(1) + ")");
                }
            }
        }
        if (dims.isEmpty() || dims.size() > 2) {
            throw new ScorematchException(name + ": expected a 1-D or 2-D array, got shape (" + s.group(1) + ")");
        }
        long rows = dims.get(0);
        long cols = dims.size() == 2 ? dims.get(1) : 1;
        if (rows < 1 || cols < 1) {
            throw new ScorematchException(name + ": the array is empty (shape (" + s.group(1) + "))");
        }
        long dataStart = headerStart + headerLength;
        long need = rows * cols;
        if (need > (bytes.length - dataStart) / width || need > Integer.MAX_VALUE) {
            throw new ScorematchException(name + ": shape (" + s.group(1) + ") needs " + rows + "×" + cols + " values but the "
                    + "file holds " + (bytes.length - dataStart) / width);
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, (int) dataStart, bytes.length - (int) dataStart).slice().order(order);
        double[] values = new double[(int) need];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                long k = fortran ? (long) c * rows + r : (long) r * cols + c;
                double v = width == 8 ? data.getDouble((int) (k * 8)) : data.getFloat((int) (k * 4));
                if (!Double.isFinite(v)) {
                    throw new ScorematchException(name + ": value " + v + " at row " + (r + 1) + ", column " + (c + 1)
                            + " is not finite");
                }
                values[(int) (r * cols + c)] = v;
            }
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < cols; c++) {
            names.add("x" + (c + 1));
        }
        return Dataset.of(name, names, Matrix.of((int) rows, (int) cols, values));
    }
}
