package org.scorematch.engine;

import java.util.List;
import java.util.function.Consumer;

/**
 * One thread's buffers for Taylor jets over a slab of samples, and the network's rules that run
 * on them, one {@link JetRule} per operation.
 *
 * <p>A jet of a layer's quantity {@code z} along directions {@code v₁..v_K} carries
 * {@code (z, ż₁..ż_K, z̈)} with {@code żₖ = ∇z·vₖ} and {@code z̈ = Σₖ vₖᵀ∇²z vₖ}
 * (docs/DESIGN.md §2). For a slab of {@code nb} samples the channels are stacked as rows of one
 * row-major matrix ({@link JetPass} owns the layout), so each affine map is one GEMM over all
 * rows. Callers read and seed the network's output through the {@link JetSlab} a pass returns.
 *
 * <p>Memory: each operation keeps its output, {@code maxRows × width} doubles, plus three
 * derivative caches per activation and two adjoint buffers; with the default 2048 rows and
 * width 128 that is about 2 MiB per layer, independent of the dimension and the batch size.
 */
public final class JetWorkspace {
    private final Network net;
    private final int maxRows;
    private final Kernels kernels;
    private final JetRule[] rules;
    private final Buffer[] out;
    private final Buffer adjA;
    private final Buffer adjB;
    private final Buffer outAdj;
    private final JetPass pass;
    private final JetSlab slab;
    private double[] scratch = new double[0];
    private double[] rowValues = new double[0];
    private double[] rowAdjoints = new double[0];

    /** Buffers in {@code precision} for slabs of at most {@code maxRows} stacked rows. */
    JetWorkspace(Network net, int maxRows, Precision precision) {
        if (maxRows < 3) {
            throw new IllegalArgumentException("a slab needs room for at least one sample's three jet rows");
        }
        this.net = net;
        this.maxRows = maxRows;
        this.kernels = Kernels.of(precision);
        this.pass = new JetPass(kernels, net.inputDim(), net.parameterCount(), maxRows);
        List<Op> ops = net.ops();
        rules = new JetRule[ops.size()];
        out = new Buffer[ops.size()];
        int largestAffine = 0;
        for (Op op : ops) {
            largestAffine = Math.max(largestAffine, op.in() * op.out());
        }
        // Affine rules run one after another on this thread, so they share their gradient scratch.
        Buffer gradientScratch = kernels.allocate(largestAffine);
        Op.Visitor<JetRule> ruleOf = new Op.Visitor<>() {
            @Override
            public JetRule affine(Op.Affine op) {
                return new AffineRule(op, gradientScratch);
            }

            @Override
            public JetRule activate(Op.Activate op) {
                return new ActivateRule(op, kernels, maxRows);
            }

            @Override
            public JetRule halfSquaredNorm(Op.HalfSquaredNorm op) {
                return new HalfSquaredNormRule(op);
            }
        };
        for (int i = 0; i < ops.size(); i++) {
            // The first operation is always affine (Network's invariant): jets start there.
            rules[i] = i == 0 ? new InputAffineRule((Op.Affine) ops.get(0), kernels, maxRows)
                    : ops.get(i).accept(ruleOf);
            out[i] = kernels.allocate(maxRows * ops.get(i).out());
        }
        adjA = kernels.allocate(maxRows * net.maxWidth());
        adjB = kernels.allocate(maxRows * net.maxWidth());
        outAdj = kernels.allocate(maxRows * net.outputDim());
        slab = new JetSlab(this, pass, out[ops.size() - 1], outAdj, net.outputDim());
    }

    /** The network whose jets this workspace computes. */
    public Network network() {
        return net;
    }

    /** The precision of this workspace's jets. */
    public Precision precision() {
        return kernels.precision();
    }

    /** Capacity of a slab in stacked rows. */
    int maxRows() {
        return maxRows;
    }

    /**
     * Jets of samples {@code first..first+count−1} (rows of {@code x}, n × D) along all of
     * {@code directions} in one pass, with a second-order channel when {@code second}. The slab
     * must fit the workspace; {@link #forEachDirectionBlock} splits directions that do not.
     */
    public JetSlab forward(double[] theta, double[] x, int first, int count, Directions directions, boolean second) {
        return forward(theta, x, first, count, directions, 0, directions.count(), second);
    }

