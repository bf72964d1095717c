package org.scorematch.bench;

import java.util.SplittableRandom;
import org.scorematch.engine.Engine;
import org.scorematch.engine.Initialization;
import org.scorematch.engine.Network;
import org.scorematch.engine.Activation;
import org.scorematch.model.Architecture;
import org.scorematch.model.NoiseLadder;
import org.scorematch.model.Sde;
import org.scorematch.objective.DenoisingScoreMatching;
import org.scorematch.objective.Objective;
import org.scorematch.objective.Projection;
import org.scorematch.objective.ScoreMatching;
import org.scorematch.optim.Adam;
import org.scorematch.optim.Schedule;
import org.scorematch.train.ParameterUpdate;

/**
 * One full training step (loss, θ-gradient, Adam update) of an MLP on a fixed batch: the unit
 * both the harness and the JMH benchmark time, and what the PyTorch script times. Objectives:
 * {@code exact}, {@code sliced}, {@code sliced-vr} (energies), {@code denoising-energy} and
 * {@code denoising-score} (σ = 0.5), {@code multiscale} and {@code diffusion} (noise-conditional
 * score networks).
 */
final class StepWorkload {
    /** The multiscale objective's ladder: 10 geometric levels from 3 down to 0.1 (as bench/python/torch_step.py). */
    static final NoiseLadder LADDER = NoiseLadder.geometric(3, 0.1, 10);
    /** The diffusion objective's SDE: VP with β from 0.1 to 20 (as bench/python/torch_step.py). */
    static final Sde SDE = Sde.vp(0.1, 20);
    final Network net;
    final Architecture architecture;
    final Objective objective;
    final double[] theta;
    final double[] grad;
    final double[] x;
    final int batch;
    /** Adam at 1e-3 as the trainer applies it (one pass on the engine's threads), without clipping, decay or average. */
    final ParameterUpdate update = ParameterUpdate.of(Adam.of(1e-3), Schedule.constant(), Integer.MAX_VALUE, 0, 0, 0);
    private int steps;
    final SplittableRandom rng = new SplittableRandom(1);

    StepWorkload(String objective, int dim, int batch, int[] hidden, int projections) {
        boolean scoreNet = objective.equals("denoising-score") || objective.equals("multiscale")
                || objective.equals("diffusion");
        Architecture.Kind kind = scoreNet ? Architecture.Kind.SCORE : Architecture.Kind.ENERGY;
        this.architecture = switch (objective) {
            case "multiscale" -> Architecture.mlp(kind, dim, hidden, Activation.SILU, LADDER);
            case "diffusion" -> Architecture.diffusion(kind, dim, hidden, Activation.SILU, SDE,
                    DenoisingScoreMatching.DEFAULT_EPSILON);
            default -> Architecture.mlp(kind, dim, hidden, Activation.SILU, null);
        };
        this.net = architecture.network();
        this.objective = switch (objective) {
            case "exact" -> ScoreMatching.exact();
            case "sliced" -> ScoreMatching.sliced(projections, Projection.GAUSSIAN);
            case "sliced-vr" -> ScoreMatching.slicedVarianceReduced(projections, Projection.GAUSSIAN);
            case "denoising-energy", "denoising-score" -> DenoisingScoreMatching.singleLevel(0.5);
            case "multiscale" -> DenoisingScoreMatching.multiScale();
            case "diffusion" -> DenoisingScoreMatching.continuous(SDE, DenoisingScoreMatching.DEFAULT_EPSILON);
            default -> throw new IllegalArgumentException("unknown objective " + objective);
        };
        this.theta = Initialization.GLOROT.draw(net, rng);
        this.grad = new double[theta.length];
        this.batch = batch;
        this.x = new double[batch * dim];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian();
        }
    }

    double step(Engine engine) {
        double loss = objective.lossAndGradient(engine, architecture, theta, x, batch, rng, grad);
        update.apply(engine, theta, grad, 0, ++steps, null);
        return loss;
    }

    /**
     * Floating-point operations of one step as docs/DESIGN.md §3 counts them: 2 × the multiply-adds of
     * every GEMM the engine issues, plus the elementwise jet work of the activations, leaving out
     * the free first-layer basis tangents. Returns {gemm, elementwise}.
     */
    double[] flops() {
        if (objective instanceof DenoisingScoreMatching) {
            return denoisingFlops();
        }
        ScoreMatching sm = (ScoreMatching) objective;
        int dim = net.inputDim();
        boolean exact = sm.kind() == ScoreMatching.Kind.EXACT;
        int width = ((org.scorematch.engine.Op.Affine) net.ops().get(0)).out();
        // Exact with D > H runs H directions from the first layer (plus W₁W₁ᵀ and Ū·L⁻¹W₁, 4H²D).
        boolean narrow = exact && dim > width;
        int k = exact ? Math.min(dim, width) : sm.projections();
        double b = batch;
        double rows = b * (k + 2);
        double gemm = 0;
        double elementwise = 0;
        boolean first = true;
        for (var op : net.ops()) {
            if (op instanceof org.scorematch.engine.Op.Affine a) {
                double mac = (double) a.in() * a.out();
                if (first) {
                    // value rows forward and W̄; explicit tangents forward and W̄ (basis ones are free).
                    gemm += 2 * 2 * b * mac + (exact ? 0 : 2 * 2 * b * k * mac);
                    first = false;
                } else {
                    gemm += 3 * 2 * rows * mac; // forward, W̄, input adjoint
                }
            } else {
                // forward: ȧ = σ′ż and Σż² (3 per tangent entry); reverse: 5 per tangent entry.
                elementwise += 8 * b * k * op.in();
            }
        }
        if (narrow) {
            gemm += 4.0 * width * width * dim;
        }
        return new double[] {gemm, elementwise};
    }

    /**
     * Denoising: a value pass and its reverse for the score, then (energies) a first-order jet
     * along u and its reverse, or (score networks) the reverse for θ alone.
     */
    private double[] denoisingFlops() {
        double b = batch;
        boolean energy = architecture.kind() == Architecture.Kind.ENERGY;
        double gemm = 0;
        boolean first = true;
        for (var op : net.ops()) {
            if (op instanceof org.scorematch.engine.Op.Affine a) {
                double mac = (double) a.in() * a.out();
                if (energy) {
                    // value pass: forward + input adjoint (B rows); u-jet: forward, W̄, adjoint (2B rows)
                    gemm += 2 * b * mac * 2 + 2 * 2 * b * mac * (first ? 2 : 3);
                } else {
                    // forward, W̄ and (past the first layer) the input adjoint, B rows
                    gemm += 2 * b * mac * (first ? 2 : 3);
                }
                first = false;
            }
        }
        return new double[] {gemm, 0};
    }
}
