package org.scorematch.engine;

import java.util.Arrays;
import java.util.List;
import org.scorematch.linalg.Blas;

/**
 * One thread's buffers for Taylor jets over a slab of samples, and the two rule tables that
 * run on them: {@link ForwardRules} (order 0, 1 or 2 jets) and {@link ReverseRules}.
 *
 * <p>A jet of a layer's quantity {@code z} along directions {@code v₁..v_K} carries
 * {@code (z, ż₁..ż_K, z̈)} with {@code żₖ = ∇z·vₖ} and {@code z̈ = Σₖ vₖᵀ∇²z vₖ}
 * (docs/DESIGN.md §2). For a slab of {@code nb} samples the three channels are stacked as rows of one
 * row-major matrix: value rows {@code [0, nb)}, tangent rows {@code nb + b·K + k}, then
 * second-order rows {@code nb + nb·K + b}, so each affine map is one GEMM over all rows.
 *
 * <p>Directions are either explicit rows (one per sample and direction) or a block of basis
 * vectors {@code e_{k0}..e_{k0+K−1}}, whose first-layer tangents are columns of W₁ and cost no
 * GEMM (the forward Laplacian).
 *
 * <p>Memory: each operation keeps its output, {@code maxRows × width} doubles, plus three
 * derivative caches per activation and two adjoint buffers; with the default 2048 rows and
 * width 128 that is about 2 MiB per layer, independent of the dimension and the batch size.
 */
public final class JetWorkspace {
    private final Network net;
    private final List<Op> ops;
    private final int maxRows;
    private final double[][] out;
    private final double[][] d1;
    private final double[][] d2;
    private final double[][] d3;
    private final double[][] tangentSquares;
    private final double[] adjA;
    private final double[] adjB;
    private final double[] outAdj;
    private final double[] accA;
    private final double[] accB;
    private final double[] basisBlock;
    private double[] scratch = new double[0];

    private final ForwardRules forward = new ForwardRules();
    private final ReverseRules reverse = new ReverseRules();

    // Shape and inputs of the slab in flight.
    private double[] theta;
    private double[] x;
    private int xOffset;
    private int nb;
    private int k;
    private boolean second;
    private int rows;
    private int basisStart;
    private double[] directions;
    private int directionsOffset;
    private boolean reuseValues;
    private double[] preactivationDirections;
    private int preactivationStart;
    private double[] directionAdjoint;
    private int directionAdjointOffset;
    private double[] grad;
    private double[] inputGrad;
    private int inputGradOffset;

    /** Buffers for slabs of at most {@code maxRows} stacked rows. */
    public JetWorkspace(Network net, int maxRows) {
        if (maxRows < 3) {
            throw new IllegalArgumentException("a slab needs room for at least one sample's three jet rows");
        }
        this.net = net;
        this.ops = net.ops();
        this.maxRows = maxRows;
        int n = ops.size();
        out = new double[n][];
        d1 = new double[n][];
        d2 = new double[n][];
        d3 = new double[n][];
        tangentSquares = new double[n][];
        for (int i = 0; i < n; i++) {
            Op op = ops.get(i);
            out[i] = new double[maxRows * op.out()];
            if (op instanceof Op.Activate) {
                d1[i] = new double[maxRows * op.out()];
                d2[i] = new double[maxRows * op.out()];
                d3[i] = new double[maxRows * op.out()];
                tangentSquares[i] = new double[maxRows * op.out()];
            }
        }
        adjA = new double[maxRows * net.maxWidth()];
        adjB = new double[maxRows * net.maxWidth()];
        outAdj = new double[maxRows * net.outputDim()];
        accA = new double[net.maxWidth()];
        accB = new double[net.maxWidth()];
        Op.Affine first = (Op.Affine) ops.get(0);
        basisBlock = new double[first.in() * first.out()];
    }

    public Network network() {
        return net;
    }

    public int maxRows() {
        return maxRows;
    }

    /** Number of stacked rows a slab of {@code nb} samples with {@code k} directions uses. */
    public static int rowsFor(int nb, int k, boolean second) {
        return nb * (1 + k + (second ? 1 : 0));
    }

