package org.scorematch.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scorematch.ScorematchException;
import org.scorematch.linalg.Matrix;

class CsvDataTest {
    private static CsvData.Result read(String text, CsvData.Options options) {
        return CsvData.read(new StringReader(text), "in.csv", options);
    }

    private static CsvData.Result read(String text) {
        return read(text, CsvData.Options.all());
    }

    @Test
    void readsNumbersWithChosenAndDroppedColumns() {
        String text = "a,b,label\n1,2,x\n3.5,-4e-1,y\n";
        CsvData.Result r = read(text, new CsvData.Options(List.of(), List.of("label"), false));
        assertThat(r.dataset().columns()).containsExactly("a", "b");
        assertThat(r.dataset().values()).isEqualTo(Matrix.of(2, 2, 1, 2, 3.5, -0.4));
        CsvData.Result byPosition = read(text, new CsvData.Options(List.of("2"), List.of(), false));
        assertThat(byPosition.dataset().columns()).containsExactly("b");
    }

    @Test
    void raggedRowNamesItsLine() {
        assertThatThrownBy(() -> read("a,b\n1,2\n3\n")).isInstanceOf(ScorematchException.class)
                .hasMessage("in.csv:3: row has 1 cells, the header has 2");
    }

    @Test
    void nonNumericCellNamesLineAndColumn() {
        assertThatThrownBy(() -> read("a,b\n1,2\n3,abc\n")).isInstanceOf(ScorematchException.class)
                .hasMessageStartingWith("in.csv:3:2: 'abc' in column 'b' is not a number");
    }

    @Test
    void nanAndInfinityAreRefused() {
        assertThatThrownBy(() -> read("a,b\n1,NaN\n")).hasMessageStartingWith("in.csv:2:2: value NaN");
        assertThatThrownBy(() -> read("a,b\nInfinity,1\n")).hasMessageStartingWith("in.csv:2:1: value Infinity");
        assertThatThrownBy(() -> read("a\n1e999\n")).hasMessageStartingWith("in.csv:2:1:").hasMessageContaining("finite");
    }

    @Test
    void emptyFileAndHeaderOnlyAreRefused() {
        assertThatThrownBy(() -> read("")).hasMessageContaining("in.csv: the file is empty");
        assertThatThrownBy(() -> read("a,b\n")).hasMessageContaining("no samples");
    }

    @Test
    void unknownAndDuplicateColumnsAreRefused() {
        assertThatThrownBy(() -> read("a,b\n1,2\n", new CsvData.Options(List.of("c"), List.of(), false)))
                .hasMessageStartingWith("in.csv:1: unknown column 'c'").hasMessageContaining("[a, b]");
        assertThatThrownBy(() -> read("a,a\n1,2\n")).hasMessageStartingWith("in.csv:1:2: duplicate column name 'a'");
    }

    @Test
    void missingCellsAreAnErrorUnlessRowsAreDropped() {
        String text = "a,b\n1,2\n,3\n4,NA\n5,6\n";
        assertThatThrownBy(() -> read(text)).hasMessageStartingWith("in.csv:3:1: missing value in column 'a'");
        CsvData.Result r = read(text, new CsvData.Options(List.of(), List.of(), true));
        assertThat(r.droppedRows()).isEqualTo(2);
        assertThat(r.dataset().values()).isEqualTo(Matrix.of(2, 2, 1, 2, 5, 6));
    }

    @Test
    void writesAtomicallyAndReadsBackExactly(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("out.csv");
        Matrix m = Matrix.of(2, 2, 0.1, 1.0 / 3, -2e-300, 12345.678901234567);
        CsvData.write(f, List.of("x", "y"), m);
        assertThat(CsvData.read(f, CsvData.Options.all()).dataset().values()).isEqualTo(m);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("out.csv");
        }
    }

    /**
     * Seeded random mutations of valid CSV text (quotes, separators, line breaks, NaN, cuts):
     * only the library's own error type ever escapes. 10⁴ cases; -Dscorematch.fuzz.cases for more.
     */
    @Test
    void fuzzedCsvFailsOnlyWithTheLibrarysError() {
        int cases = Integer.getInteger("scorematch.fuzz.cases", 10_000);
        byte[][] seeds = {
            "a,b,label\n1,2,x\n3.5,-4e-1,y\n-0.25,7,z\n".getBytes(java.nio.charset.StandardCharsets.UTF_8),
            "\"x\",\"y\"\n\"1\",2\n3,\"4\"\n".getBytes(java.nio.charset.StandardCharsets.UTF_8),
            "p0,p1,p2\n0,0,5\n13,9,1\n,NA,3\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)};
        java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
        for (int c = 0; c < cases; c++) {
            byte[] b = Fuzz.mutate(seeds[rng.nextInt(seeds.length)], rng);
            CsvData.Options options = rng.nextBoolean() ? CsvData.Options.all()
                    : new CsvData.Options(List.of(), List.of("label"), rng.nextBoolean());
            try {
                read(new String(b, java.nio.charset.StandardCharsets.UTF_8), options);
            } catch (ScorematchException expected) {
                // the one permitted failure
            } catch (RuntimeException | Error e) {
                throw new AssertionError("case " + c + " escaped with " + e, e);
            }
        }
    }

    @Test
    void missingFileIsExplained(@TempDir Path dir) {
        assertThatThrownBy(() -> CsvData.read(dir.resolve("nope.csv"), CsvData.Options.all()))
                .isInstanceOf(ScorematchException.class).hasMessageContaining("nope.csv: cannot read");
    }
}
