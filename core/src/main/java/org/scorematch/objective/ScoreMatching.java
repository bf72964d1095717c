package org.scorematch.objective;

import java.util.random.RandomGenerator;
import org.scorematch.engine.Engine;
import org.scorematch.engine.EnergyDerivatives;
import org.scorematch.engine.JetWorkspace;
import org.scorematch.engine.Network;
import org.scorematch.engine.Op;
import org.scorematch.model.Architecture;

/**
 * Hyvärinen score matching {@code E[½‖s‖² + tr ∇ₓs]} (docs/DESIGN.md §1) in three estimators, for
 * energies ({@code s = −∇ₓE}, so {@code tr ∇ₓs = −ΔE}) and for score networks:
 *
 * <ul>
 *   <li>exact (Hyvärinen 2005): {@code ½‖∇E‖² − ΔE}, by second-order jets along the D basis
 *       vectors (the forward Laplacian; no D nested backward passes);</li>
 *   <li>sliced (Song et al. 2019) with K directions {@code vₖ}:
 *       {@code (1/K) Σₖ [½(vₖ·∇E)² − vₖᵀ∇²E vₖ]};</li>
 *   <li>sliced, variance-reduced (SSM-VR): {@code ½‖∇E‖² − (1/K) Σₖ vₖᵀ∇²E vₖ}. The θ-gradient of
 *       {@code ½‖∇E‖²} comes from a first-order jet along {@code u = ∇E} (docs/DESIGN.md §2).</li>
 * </ul>
 *
 * <p>For energies all three share one per-sample form {@code α·½Σₖ Ėₖ² + γ·Ë + β·½‖∇E‖²} over
 * jets {@code Ėₖ = vₖ·∇E}, {@code Ë = Σₖ vₖᵀ∇²E vₖ}. Score networks need first-order jets only:
 * {@code vᵀ(∇ₓs)v = v·ṡ_v}, and with basis directions {@code tr ∇ₓs = Σₖ (ṡ_{eₖ})ₖ}, so the
 * per-sample form is {@code β·½‖s‖² + α·½Σₖ(vₖ·s)² + γ·Σₖ vₖ·ṡₖ}.
 *
 * <p>Non-smooth activations are refused: with ReLU the Laplacian vanishes almost everywhere and
 * the loss is meaningless. Noise-conditional models are trained by multi-scale denoising instead.
 */
public final class ScoreMatching implements Objective {
    /** Which estimator. */
    public enum Kind {
        EXACT("exact"), SLICED("sliced"), SLICED_VR("sliced-vr");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    private final Kind kind;
    private final int projections;
    private final Projection projection;

    private ScoreMatching(Kind kind, int projections, Projection projection) {
        if (kind != Kind.EXACT && projections < 1) {
            throw new IllegalArgumentException("sliced score matching needs at least one projection, got " + projections);
        }
        this.kind = kind;
        this.projections = projections;
        this.projection = projection;
    }

    /** Exact score matching by the forward Laplacian. */
    public static ScoreMatching exact() {
        return new ScoreMatching(Kind.EXACT, 0, null);
    }

    /** Sliced score matching with {@code k} directions per sample. */
    public static ScoreMatching sliced(int k, Projection projection) {
        return new ScoreMatching(Kind.SLICED, k, projection);
    }

    /** Variance-reduced sliced score matching with {@code k} directions per sample. */
    public static ScoreMatching slicedVarianceReduced(int k, Projection projection) {
        return new ScoreMatching(Kind.SLICED_VR, k, projection);
    }

    public Kind kind() {
        return kind;
    }

    /** Directions per sample (0 for the exact objective). */
    public int projections() {
        return projections;
    }

    public Projection projection() {
        return projection;
    }

    @Override
    public String id() {
        return kind.id();
    }

    @Override
    public double lossAndGradient(Engine engine, Architecture arch, double[] theta, double[] x, int n,
                                  RandomGenerator rng, double[] grad) {
        double[] v = null;
        if (kind != Kind.EXACT) {
            int dim = arch.dimension();
            v = new double[n * projections * dim];
            for (int r = 0; r < n * projections; r++) {
                projection.draw(v, r * dim, dim, rng);
            }
        }
        return lossAndGradientAlong(engine, arch, theta, x, n, v, grad);
    }