    /** A scratch array of at least {@code size} doubles, reused across calls (contents undefined). */
    public double[] scratch(int size) {
        if (scratch.length < size) {
            scratch = new double[size];
        }
        return scratch;
    }

    /** Row of sample {@code b}'s value. */
    public int valueRow(int b) {
        return b;
    }

    /** Row of sample {@code b}'s tangent along its direction {@code d}. */
    public int tangentRow(int b, int d) {
        return nb + b * k + d;
    }

    /** Row of sample {@code b}'s summed second-order part. */
    public int secondRow(int b) {
        return nb + nb * k + b;
    }

    /** Plain evaluation (order-0 jet) of {@code nb} samples at rows {@code xRow..} of {@code x}. */
    public void forwardValue(double[] theta, double[] x, int xRow, int nb) {
        forwardAlong(theta, x, xRow, nb, null, 0, 0, false);
    }

    /**
     * Jets along {@code k} explicit directions per sample, read from rows
     * {@code vRow + b·k + d} of {@code v} (each of width D).
     */
    public void forwardAlong(double[] theta, double[] x, int xRow, int nb, double[] v, int vRow, int k,
                             boolean second) {
        begin(theta, x, xRow, nb, k, second);
        this.basisStart = -1;
        this.directions = v;
        this.directionsOffset = vRow * net.inputDim();
        run();
    }

    /**
     * Jets along {@code k} explicit directions for the samples of the last forward pass, reusing
     * that pass's value rows and activation derivatives instead of recomputing them (the u-jet
     * after a value pass costs only its tangent rows). The reverse pass in between, if any, does
     * not disturb them.
     */
    public void forwardAlongAgain(double[] v, int vRow, int k, boolean second) {
        if (theta == null) {
            throw new IllegalStateException("no forward pass to reuse");
        }
        begin(theta, x, xOffset / net.inputDim(), nb, k, second);
        this.basisStart = -1;
        this.directions = v;
        this.directionsOffset = vRow * net.inputDim();
        this.reuseValues = true;
        try {
            run();
        } finally {
            this.reuseValues = false;
        }
    }

    /**
     * Jets whose directions start at the first affine map's output rather than at the input:
     * tangent k of every sample is {@code u_{k0+k}}, row {@code k0+k} of {@code uT} (K × H,
     * row-major), the same for every sample. In the reverse pass the tangents' adjoints, summed
     * over samples, are added into {@code adjoint} from position {@code adjointOffset} in the same
     * layout (∂loss/∂U), instead of into W₁'s gradient; the caller chains them to W₁.
     */
    public void forwardFromFirstLayer(double[] theta, double[] x, int xRow, int nb, double[] uT, int k0, int k,
                                      boolean second, double[] adjoint, int adjointOffset) {
        begin(theta, x, xRow, nb, k, second);
        this.basisStart = -1;
        this.directions = null;
        // Stays set for the reverse pass that follows; the next forward pass clears it (begin).
        this.preactivationDirections = uT;
        this.preactivationStart = k0;
        this.directionAdjoint = adjoint;
        this.directionAdjointOffset = adjointOffset;
        run();
    }

    /** Jets along the basis vectors {@code e_{k0}..e_{k0+k−1}}, the same for every sample. */
    public void forwardBasis(double[] theta, double[] x, int xRow, int nb, int k0, int k, boolean second) {
        if (k0 < 0 || k0 + k > net.inputDim()) {
            throw new IllegalArgumentException("basis block out of range");
        }
        begin(theta, x, xRow, nb, k, second);
        this.basisStart = k0;
        this.directions = null;
        run();
    }

    private void begin(double[] theta, double[] x, int xRow, int nb, int k, boolean second) {
        this.preactivationDirections = null;
        int r = rowsFor(nb, k, second);
        if (r > maxRows || nb < 1) {
            throw new IllegalArgumentException("slab of " + nb + " samples × " + k + " directions needs " + r
                    + " rows, capacity " + maxRows);
        }
        this.theta = theta;
        this.x = x;
        this.xOffset = xRow * net.inputDim();
        this.nb = nb;
        this.k = k;
        this.second = second;
        this.rows = r;
    }

