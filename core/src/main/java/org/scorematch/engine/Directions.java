package org.scorematch.engine;

/**
 * Which directions {@code v₁..v_K} a jet pass differentiates along, for every sample of a batch
 * (docs/DESIGN.md §2). Each kind starts its tangents at the first affine map {@code z₁ = W₁x + b₁}
 * in its own way and sends their adjoints back in its own way; the workspace dispatches on the
 * kind once per pass, through these two methods.
 */
public abstract sealed class Directions permits Directions.None, Directions.PerSample, Directions.Basis,
        Directions.FirstLayer {
    private final int count;

    private Directions(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("a negative number of directions: " + count);
        }
        this.count = count;
    }

    /** No directions: plain evaluation (order-0 jets). */
    public static Directions none() {
        return None.INSTANCE;
    }

    /**
     * {@code k} explicit directions per sample: sample i's direction d is row {@code i·k + d} of
     * {@code v} (rows of width D, row-major), indexed from the batch's first sample.
     */
    public static Directions perSample(double[] v, int k) {
        return new PerSample(v, k, 0);
    }

    /**
     * The basis vectors {@code e₀..e_{k−1}}, the same for every sample: their first-layer tangents
     * are columns of W₁ and cost no GEMM (the forward Laplacian, docs/DESIGN.md §2).
     */
    public static Directions basis(int k) {
        return new Basis(k);
    }

    /**
     * Directions that start at the first affine map's output instead of at the input: tangent d
     * of every sample is {@code u_d}, row d of {@code uT} (k × H, row-major). In the reverse pass
     * the tangents' adjoints, summed over samples, are added into the gradient array from
     * position {@code adjointOffset} in the same layout ({@code ∂loss/∂U}) instead of into W₁'s
     * gradient; the caller chains them to W₁ (the D &gt; H path, docs/DESIGN.md §3).
     */
    public static Directions firstLayer(double[] uT, int k, int adjointOffset) {
        return new FirstLayer(uT, k, adjointOffset);
    }

    /** Directions per sample, K. */
    public int count() {
        return count;
    }

    /** Refuses directions that do not fit a network with {@code inputDim} inputs. */
    void check(int inputDim) {
    }

    /** Component {@code c} of sample b's direction d of the block in flight. */
    double component(JetPass p, int b, int d, int c) {
        throw new UnsupportedOperationException("these directions have no components in input space");
    }

    /**
     * Writes the tangent rows of the first affine map's output {@code z} for the pass's block
     * ({@code block}: room for K × H values, the first rule's).
     */
    abstract void seedTangents(JetPass p, Op.Affine first, Buffer z, Buffer block);

    /**
     * Adds what the tangent rows' adjoints {@code g} contribute to the gradient: W₁'s for
     * directions in input space, {@code ∂loss/∂U} for first-layer ones ({@code scratch}: room
     * for H × D values; {@code sums}: K × H doubles).
     */
    abstract void addTangentGradient(JetPass p, Op.Affine first, Buffer g, Buffer scratch, double[] sums);

    static final class None extends Directions {
        static final None INSTANCE = new None();

        private None() {
            super(0);
        }

        @Override
        void seedTangents(JetPass p, Op.Affine first, Buffer z, Buffer block) {
        }

        @Override
        void addTangentGradient(JetPass p, Op.Affine first, Buffer g, Buffer scratch, double[] sums) {
        }
    }

    static final class PerSample extends Directions {
        private final double[] v;
        /** The batch sample whose directions are row 0 of {@link #v}. */
        private final int base;

        PerSample(double[] v, int k, int base) {
            super(k);
            this.v = v;
            this.base = base;
        }

        @Override
        double component(JetPass p, int b, int d, int c) {
            return v[((p.first - base + b) * count() + p.k0 + d) * p.inputDim + c];
        }

        @Override
        void seedTangents(JetPass p, Op.Affine first, Buffer z, Buffer block) {
            // The block's directions, in the pass's precision, stay in directionRows for the reverse pass.
            int in = first.in();
            p.kernels.load(v, firstRow(p) * in, p.directionRows, 0, p.nb * p.k * in);
            p.kernels.gemm(false, true, p.nb * p.k, first.out(), in, p.directionRows, 0, in, p.weights,
                    first.weightOffset(), in, z, p.tangentRow(0, 0) * first.out(), first.out());
        }

        @Override
        void addTangentGradient(JetPass p, Op.Affine first, Buffer g, Buffer scratch, double[] sums) {
            AffineRule.addWeightGradient(p, first, scratch, p.nb * p.k, g, p.tangentRow(0, 0) * first.out(),
                    p.directionRows, 0);
        }

        /**
         * Row of the block's first direction. The block's rows are consecutive: either it holds all
         * K directions of every sample, or the slab is a single sample (direction blocking).
         */
        private int firstRow(JetPass p) {
            return (p.first - base) * count() + p.k0;
        }
    }

    static final class Basis extends Directions {
        Basis(int k) {
            super(k);
        }

        @Override
        void check(int inputDim) {
            if (count() > inputDim) {
                throw new IllegalArgumentException(count() + " basis directions for " + inputDim + " inputs");
            }
        }

        @Override
        double component(JetPass p, int b, int d, int c) {
            return c == p.k0 + d ? 1 : 0;
        }

        @Override
        void seedTangents(JetPass p, Op.Affine first, Buffer z, Buffer block) {
            // The tangent along e_c is column c of W₁: copied once, the same block for every sample.
            p.kernels.basisTangents(p, first.in(), first.out(), first.weightOffset(), block, z);
        }

        @Override
        void addTangentGradient(JetPass p, Op.Affine first, Buffer g, Buffer scratch, double[] sums) {
            p.kernels.basisGradient(p, first.in(), first.out(), first.weightOffset(), g, sums, p.grad);
        }
    }

    static final class FirstLayer extends Directions {
        private final double[] uT;
        private final int adjointOffset;

        FirstLayer(double[] uT, int k, int adjointOffset) {
            super(k);
            this.uT = uT;
            this.adjointOffset = adjointOffset;
        }

        @Override
        void seedTangents(JetPass p, Op.Affine first, Buffer z, Buffer block) {
            int o = first.out();
            p.kernels.load(uT, p.k0 * o, block, 0, p.k * o);
            for (int b = 0; b < p.nb; b++) {
                p.kernels.copy(block, 0, z, p.tangentRow(b, 0) * o, p.k * o);
            }
        }

        @Override
        void addTangentGradient(JetPass p, Op.Affine first, Buffer g, Buffer scratch, double[] sums) {
            int o = first.out();
            int to = adjointOffset + p.k0 * o;
            for (int b = 0; b < p.nb; b++) {
                p.kernels.addTo(g, p.tangentRow(b, 0) * o, p.grad, to, p.k * o);
            }
        }
    }
}