    /**
     * The loss for given directions: {@code directions} holds row {@code i·K + k} for sample i's
     * k-th direction (ignored, and may be null, for the exact objective). Deterministic, for
     * reference-value tests.
     */
    public double lossAndGradientAlong(Engine engine, Architecture arch, double[] theta, double[] x, int n,
                                       double[] directions, double[] grad) {
        Network net = arch.network();
        if (!net.isSmooth()) {
            throw new IllegalArgumentException("the " + id() + " score-matching objective needs a smooth activation "
                    + "(silu, softplus, tanh, gelu): with relu the Laplacian is zero almost everywhere and the loss "
                    + "is meaningless; use a denoising objective for relu networks");
        }
        if (arch.isConditional()) {
            throw new IllegalArgumentException("noise-conditional models are trained by multiscale denoising, not by "
                    + id() + " score matching");
        }
        if (arch.kind() == Architecture.Kind.SCORE) {
            return scoreNetworkLoss(engine, arch, theta, x, n, directions, grad);
        }
        if (kind == Kind.EXACT && firstLayerIsNarrower(net)) {
            // A NaN loss here is the loss (a diverged model), returned as it is, not a cue to recompute.
            return exactFromFirstLayer(engine, net, theta, x, n, firstLayerFactor(net, theta), grad);
        }
        int dim = net.inputDim();
        int k = kind == Kind.EXACT ? dim : projections;
        double alpha = switch (kind) {
            case EXACT -> 1;
            case SLICED -> 1.0 / k;
            case SLICED_VR -> 0;
        };
        double gamma = kind == Kind.EXACT ? -1 : -1.0 / k;
        double beta = kind == Kind.SLICED_VR ? 1 : 0;
        double scale = 1.0 / n;
        boolean basis = kind == Kind.EXACT;
        double total = engine.run(net, n, k + 2, (ws, first, count, g) -> {
            double[] loss = {0};
            if (beta != 0) {
                loss[0] += gradientNormTerm(ws, theta, x, first, count, beta, scale, g);
            }
            EnergyDerivatives.forEachDirectionBlock(ws, count, k, true, (k0, kc) -> {
                if (basis) {
                    ws.forwardBasis(theta, x, first, count, k0, kc, true);
                } else {
                    ws.forwardAlong(theta, x, first, count, directions, first * k + k0, kc, true);
                }
                double[] out = ws.output();
                double[] adj = ws.outputAdjoint();
                for (int b = 0; b < count; b++) {
                    adj[ws.valueRow(b)] = 0;
                    for (int d = 0; d < kc; d++) {
                        double t = out[ws.tangentRow(b, d)];
                        loss[0] += alpha * 0.5 * t * t;
                        adj[ws.tangentRow(b, d)] = alpha * t * scale;
                    }
                    loss[0] += gamma * out[ws.secondRow(b)];
                    adj[ws.secondRow(b)] = gamma * scale;
                }
                if (g != null) {
                    ws.reverse(g, null, 0);
                }
            });
            return loss[0];
        }, grad);
        return total * scale;
    }

    /**
     * Pivots at or below this share of the largest diagonal entry of W₁W₁ᵀ end the factor: the
     * directions left out carry at most 1e-12 of M, and the triangular solve with the kept pivots
     * (each at least 1e-6 of the largest) loses at most 6 digits.
     */
    private static final double RANK_TOLERANCE = 1e-12;

    /**
     * The pivoted Cholesky factor of {@code M = W₁W₁ᵀ} (H × H), of rank r ≤ H: r &lt; H when W₁ has
     * zero, repeated or dependent rows.
     */
    private static org.scorematch.linalg.Cholesky.Pivoted firstLayerFactor(Network net, double[] theta) {
        Op.Affine first = (Op.Affine) net.ops().get(0);
        int d = first.in();
        int h = first.out();
        double[] m = new double[h * h];
        org.scorematch.linalg.Blas.gemm(false, true, h, h, d, 1, theta, first.weightOffset(), d, theta,
                first.weightOffset(), d, 0, m, 0, h);
        return org.scorematch.linalg.Cholesky.pivoted(m, h, RANK_TOLERANCE);
    }