    private void run() {
        for (int i = 0; i < ops.size(); i++) {
            ops.get(i).apply(forward, i);
        }
    }

    /**
     * The network's output channels for the slab, {@link Network#outputDim()} columns per row:
     * row {@code r} starts at {@code r · outputDim}, rows found with the row helpers.
     */
    public double[] output() {
        return out[ops.size() - 1];
    }

    /**
     * Where the caller writes the adjoints of the output channels (loss derivatives with
     * respect to E, Ėₖ and Ë, at the same positions as {@link #output()}) before {@link #reverse}.
     */
    public double[] outputAdjoint() {
        return outAdj;
    }

    /**
     * Reverse pass through the last forward pass. Adds the parameter gradient into {@code grad}
     * when non-null, and writes the gradient with respect to the inputs x (nb × D, from row
     * {@code inputGradRow}) into {@code inputGrad} when non-null.
     */
    public void reverse(double[] grad, double[] inputGrad, int inputGradRow) {
        this.grad = grad;
        this.inputGrad = inputGrad;
        this.inputGradOffset = inputGradRow * net.inputDim();
        for (int i = ops.size() - 1; i >= 0; i--) {
            ops.get(i).apply(reverse, i);
        }
    }

    /** Adjoint of op {@code i}'s output: the loss's for the last op, else a ping-pong buffer. */
    private double[] adjointOfOutput(int i) {
        if (i == ops.size() - 1) {
            return outAdj;
        }
        return ((ops.size() - 1 - i) % 2 == 1) ? adjA : adjB;
    }

    private double[] adjointOfInput(int i) {
        return ((ops.size() - i) % 2 == 1) ? adjA : adjB;
    }

    /** Forward jet rules: value, first-order tangents and summed second-order parts. */
    private final class ForwardRules implements OpRules {
        @Override
        public void affine(Op.Affine op, int i) {
            int in = op.in();
            int o = op.out();
            double[] z = out[i];
            int w = op.weightOffset();
            int from = reuseValues ? nb : 0;
            if (i > 0) {
                // z = h Wᵀ over every stacked row at once (linear maps act alike on all channels).
                Blas.gemm(false, true, rows - from, o, in, 1, out[i - 1], from * in, in, theta, w, in, 0, z, from * o, o);
            } else {
                if (!reuseValues) {
                    Blas.gemm(false, true, nb, o, in, 1, x, xOffset, in, theta, w, in, 0, z, 0, o);
                }
                if (k > 0 && preactivationDirections != null) {
                    for (int b = 0; b < nb; b++) {
                        System.arraycopy(preactivationDirections, preactivationStart * o, z, tangentRow(b, 0) * o, k * o);
                    }
                } else if (k > 0) {
                    if (basisStart >= 0) {
                        // Tangent along e_c is column c of W₁: copy, the same block for every sample.
                        for (int d = 0; d < k; d++) {
                            int col = basisStart + d;
                            for (int j = 0; j < o; j++) {
                                basisBlock[d * o + j] = theta[w + j * in + col];
                            }
                        }
                        for (int b = 0; b < nb; b++) {
                            System.arraycopy(basisBlock, 0, z, tangentRow(b, 0) * o, k * o);
                        }
                    } else {
                        Blas.gemm(false, true, nb * k, o, in, 1, directions, directionsOffset, in, theta, w, in, 0,
                                z, tangentRow(0, 0) * o, o);
                    }
                }
                if (second) {
                    Arrays.fill(z, secondRow(0) * o, (secondRow(0) + nb) * o, 0.0);
                }
            }
            if (!reuseValues) {
                int bias = op.biasOffset();
                for (int b = 0; b < nb; b++) {
                    int row = b * o;
                    for (int j = 0; j < o; j++) {
                        z[row + j] += theta[bias + j];
                    }
                }
            }
        }