    /** Jets along directions {@code [k0, k0 + k)} of {@code directions}. */
    JetSlab forward(double[] theta, double[] x, int first, int count, Directions directions, int k0, int k,
                    boolean second) {
        directions.check(net.inputDim());
        int r = JetPass.rowsFor(count, k, second);
        if (r > maxRows || count < 1) {
            throw new IllegalArgumentException("slab of " + count + " samples × " + k + " directions needs " + r
                    + " rows, capacity " + maxRows);
        }
        if (pass.seedsPending) {
            // Seeds of the last pass, which ran no reverse pass (a loss without its gradient).
            kernels.zero(outAdj, 0, pass.rows * net.outputDim());
            pass.seedsPending = false;
        }
        if (!pass.reuseValues) {
            pass.samples(theta, x, first, count);
        }
        pass.directions(directions, k0, k, second);
        return run();
    }

    /**
     * Jets along {@code directions} for the samples of the last pass, reusing that pass's value
     * rows and activation derivatives instead of recomputing them (a u-jet after a value pass
     * costs only its tangent rows). The reverse pass in between, if any, does not disturb them.
     */
    JetSlab forwardAgain(Directions directions, boolean second) {
        if (pass.theta == null) {
            throw new IllegalStateException("no forward pass to reuse");
        }
        pass.reuseValues = true;
        try {
            return forward(pass.theta, pass.x, pass.first, pass.nb, directions, 0, directions.count(), second);
        } finally {
            pass.reuseValues = false;
        }
    }

    private JetSlab run() {
        rules[0].forward(pass, null, out[0]);
        for (int i = 1; i < rules.length; i++) {
            rules[i].forward(pass, out[i - 1], out[i]);
        }
        return slab;
    }

    /**
     * Runs {@code block} on jets of samples {@code first..first+count−1} along blocks of
     * {@code directions} that fit the workspace, one forward pass per block. When even one
     * sample's rows do not fit, the engine hands out single-sample slabs (see {@link Engine#run})
     * and the directions stream through in blocks: second-order parts and squared tangents are
     * sums over directions, so blocks add up exactly. Each block recomputes the value rows; terms
     * of the value alone belong to the block whose {@link JetSlab#firstDirection()} is 0.
     */
    public void forEachDirectionBlock(double[] theta, double[] x, int first, int count, Directions directions,
                                      boolean second, Consumer<JetSlab> block) {
        int k = directions.count();
        if (JetPass.rowsFor(count, k, second) <= maxRows) {
            block.accept(forward(theta, x, first, count, directions, 0, k, second));
            return;
        }
        if (count != 1) {
            throw new IllegalStateException("direction blocks need single-sample slabs");
        }
        int step = maxRows - (second ? 2 : 1);
        for (int k0 = 0; k0 < k; k0 += step) {
            block.accept(forward(theta, x, first, count, directions, k0, Math.min(step, k - k0), second));
        }
    }

    /**
     * Reverse pass through the last forward pass, from the output adjoints seeded through its
     * {@link JetSlab}. Adds the parameter gradient into {@code grad} when non-null, and writes
     * the gradient with respect to the samples (count × D, from row {@code inputGradRow}) into
     * {@code inputGrad} when non-null.
     */
    void reverse(double[] grad, double[] inputGrad, int inputGradRow) {
        pass.grad = grad;
        pass.inputGrad = inputGrad;
        pass.inputGradRow = inputGradRow;
        int last = rules.length - 1;
        for (int i = last; i >= 0; i--) {
            Buffer g = i == last ? outAdj : ((last - i) % 2 == 1) ? adjA : adjB;
            Buffer gIn = i == 0 ? null : ((last + 1 - i) % 2 == 1) ? adjA : adjB;
            rules[i].reverse(pass, i == 0 ? null : out[i - 1], g, gIn);
        }
        // Consumed: the next pass's seeds start from zero.
        kernels.zero(outAdj, 0, pass.rows * net.outputDim());
        pass.seedsPending = false;
    }

    /** The slab's first sample, for directions indexed from it. */
    int firstSample() {
        return pass.first;
    }

    /**
     * A buffer of at least {@code rows × D} doubles for input-space rows of this thread's slab (an
     * input gradient, a direction per sample), reused by every call: its contents are undefined
     * and it is the caller's until its next call here. Spares a large allocation per slab.
     */
    public double[] inputScratch(int rows) {
        int size = rows * net.inputDim();
        if (scratch.length < size) {
            scratch = new double[size];
        }
        return scratch;
    }

    /**
     * Two buffers of at least {@code length} doubles for a slab's per-sample values (e.g. its
     * scores) and their adjoints, reused by every call like {@link #inputScratch}.
     */
    public double[] rowValues(int length) {
        if (rowValues.length < length) {
            rowValues = new double[length];
        }
        return rowValues;
    }

    /** The adjoints' buffer beside {@link #rowValues}. */
    public double[] rowAdjoints(int length) {
        if (rowAdjoints.length < length) {
            rowAdjoints = new double[length];
        }
        return rowAdjoints;
    }
}