    private static boolean firstLayerIsNarrower(Network net) {
        Op.Affine first = (Op.Affine) net.ops().get(0);
        return first.out() < first.in();
    }

    /**
     * The exact loss with r ≤ H directions instead of D when the first layer narrows (D &gt; H,
     * docs/DESIGN.md §3). With z₁ = W₁x + b₁, g₁ = ∇_{z₁}E and A = ∇²_{z₁}E, the loss
     * {@code ½‖W₁ᵀg₁‖² − tr(W₁ᵀAW₁)} depends on W₁'s tangents only through {@code M = W₁W₁ᵀ}; for
     * any U (H × r) with {@code UUᵀ = M}, here the pivoted Cholesky factor {@code U = PL}, it is
     * {@code ½Σₖ(uₖ·g₁)² − Σₖ uₖᵀAuₖ}, jets along the columns uₖ of U started at z₁. The reverse
     * pass gives {@code Ū = ∂L/∂U = 2GU} with G = ∂L/∂M symmetric. The columns of W₁ lie in the range
     * of U, so {@code W₁ = UY} for one Y (r × D), found from the r pivot rows, {@code Y = L₁⁻¹(PᵀW₁)₁}
     * (L₁ the r × r top of L); then the tangents' share of W₁'s gradient is
     * {@code 2GW₁ = 2GUY = ŪY}. For r = H this is {@code ŪU⁻¹W₁}.
     */
    private double exactFromFirstLayer(Engine engine, Network net, double[] theta, double[] x, int n,
                                       org.scorematch.linalg.Cholesky.Pivoted factor, double[] grad) {
        Op.Affine first = (Op.Affine) net.ops().get(0);
        int d = first.in();
        int h = first.out();
        int w = first.weightOffset();
        int r = factor.rank();
        int p = net.parameterCount();
        if (r == 0) {
            // W₁ = 0: M = 0, so the loss and all of its gradient vanish.
            if (grad != null) {
                java.util.Arrays.fill(grad, 0, p, 0.0);
            }
            return 0;
        }
        // Direction k is column k of U = PL: uT[k·H + order[i]] = L[i][k].
        double[] uT = new double[r * h];
        for (int i = 0; i < h; i++) {
            for (int kk = 0; kk < r; kk++) {
                uT[kk * h + factor.order()[i]] = factor.get(i, kk);
            }
        }
        double[] extended = grad == null ? null : new double[p + r * h];
        double scale = 1.0 / n;
        double total = engine.run(net, n, r + 2, (ws, firstSample, count, g) -> {
            double[] loss = {0};
            EnergyDerivatives.forEachDirectionBlock(ws, count, r, true, (k0, kc) -> {
                ws.forwardFromFirstLayer(theta, x, firstSample, count, uT, k0, kc, true, g, p);
                double[] out = ws.output();
                double[] adj = ws.outputAdjoint();
                for (int b = 0; b < count; b++) {
                    adj[ws.valueRow(b)] = 0;
                    for (int dd = 0; dd < kc; dd++) {
                        double t = out[ws.tangentRow(b, dd)];
                        loss[0] += 0.5 * t * t;
                        adj[ws.tangentRow(b, dd)] = t * scale;
                    }
                    loss[0] -= out[ws.secondRow(b)];
                    adj[ws.secondRow(b)] = -scale;
                }
                if (g != null) {
                    ws.reverse(g, null, 0);
                }
            });
            return loss[0];
        }, extended);
        if (grad != null) {
            System.arraycopy(extended, 0, grad, 0, p);
            // Y = L₁⁻¹ (rows order[0..r) of W₁), column by column (forward substitution).
            double[] y = new double[r * d];
            for (int c = 0; c < d; c++) {
                for (int j = 0; j < r; j++) {
                    double v = theta[w + factor.order()[j] * d + c];
                    for (int q = 0; q < j; q++) {
                        v -= factor.get(j, q) * y[q * d + c];
                    }
                    y[j * d + c] = v / factor.get(j, j);
                }
            }
            // Ū (H × r): Ū[j][k] = extended[p + k·H + j]; W̄₁ += Ū Y.
            double[] uBar = new double[h * r];
            for (int j = 0; j < h; j++) {
                for (int kk = 0; kk < r; kk++) {
                    uBar[j * r + kk] = extended[p + kk * h + j];
                }
            }
            org.scorematch.linalg.Blas.gemm(false, false, h, d, r, 1, uBar, 0, r, y, 0, d, 1, grad, w, d);
        }
        return total * scale;
    }