        @Override
        public void activate(Op.Activate op, int i) {
            int wd = op.width();
            double[] z = out[i - 1];
            double[] a = out[i];
            double[] s1 = d1[i];
            double[] s2 = d2[i];
            double[] s3 = d3[i];
            if (!reuseValues) {
                op.activation().evaluate(z, 0, nb * wd, a, s1, s2, s3);
            }
            // Σₖ żₖ² per sample and unit: needed here for ä and again by the reverse rule.
            double[] sq = tangentSquares[i];
            for (int b = 0; b < nb; b++) {
                int vb = b * wd;
                if (second) {
                    Arrays.fill(sq, vb, vb + wd, 0.0);
                }
                for (int d = 0; d < k; d++) {
                    int r = tangentRow(b, d) * wd;
                    if (second) {
                        for (int j = 0; j < wd; j++) {
                            double zt = z[r + j];
                            a[r + j] = s1[vb + j] * zt;
                            sq[vb + j] += zt * zt;
                        }
                    } else {
                        for (int j = 0; j < wd; j++) {
                            a[r + j] = s1[vb + j] * z[r + j];
                        }
                    }
                }
                if (second) {
                    int r = secondRow(b) * wd;
                    for (int j = 0; j < wd; j++) {
                        a[r + j] = s2[vb + j] * sq[vb + j] + s1[vb + j] * z[r + j];
                    }
                }
            }
        }

        @Override
        public void halfSquaredNorm(Op.HalfSquaredNorm op, int i) {
            int wd = op.in();
            double[] z = out[i - 1];
            double[] e = out[i];
            for (int b = 0; b < nb; b++) {
                int vb = b * wd;
                double value = 0;
                double curvature = 0;
                for (int j = 0; j < wd; j++) {
                    value += z[vb + j] * z[vb + j];
                }
                for (int d = 0; d < k; d++) {
                    int r = tangentRow(b, d) * wd;
                    double dot = 0;
                    for (int j = 0; j < wd; j++) {
                        dot += z[vb + j] * z[r + j];
                        curvature += z[r + j] * z[r + j];
                    }
                    e[tangentRow(b, d)] = dot;
                }
                e[b] = 0.5 * value;
                if (second) {
                    int r = secondRow(b) * wd;
                    for (int j = 0; j < wd; j++) {
                        curvature += z[vb + j] * z[r + j];
                    }
                    e[secondRow(b)] = curvature;
                }
            }
        }
    }

    /** Reverse rules through the forward jet rules (docs/DESIGN.md §2), adjoint by adjoint. */
    private final class ReverseRules implements OpRules {
        @Override
        public void affine(Op.Affine op, int i) {
            int in = op.in();
            int o = op.out();
            int w = op.weightOffset();
            double[] g = adjointOfOutput(i);
            if (grad != null) {
                if (i > 0) {
                    // W̄ += Σ over all channels of (adjoint)ᵀ(input): one GEMM over stacked rows.
                    Blas.gemm(true, false, o, in, rows, 1, g, 0, o, out[i - 1], 0, in, 1, grad, w, in);
                } else {
                    Blas.gemm(true, false, o, in, nb, 1, g, 0, o, x, xOffset, in, 1, grad, w, in);
                    if (k > 0 && preactivationDirections != null) {
                        for (int b = 0; b < nb; b++) {
                            int base = tangentRow(b, 0) * o;
                            int to = directionAdjointOffset + preactivationStart * o;
                            for (int e = 0; e < k * o; e++) {
                                directionAdjoint[to + e] += g[base + e];
                            }
                        }
                    } else if (k > 0) {
                        if (basisStart >= 0) {
                            addBasisTangentGradient(g, o, in, w);
                        } else {
                            Blas.gemm(true, false, o, in, nb * k, 1, g, tangentRow(0, 0) * o, o, directions,
                                    directionsOffset, in, 1, grad, w, in);
                        }
                    }
                    // The input's second-order channel is zero: it adds nothing to W̄.
                }
                int bias = op.biasOffset();
                for (int b = 0; b < nb; b++) {
                    int row = b * o;
                    for (int j = 0; j < o; j++) {
                        grad[bias + j] += g[row + j];
                    }
                }
            }
            if (i > 0) {
                Blas.gemm(false, false, rows, in, o, 1, g, 0, o, theta, w, in, 0, adjointOfInput(i), 0, in);
            } else if (inputGrad != null) {
                // x enters through the value rows only; tangents and second parts do not depend on it.
                Blas.gemm(false, false, nb, in, o, 1, g, 0, o, theta, w, in, 0, inputGrad, inputGradOffset, in);
            }
        }

