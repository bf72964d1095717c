package org.scorematch.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scorematch.ScorematchException;

/**
 * The plain reader against the general one (Apache Commons CSV with {@code Double.parseDouble}):
 * on every input either it declines or both give the same columns and the same bits, and
 * {@link CsvData#read(Path, CsvData.Options)} gives what the general reader gives, errors included.
 */
class PlainNumericCsvTest {
    @TempDir
    Path dir;

    /** Numbers in the forms files hold: shortest repr, fixed, scientific, integers, signs, bare points, Java suffixes. */
    private static String number(SplittableRandom rng) {
        double v = switch (rng.nextInt(4)) {
            case 0 -> rng.nextGaussian();
            case 1 -> rng.nextGaussian() * Math.pow(10, rng.nextInt(-300, 300));
            case 2 -> Double.longBitsToDouble(rng.nextLong()) % 1e6;
            default -> rng.nextInt(-1000, 1000);
        };
        if (!Double.isFinite(v)) {
            v = 0;
        }
        return switch (rng.nextInt(10)) {
            case 0 -> String.format(Locale.ROOT, "%.6f", v);
            case 1 -> String.format(Locale.ROOT, "%.17e", v);
            case 2 -> String.format(Locale.ROOT, "%E", v);
            case 3 -> Long.toString((long) v);
            case 4 -> "+" + Math.abs(v);
            case 5 -> "." + rng.nextInt(1, 1_000_000);
            case 6 -> rng.nextInt(1000) + ".";
            case 7 -> v + (rng.nextBoolean() ? "d" : "D");
            case 8 -> "-0";
            default -> Double.toString(v);
        };
    }

    private static String separator(SplittableRandom rng) {
        return switch (rng.nextInt(3)) {
            case 0 -> "\r\n";
            case 1 -> "\r";
            default -> "\n";
        };
    }

    private static String randomTable(SplittableRandom rng, int rows, int cols) {
        StringBuilder b = new StringBuilder();
        String eol = separator(rng);
        for (int c = 0; c < cols; c++) {
            b.append(c == 0 ? "" : ",").append(rng.nextInt(8) == 0 ? " col " + c + " " : "x" + c);
        }
        for (int r = 0; r < rows; r++) {
            b.append(eol);
            if (rng.nextInt(50) == 0) {
                b.append(rng.nextBoolean() ? "" : "  \t").append(eol);
            }
            for (int c = 0; c < cols; c++) {
                String pad = rng.nextInt(10) == 0 ? " \t" : "";
                b.append(c == 0 ? "" : ",").append(pad).append(number(rng)).append(pad);
            }
        }
        if (rng.nextBoolean()) {
            b.append(eol);
        }
        return b.toString();
    }

