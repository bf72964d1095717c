package org.scorematch.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;

/** Seeded random mutations of valid inputs for the fuzz tests. */
final class Fuzz {
    private static final byte[] INTERESTING = "0123456789,.\"'\n\r{}[]:-+eE NaInfty\u0000\u00ff".getBytes(
            java.nio.charset.StandardCharsets.ISO_8859_1);

    private Fuzz() {
    }

    /** One to four mutations: flips, overwrites with interesting bytes, cuts, insertions, length fields. */
    static byte[] mutate(byte[] seed, SplittableRandom rng) {
        byte[] b = seed.clone();
        int count = 1 + rng.nextInt(4);
        for (int m = 0; m < count && b.length > 0; m++) {
            int at = rng.nextInt(b.length);
            switch (rng.nextInt(7)) {
                case 0 -> b[at] ^= (byte) (1 << rng.nextInt(8));
                case 1 -> b[at] = INTERESTING[rng.nextInt(INTERESTING.length)];
                case 2 -> b = Arrays.copyOf(b, at);
                case 3 -> {
                    byte[] longer = new byte[b.length + 1];
                    System.arraycopy(b, 0, longer, 0, at);
                    longer[at] = INTERESTING[rng.nextInt(INTERESTING.length)];
                    System.arraycopy(b, at, longer, at + 1, b.length - at);
                    b = longer;
                }
                case 4 -> {
                    byte[] shorter = new byte[b.length - 1];
                    System.arraycopy(b, 0, shorter, 0, at);
                    System.arraycopy(b, at + 1, shorter, at, b.length - at - 1);
                    b = shorter;
                }
                case 5 -> {
                    if (b.length >= 8) {
                        long[] lengths = {0, 1, 7, 8, b.length, b.length - 8, Long.MAX_VALUE, -1, 1L << 40,
                            rng.nextLong()};
                        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, lengths[rng.nextInt(lengths.length)]);
                    }
                }
                default -> {
                    int from = rng.nextInt(b.length);
                    int len = Math.min(1 + rng.nextInt(16), b.length - Math.max(at, from));
                    if (len > 0) {
                        System.arraycopy(b, from, b, at, len);
                    }
                }
            }
        }
        return b;
    }
}