    /**
     * Score networks: per sample {@code β·½‖s‖² + α·½Σₖ(vₖ·s)² + γ·Σₖ vₖ·ṡₖ} with first-order jets
     * {@code ṡₖ} along {@code vₖ} (basis vectors for the exact objective, where only the k-th
     * component of {@code ṡ_{eₖ}} enters).
     */
    private double scoreNetworkLoss(Engine engine, Architecture arch, double[] theta, double[] x, int n,
                                    double[] directions, double[] grad) {
        int dim = arch.dimension();
        int k = kind == Kind.EXACT ? dim : projections;
        double alpha = kind == Kind.SLICED ? 1.0 / k : 0;
        double gamma = kind == Kind.EXACT ? 1 : 1.0 / k;
        double beta = kind == Kind.SLICED ? 0 : 1;
        double scale = 1.0 / n;
        boolean basis = kind == Kind.EXACT;
        double total = engine.run(arch.network(), n, k + 1, (ws, first, count, g) -> {
            double[] loss = {0};
            EnergyDerivatives.forEachDirectionBlock(ws, count, k, false, (k0, kc) -> {
                if (basis) {
                    ws.forwardBasis(theta, x, first, count, k0, kc, false);
                } else {
                    ws.forwardAlong(theta, x, first, count, directions, first * k + k0, kc, false);
                }
                double[] out = ws.output();
                double[] adj = ws.outputAdjoint();
                java.util.Arrays.fill(adj, 0, JetWorkspace.rowsFor(count, kc, false) * dim, 0.0);
                for (int b = 0; b < count; b++) {
                    int vs = ws.valueRow(b) * dim;
                    if (k0 == 0 && beta != 0) {
                        for (int c = 0; c < dim; c++) {
                            double sc = out[vs + c];
                            loss[0] += beta * 0.5 * sc * sc;
                            adj[vs + c] += beta * sc * scale;
                        }
                    }
                    for (int d = 0; d < kc; d++) {
                        int t = ws.tangentRow(b, d) * dim;
                        if (basis) {
                            int c = k0 + d;
                            loss[0] += gamma * out[t + c];
                            adj[t + c] = gamma * scale;
                        } else {
                            int v = ((first + b) * k + k0 + d) * dim;
                            double proj = 0;
                            double curvature = 0;
                            for (int c = 0; c < dim; c++) {
                                proj += directions[v + c] * out[vs + c];
                                curvature += directions[v + c] * out[t + c];
                                adj[t + c] = gamma * directions[v + c] * scale;
                            }
                            loss[0] += alpha * 0.5 * proj * proj + gamma * curvature;
                            if (alpha != 0) {
                                for (int c = 0; c < dim; c++) {
                                    adj[vs + c] += alpha * proj * directions[v + c] * scale;
                                }
                            }
                        }
                    }
                }
                if (g != null) {
                    ws.reverse(g, null, 0);
                }
            });
            return loss[0];
        }, grad);
        return total * scale;
    }

    /**
     * {@code β·½‖∇E‖²} summed over the slab; its θ-gradient is that of the first-order jet
     * {@code Ė_u = u·∇E} along {@code u = ∇E} held fixed (docs/DESIGN.md §2).
     */
    private static double gradientNormTerm(JetWorkspace ws, double[] theta, double[] x, int first, int count,
                                           double beta, double scale, double[] grad) {
        int dim = ws.network().inputDim();
        double[] u = ws.scratch(count * dim);
        EnergyDerivatives.inputGradient(ws, theta, x, first, count, u, 0);
        double sum = 0;
        for (int e = 0; e < count * dim; e++) {
            sum += u[e] * u[e];
        }
        if (grad != null) {
            ws.forwardAlongAgain(u, 0, 1, false);
            double[] adj = ws.outputAdjoint();
            for (int b = 0; b < count; b++) {
                adj[ws.valueRow(b)] = 0;
                adj[ws.tangentRow(b, 0)] = beta * scale;
            }
            ws.reverse(grad, null, 0);
        }
        return beta * 0.5 * sum;
    }
}
