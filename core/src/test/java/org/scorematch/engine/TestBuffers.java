package org.scorematch.engine;

/** Values rounded to a kernel set's precision and loaded into its buffers, for the engine's tests. */
final class TestBuffers {
    private TestBuffers() {
    }

    /** {@code v} rounded in place to {@code k}'s precision, so that loading it loses nothing. */
    static double[] round(Kernels k, double[] v) {
        for (int i = 0; i < v.length; i++) {
            v[i] = k.round(v[i]);
        }
        return v;
    }

    /** A buffer of {@code k}'s precision holding {@code v}. */
    static Buffer buffer(Kernels k, double[] v) {
        Buffer b = k.allocate(v.length);
        k.load(v, 0, b, 0, v.length);
        return b;
    }
}
