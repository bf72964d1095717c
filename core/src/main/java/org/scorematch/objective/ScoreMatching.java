package org.scorematch.objective;

import java.util.random.RandomGenerator;
import org.scorematch.engine.Engine;
import org.scorematch.engine.EnergyDerivatives;
import org.scorematch.engine.Directions;
import org.scorematch.engine.JetSlab;
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
    public enum Kind implements org.scorematch.Identified {
        EXACT, SLICED, SLICED_VR;
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

    /** Which estimator: exact, sliced or variance-reduced sliced. */
    public Kind kind() {
        return kind;
    }

    /** Directions per sample (0 for the exact objective). */
    public int projections() {
        return projections;
    }

    /** How directions are drawn (null for the exact objective). */
    public Projection projection() {
        return projection;
    }

    @Override
    public String id() {
        return kind.id();
    }

    @Override
    public String settings() {
        return kind == Kind.EXACT ? id() : id() + " projections=" + projections + " " + projection.id();
    }

    /** Key of the directions' buffer a step reuses through {@link Engine#scratch}. */
    private static final Object DIRECTIONS = new Object();

    @Override
    public double lossAndGradient(Engine engine, Architecture arch, double[] theta, double[] x, int n,
                                  RandomGenerator rng, double[] grad) {
        double[] v = null;
        if (kind != Kind.EXACT) {
            int dim = arch.dimension();
            v = engine.scratch(DIRECTIONS, n * projections * dim);
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
        Directions dirs = kind == Kind.EXACT ? Directions.basis(dim) : Directions.perSample(directions, k);
        double total = engine.run(net, n, k + 2, (ws, first, count, g) -> {
            double[] loss = {0};
            if (beta != 0) {
                loss[0] += beta * EnergyDerivatives.halfSquaredGradientNorm(ws, theta, x, first, count, beta * scale, g);
            }
            ws.forEachDirectionBlock(theta, x, first, count, dirs, true, slab -> {
                loss[0] = addEnergyJetTerms(slab, alpha, gamma, scale, loss[0]);
                if (g != null) {
                    slab.backward(g);
                }
            });
            return loss[0];
        }, grad);
        return total * scale;
    }

    /**
     * {@code loss + Σ_b [α·½Σ_d Ė_d² + γ·Ë]} over the slab's samples and the block's directions,
     * seeding the adjoints of that sum times {@code scale} (1/n): {@code α·scale·Ė_d} and
     * {@code γ·scale}. Added onto {@code loss} term by term so the sum's rounding does not depend
     * on how directions are blocked.
     */
    private static double addEnergyJetTerms(JetSlab slab, double alpha, double gamma, double scale, double loss) {
        for (int b = 0; b < slab.samples(); b++) {
            for (int d = 0; d < slab.directions(); d++) {
                double t = slab.tangent(b, d);
                loss += alpha * 0.5 * t * t;
                slab.addTangentAdjoint(b, d, alpha * t * scale);
            }
            loss += gamma * slab.second(b);
            slab.addSecondAdjoint(b, gamma * scale);
        }
        return loss;
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
            ws.forEachDirectionBlock(theta, x, firstSample, count, Directions.firstLayer(uT, r, p), true, slab -> {
                loss[0] = addEnergyJetTerms(slab, 1, -1, scale, loss[0]);
                if (g != null) {
                    slab.backward(g);
                }
            });
            return loss[0];
        }, extended);
        if (grad != null) {
            System.arraycopy(extended, 0, grad, 0, p);
            // Y = L₁⁻¹ (rows order[0..r) of W₁).
            double[] pivotRows = new double[r * d];
            for (int j = 0; j < r; j++) {
                System.arraycopy(theta, w + factor.order()[j] * d, pivotRows, j * d, d);
            }
            double[] y = factor.solveLeading(pivotRows, d);
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
        Directions dirs = basis ? Directions.basis(dim) : Directions.perSample(directions, k);
        double total = engine.run(arch.network(), n, k + 1, (ws, first, count, g) -> {
            double[] loss = {0};
            ws.forEachDirectionBlock(theta, x, first, count, dirs, false, slab -> {
                for (int b = 0; b < count; b++) {
                    if (slab.firstDirection() == 0 && beta != 0) {
                        for (int c = 0; c < dim; c++) {
                            double sc = slab.value(b, c);
                            loss[0] += beta * 0.5 * sc * sc;
                            slab.addValueAdjoint(b, c, beta * sc * scale);
                        }
                    }
                    for (int d = 0; d < slab.directions(); d++) {
                        if (basis) {
                            // Only component k0 + d of the tangent along e_{k0+d} enters the trace.
                            int c = slab.firstDirection() + d;
                            loss[0] += gamma * slab.tangent(b, d, c);
                            slab.addTangentAdjoint(b, d, c, gamma * scale);
                        } else {
                            double proj = 0;
                            double curvature = 0;
                            for (int c = 0; c < dim; c++) {
                                double vc = slab.direction(b, d, c);
                                proj += vc * slab.value(b, c);
                                curvature += vc * slab.tangent(b, d, c);
                                slab.addTangentAdjoint(b, d, c, gamma * vc * scale);
                            }
                            loss[0] += alpha * 0.5 * proj * proj + gamma * curvature;
                            if (alpha != 0) {
                                for (int c = 0; c < dim; c++) {
                                    slab.addValueAdjoint(b, c, alpha * proj * slab.direction(b, d, c) * scale);
                                }
                            }
                        }
                    }
                }
                if (g != null) {
                    slab.backward(g);
                }
            });
            return loss[0];
        }, grad);
        return total * scale;
    }
}