    private Path write(String name, byte[] content) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, content);
        return f;
    }

    private static CsvData.Options randomOptions(SplittableRandom rng, int cols) {
        return switch (rng.nextInt(3)) {
            case 0 -> CsvData.Options.all();
            case 1 -> new CsvData.Options(List.of(Integer.toString(1 + rng.nextInt(cols)), "1"), List.of(), false);
            default -> new CsvData.Options(List.of(), cols > 1 ? List.of("1") : List.of(), rng.nextBoolean());
        };
    }

    private static void assertSame(CsvData.Result plain, CsvData.Result general) {
        assertThat(plain.dataset().columns()).isEqualTo(general.dataset().columns());
        assertThat(plain.droppedRows()).isEqualTo(general.droppedRows());
        double[] p = plain.dataset().values().toArray();
        double[] g = general.dataset().values().toArray();
        assertThat(plain.dataset().values().rows()).isEqualTo(general.dataset().values().rows());
        assertThat(p.length).isEqualTo(g.length);
        for (int i = 0; i < p.length; i++) {
            if (Double.doubleToRawLongBits(p[i]) != Double.doubleToRawLongBits(g[i])) {
                throw new AssertionError("value " + i + ": " + p[i] + " against " + g[i]);
            }
        }
    }

    /**
     * 300 random tables of numbers in mixed forms, line breaks and padding (some wider than the
     * 64 KiB buffer, some crossing it many times): the plain reader reads every one, bit for bit
     * as the general reader does.
     */
    @Test
    void readsPlainTablesExactlyAsTheGeneralReader() throws IOException {
        SplittableRandom rng = new SplittableRandom(11);
        for (int t = 0; t < 300; t++) {
            boolean wide = t % 50 == 0;
            int cols = wide ? 4000 : 1 + rng.nextInt(12);
            int rows = t % 7 == 0 && !wide ? 2000 : 1 + rng.nextInt(wide ? 4 : 40);
            Path f = write("t" + t + ".csv", randomTable(rng, rows, cols).getBytes(StandardCharsets.US_ASCII));
            CsvData.Options options = randomOptions(rng, cols);
            CsvData.Result plain = PlainNumericCsv.read(f, options);
            assertThat(plain).as("table %d", t).isNotNull();
            assertSame(plain, CsvData.readGeneral(f, options));
        }
    }

    @Test
    void declinesWhatOnlyTheGeneralReaderHandles() throws IOException {
        String[] declined = {
            "", "a,b\n", "a,b\n1,\"2\"\n", "a,b\n1,NA\n", "a,b\n1,2,3\n", "a,b\n1\n", "a,b\n1,2\n,3\n",
            "a,b\n1,NaN\n", "a,b\n1,1e999\n", "a,b\n1,x\n", "a,b\n1,2\u00a0\n", "a,b\n1,\u00002\n", "\"a\nb\",c\n1,2\n"};
        for (String text : declined) {
            Path f = write("d.csv", text.getBytes(StandardCharsets.UTF_8));
            assertThat(PlainNumericCsv.read(f, CsvData.Options.all())).as("%s", text).isNull();
        }
        Path quotedHeader = write("q.csv", "\"tempé\",\"b\"\n1,2\n".getBytes(StandardCharsets.UTF_8));
        assertThat(PlainNumericCsv.read(quotedHeader, CsvData.Options.all()).dataset().columns())
                .containsExactly("tempé", "b");
    }

    /**
     * Seeded random mutations of plain and quoted tables: {@code CsvData.read} on the
     * file gives the general reader's result or its very error message, whichever path ran.
     * 4000 cases (files on disk make each case cost about half a millisecond).
     */
    @Test
    void mutatedFilesReadAsTheGeneralReaderReadsThem() throws IOException {
        SplittableRandom rng = new SplittableRandom(5);
        byte[][] seeds = {
            randomTable(new SplittableRandom(1), 6, 3).getBytes(StandardCharsets.US_ASCII),
            "a,b,label\n1,2,x\n3.5,-4e-1,y\n-0.25,7,z\n".getBytes(StandardCharsets.US_ASCII),
            "\"x\",\"y\"\n\"1\",2\n3,\"4\"\n".getBytes(StandardCharsets.US_ASCII),
            "p0,p1,p2\r\n0,0,5\r\n13,9,1\r\n,NA,3\r\n".getBytes(StandardCharsets.US_ASCII)};
        for (int c = 0; c < 4000; c++) {
            Path f = write("m.csv", Fuzz.mutate(seeds[rng.nextInt(seeds.length)], rng));
            CsvData.Options options = rng.nextBoolean() ? CsvData.Options.all()
                    : new CsvData.Options(List.of(), List.of("1"), rng.nextBoolean());
            CsvData.Result general;
            try {
                general = CsvData.readGeneral(f, options);
            } catch (ScorematchException e) {
                String message = e.getMessage();
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> CsvData.read(f, options)).as("case %d", c)
                        .isInstanceOf(ScorematchException.class).hasMessage(message);
                continue;
            }
            assertSame(CsvData.read(f, options), general);
        }
    }
}