        private void addBasisTangentGradient(double[] g, int o, int in, int w) {
            // W̄[j, k0+d] += Σ_b ż̄[b,d,j]: sum the samples' blocks, then scatter into the columns.
            Arrays.fill(basisBlock, 0, k * o, 0.0);
            for (int b = 0; b < nb; b++) {
                int base = tangentRow(b, 0) * o;
                for (int e = 0; e < k * o; e++) {
                    basisBlock[e] += g[base + e];
                }
            }
            for (int d = 0; d < k; d++) {
                int col = basisStart + d;
                for (int j = 0; j < o; j++) {
                    grad[w + j * in + col] += basisBlock[d * o + j];
                }
            }
        }

        @Override
        public void activate(Op.Activate op, int i) {
            int wd = op.width();
            double[] z = out[i - 1];
            double[] g = adjointOfOutput(i);
            double[] gz = adjointOfInput(i);
            double[] s1 = d1[i];
            double[] s2 = d2[i];
            double[] s3 = d3[i];
            double[] sq = tangentSquares[i];
            double[] sumAdjTan = accA;
            double[] curvatureCoef = accB;
            for (int b = 0; b < nb; b++) {
                int vb = b * wd;
                int sr = second ? secondRow(b) * wd : -1;
                Arrays.fill(sumAdjTan, 0, wd, 0.0);
                if (second) {
                    for (int j = 0; j < wd; j++) {
                        curvatureCoef[j] = 2 * g[sr + j] * s2[vb + j];
                    }
                } else {
                    Arrays.fill(curvatureCoef, 0, wd, 0.0);
                }
                for (int d = 0; d < k; d++) {
                    int r = tangentRow(b, d) * wd;
                    // ż̄ₖ = ǡₖσ′ + 2ǟσ″żₖ
                    for (int j = 0; j < wd; j++) {
                        double zt = z[r + j];
                        double gt = g[r + j];
                        sumAdjTan[j] += gt * zt;
                        gz[r + j] = gt * s1[vb + j] + curvatureCoef[j] * zt;
                    }
                }
                // z̄ = āσ′ + σ″Σₖǡₖżₖ + ǟ(σ‴Σₖżₖ² + σ″z̈); z̈̄ = ǟσ′
                if (second) {
                    for (int j = 0; j < wd; j++) {
                        double gs = g[sr + j];
                        gz[vb + j] = g[vb + j] * s1[vb + j] + s2[vb + j] * sumAdjTan[j]
                                + gs * (s3[vb + j] * sq[vb + j] + s2[vb + j] * z[sr + j]);
                        gz[sr + j] = gs * s1[vb + j];
                    }
                } else {
                    for (int j = 0; j < wd; j++) {
                        gz[vb + j] = g[vb + j] * s1[vb + j] + s2[vb + j] * sumAdjTan[j];
                    }
                }
            }
        }

        @Override
        public void halfSquaredNorm(Op.HalfSquaredNorm op, int i) {
            int wd = op.in();
            double[] z = out[i - 1];
            double[] g = adjointOfOutput(i);
            double[] gz = adjointOfInput(i);
            for (int b = 0; b < nb; b++) {
                int vb = b * wd;
                double gValue = g[b];
                double gSecond = second ? g[secondRow(b)] : 0;
                int sr = second ? secondRow(b) * wd : -1;
                for (int j = 0; j < wd; j++) {
                    gz[vb + j] = gValue * z[vb + j] + (second ? gSecond * z[sr + j] : 0);
                }
                for (int d = 0; d < k; d++) {
                    int r = tangentRow(b, d) * wd;
                    double gt = g[tangentRow(b, d)];
                    for (int j = 0; j < wd; j++) {
                        gz[vb + j] += gt * z[r + j];
                        gz[r + j] = gt * z[vb + j] + 2 * gSecond * z[r + j];
                    }
                }
                if (second) {
                    for (int j = 0; j < wd; j++) {
                        gz[sr + j] = gSecond * z[vb + j];
                    }
                }
            }
        }
    }
}
