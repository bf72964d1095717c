package org.scorematch.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * A feed-forward chain of {@link Op}s mapping {@code ℝᴰ} to {@code ℝᵐ} (m = 1 for energies,
 * m = D for score networks), with its parameters
 * laid out in one flat vector. The structure is immutable; parameter values live outside it
 * (models hold them), so one network serves every step of training.
 *
 * <p>The first operation is always {@link Op.Affine}: the jet rules start tangents at the
 * input and the first affine map is where basis directions become "free" (columns of W₁).
 */
public final class Network implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** Which factory built the network, so that it can say what it is without guessing from its ops. */
    public enum Form {
        /** Affine maps with an activation between them ({@link #mlp}). */
        MLP,
        /** {@code ½‖Wx + c‖²} ({@link #quadratic}). */
        QUADRATIC,
        /** One affine map ({@link #affine}). */
        AFFINE
    }

    private final Form form;
    private final int inputDim;
    private final List<Op> ops;
    private final int parameterCount;
    private final int maxWidth;
    private final int[] hidden;
    private final Activation activation;

    private Network(Form form, int inputDim, List<Op> ops, int parameterCount, int[] hidden, Activation activation) {
        if (ops.isEmpty() || !(ops.get(0) instanceof Op.Affine)) {
            throw new IllegalArgumentException("a network starts with an affine map");
        }
        int width = inputDim;
        int max = inputDim;
        for (Op op : ops) {
            if (op.in() != width) {
                throw new IllegalArgumentException("width mismatch at " + op + ": expected input " + width);
            }
            width = op.out();
            max = Math.max(max, width);
        }
        this.form = form;
        this.hidden = hidden.clone();
        this.activation = activation;
        this.inputDim = inputDim;
        this.ops = List.copyOf(ops);
        this.parameterCount = parameterCount;
        this.maxWidth = max;
    }

    /**
     * An MLP energy {@code ℝᴰ → ℝ}: affine maps of the given hidden widths, each followed by the
     * activation, and a final affine map to one output. Parameters are ordered as PyTorch's
     * {@code nn.Sequential} would list them (weight then bias, layer by layer).
     */
    public static Network mlp(int inputDim, int[] hidden, Activation activation) {
        return mlp(inputDim, hidden, activation, 1);
    }

    /** An MLP {@code ℝᴰ → ℝᵐ} with {@code outputDim = m} outputs, in {@code nn.Sequential} order. */
    public static Network mlp(int inputDim, int[] hidden, Activation activation, int outputDim) {
        if (inputDim < 1) {
            throw new IllegalArgumentException("input dimension must be positive, got " + inputDim);
        }
        List<Op> ops = new ArrayList<>();
        int offset = 0;
        int width = inputDim;
        for (int h : hidden) {
            if (h < 1) {
                throw new IllegalArgumentException("hidden widths must be positive, got " + h);
            }
            ops.add(new Op.Affine(width, h, offset, offset + width * h));
            offset += width * h + h;
            ops.add(new Op.Activate(activation, h));
            width = h;
        }
        ops.add(new Op.Affine(width, outputDim, offset, offset + width * outputDim));
        offset += width * outputDim + outputDim;
        return new Network(Form.MLP, inputDim, ops, offset, hidden, activation);
    }

    /** A single affine map {@code x ↦ A x + b}, {@code ℝⁱⁿ → ℝᵒᵘᵗ} (the linear score model). */
    public static Network affine(int inputDim, int outputDim) {
        return new Network(Form.AFFINE, inputDim, List.of(new Op.Affine(inputDim, outputDim, 0, inputDim * outputDim)),
                inputDim * outputDim + outputDim, new int[0], null);
    }

    /** {@code ½‖W x + c‖²}: the quadratic energy with precision {@code WᵀW}. */
    public static Network quadratic(int dim) {
        return new Network(Form.QUADRATIC, dim, List.of(new Op.Affine(dim, dim, 0, dim * dim),
                new Op.HalfSquaredNorm(dim)), dim * dim + dim, new int[0], null);
    }

    /** Which kind of network this is. */
    public Form form() {
        return form;
    }

    /** The hidden widths of an MLP, input side first; empty for the other forms. */
    public int[] hidden() {
        return hidden.clone();
    }

    /** The activation of an MLP; null for the other forms, which have none. */
    public Activation activation() {
        return activation;
    }

    /** The width of the input. */
    public int inputDim() {
        return inputDim;
    }

    /** The operations, input first. */
    public List<Op> ops() {
        return ops;
    }

    /** Width of the output: 1 for an energy, D for a score network. */
    public int outputDim() {
        return ops.get(ops.size() - 1).out();
    }

    /** The length of θ. */
    public int parameterCount() {
        return parameterCount;
    }

    /** Largest width of any layer, the input included. */
    int maxWidth() {
        return maxWidth;
    }

    /** The activations used, for the smoothness check of second-order objectives. */
    public boolean isSmooth() {
        for (Op op : ops) {
            if (op instanceof Op.Activate a && !a.activation().isSmooth()) {
                return false;
            }
        }
        return true;
    }
}
