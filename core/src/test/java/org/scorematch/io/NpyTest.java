package org.scorematch.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.scorematch.linalg.Matrix;

class NpyTest {
    /** A version-1 .npy file as NumPy writes it. */
    static byte[] npy(String descr, boolean fortran, String shape, double[] values) {
        String header = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': ("
                + shape + "), }";
        int total = 10 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        header = header + " ".repeat(pad) + "\n";
        int width = descr.endsWith("8") ? 8 : 4;
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + width * values.length);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        b.order(ByteOrder.LITTLE_ENDIAN).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1));
        b.order(descr.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            if (width == 8) {
                b.putDouble(v);
            } else {
                b.putFloat((float) v);
            }
        }
        return b.array();
    }

    @Test
    void readsEveryLayout() {
        Matrix expected = Matrix.of(2, 3, 1, 2, 3, 4, 5, 6);
        assertThat(Npy.parse(npy("<f8", false, "2, 3", new double[] {1, 2, 3, 4, 5, 6}), "a").values()).isEqualTo(expected);
        assertThat(Npy.parse(npy(">f8", false, "2, 3", new double[] {1, 2, 3, 4, 5, 6}), "a").values()).isEqualTo(expected);
        assertThat(Npy.parse(npy("<f4", false, "2, 3", new double[] {1, 2, 3, 4, 5, 6}), "a").values()).isEqualTo(expected);
        assertThat(Npy.parse(npy("<f8", true, "2, 3", new double[] {1, 4, 2, 5, 3, 6}), "a").values()).isEqualTo(expected);
        assertThat(Npy.parse(npy("<f8", false, "3,", new double[] {1, 2, 3}), "a").values())
                .isEqualTo(Matrix.of(3, 1, 1, 2, 3));
    }

    /** What {@link Npy#write} writes is the byte layout NumPy writes (the helper above) and reads back exactly. */
    @Test
    void writesWhatNumpyWrites(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        double[] v = {1.5, -2, Math.PI, 1e-300, 7, 8};
        java.nio.file.Path f = dir.resolve("a.npy");
        Npy.write(f, 2, 3, v);
        assertThat(java.nio.file.Files.readAllBytes(f)).isEqualTo(npy("<f8", false, "2, 3", v));
        assertThat(Npy.read(f).values()).isEqualTo(Matrix.of(2, 3, v));
    }

    @Test
    void badFilesAreExplained() {
        assertThatThrownBy(() -> Npy.parse(new byte[] {1, 2, 3}, "f.npy")).hasMessageContaining("f.npy: not a .npy file");
        assertThatThrownBy(() -> Npy.parse(npy("<i8", false, "2,", new double[] {1, 2}), "f.npy"))
                .hasMessageContaining("not supported");
        byte[] truncated = npy("<f8", false, "2, 3", new double[] {1, 2, 3, 4, 5, 6});
        assertThatThrownBy(() -> Npy.parse(java.util.Arrays.copyOf(truncated, truncated.length - 8), "f.npy"))
                .hasMessageContaining("needs 2×3 values but the file holds 5");
        assertThatThrownBy(() -> Npy.parse(npy("<f8", false, "1, 2", new double[] {1, Double.NaN}), "f.npy"))
                .hasMessageContaining("row 1, column 2 is not finite");
        assertThatThrownBy(() -> Npy.parse(npy("<f8", false, "1, 1, 1", new double[] {1}), "f.npy"))
                .hasMessageContaining("1-D or 2-D");
    }

    /** The same array in format version 2 (a 4-byte header length, as NumPy writes large headers). */
    static byte[] version2(byte[] v1) {
        ByteBuffer in = ByteBuffer.wrap(v1).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = in.getShort(8) & 0xffff;
        ByteBuffer out = ByteBuffer.allocate(v1.length + 2).order(ByteOrder.LITTLE_ENDIAN);
        out.put(v1, 0, 6).put((byte) 2).put((byte) 0).putInt(headerLength);
        out.put(v1, 10, v1.length - 10);
        return out.array();
    }

    /**
     * Format versions 2 and 3 read like version 1; version 4 is refused; the edges of the checks:
     * a file of exactly the values it needs reads, one value short is refused (with the count), a
     * header that ends exactly at the end of the file leaves no values, one byte beyond runs past
     * it, and a shape with a zero is empty. Row and column of a bad value count from 1.
     */
    @Test
    void versionsAndTheEdgesOfTheChecks() {
        byte[] v1 = npy("<f8", false, "2, 2", new double[] {1, 2, 3, 4});
        byte[] v2 = version2(v1);
        assertThat(Npy.parse(v2, "a").values()).isEqualTo(Matrix.of(2, 2, 1, 2, 3, 4));
        byte[] v3 = v2.clone();
        v3[6] = 3;
        assertThat(Npy.parse(v3, "a").values()).isEqualTo(Matrix.of(2, 2, 1, 2, 3, 4));
        byte[] v4 = v2.clone();
        v4[6] = 4;
        assertThatThrownBy(() -> Npy.parse(v4, "f.npy")).hasMessageContaining("unsupported .npy format version 4");
        assertThatThrownBy(() -> Npy.parse(java.util.Arrays.copyOf(v2, 11), "f.npy"))
                .hasMessageContaining("truncated .npy header");
        int headerEnd = 10 + (ByteBuffer.wrap(v1).order(ByteOrder.LITTLE_ENDIAN).getShort(8) & 0xffff);
        assertThatThrownBy(() -> Npy.parse(java.util.Arrays.copyOf(v1, headerEnd), "f.npy"))
                .hasMessageContaining("file holds 0");
        assertThatThrownBy(() -> Npy.parse(java.util.Arrays.copyOf(v1, headerEnd - 1), "f.npy"))
                .hasMessageContaining("runs past the end of the file");
        assertThatThrownBy(() -> Npy.parse(java.util.Arrays.copyOf(v1, v1.length - 1), "f.npy"))
                .hasMessageContaining("needs 2×2 values but the file holds 3");
        assertThatThrownBy(() -> Npy.parse(npy("<f8", false, "0, 2", new double[0]), "f.npy"))
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> Npy.parse(npy("<f8", false, "2, 0", new double[0]), "f.npy"))
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> Npy.parse(npy("<f8", false, "2, 2", new double[] {1, 2, Double.POSITIVE_INFINITY, 4}),
                "f.npy")).hasMessageContaining("row 2, column 1 is not finite");
        assertThatThrownBy(() -> Npy.parse(java.util.Arrays.copyOf(v1, 9), "f.npy")).hasMessageContaining("only 9 bytes");
        byte[] ten = java.util.Arrays.copyOf(npy("<f8", false, "1,", new double[] {5}), 10);
        assertThatThrownBy(() -> Npy.parse(ten, "f.npy")).hasMessageContaining("runs past the end");
        assertThat(Npy.parse(npy("<f4", true, "2, 2", new double[] {1, 3, 2, 4}), "a").columns())
                .containsExactly("x1", "x2");
    }
}
