package org.scorematch.engine;


/**
 * The closed set of operations a {@link Network} is made of. Each operation's forward and
 * reverse jet rules are one rule class, made through {@link Visitor}, so adding an operation
 * without its rules fails to compile instead of silently differentiating to zero.
 */
public sealed interface Op extends java.io.Serializable permits Op.Affine, Op.Activate, Op.HalfSquaredNorm {

    /** Input width. */
    int in();

    /** Output width. */
    int out();

    /** Dispatches to the visitor's case for this operation. */
    <R> R accept(Visitor<R> visitor);

    /** One case per operation: a new operation is a compile error in every visitor until handled. */
    interface Visitor<R> {
        R affine(Affine op);

        R activate(Activate op);

        R halfSquaredNorm(HalfSquaredNorm op);
    }

    /**
     * {@code z = W h + b} with {@code W} stored row-major (out × in, PyTorch's layout) at
     * {@code weightOffset} of the parameter vector and {@code b} at {@code biasOffset}.
     */
    record Affine(int in, int out, int weightOffset, int biasOffset) implements Op {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.affine(this);
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
        public <R> R accept(Visitor<R> visitor) {
            return visitor.activate(this);
        }
    }

    /** Scalar readout {@code ½‖z‖²}, the last operation of a quadratic energy. */
    record HalfSquaredNorm(int in) implements Op {
        @Override
        public int out() {
            return 1;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.halfSquaredNorm(this);
        }
    }
}
