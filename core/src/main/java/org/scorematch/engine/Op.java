package org.scorematch.engine;


/**
 * The closed set of operations a {@link Network} is made of. Each derivative mode is one
 * {@link OpRules} implementation, so adding an operation without all its rules fails to
 * compile instead of silently differentiating to zero.
 */
public sealed interface Op extends java.io.Serializable permits Op.Affine, Op.Activate, Op.HalfSquaredNorm {

    /** Input width. */
    int in();

    /** Output width. */
    int out();

    /** Dispatches to the rule for this operation. */
    void apply(OpRules rules, int index);

    /**
     * {@code z = W h + b} with {@code W} stored row-major (out × in, PyTorch's layout) at
     * {@code weightOffset} of the parameter vector and {@code b} at {@code biasOffset}.
     */
    record Affine(int in, int out, int weightOffset, int biasOffset) implements Op {
        @Override
        public void apply(OpRules rules, int index) {
            rules.affine(this, index);
        }
    }

    /** Elementwise {@code a = σ(z)}. */
    record Activate(Activation activation, int width) implements Op {
        @Override
        public int in() {
            return width;
        }

        @Override
        public int out() {
            return width;
        }

        @Override
        public void apply(OpRules rules, int index) {
            rules.activate(this, index);
        }
    }

    /** Scalar readout {@code ½‖z‖²}, the last operation of a quadratic energy. */
    record HalfSquaredNorm(int in) implements Op {
        @Override
        public int out() {
            return 1;
        }

        @Override
        public void apply(OpRules rules, int index) {
            rules.halfSquaredNorm(this, index);
        }
    }
}
