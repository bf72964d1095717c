package org.scorematch.bench;

import java.util.SplittableRandom;
import org.scorematch.engine.Engine;
import org.scorematch.engine.Network;
import org.scorematch.model.Architecture;
import org.scorematch.model.Activation;
import org.scorematch.objective.Projection;
import org.scorematch.objective.ScoreMatching;
import org.scorematch.optim.Adam;

/**
 * One full training step (loss, θ-gradient, Adam update) of an MLP energy on a fixed batch: the
 * unit both the harness and the JMH benchmark time, and what the PyTorch script times.
 */
final class StepWorkload {
    final Network net;
    final ScoreMatching objective;
    final double[] theta;
    final double[] grad;
    final double[] x;
    final int batch;
    final Adam adam = Adam.of(1e-3);
    final SplittableRandom rng = new SplittableRandom(1);

    StepWorkload(String objective, int dim, int batch, int[] hidden, int projections) {
        this.net = Network.mlp(dim, hidden, Activation.SILU);
        this.objective = switch (objective) {
            case "exact" -> ScoreMatching.exact();
            case "sliced" -> ScoreMatching.sliced(projections, Projection.GAUSSIAN);
            case "sliced-vr" -> ScoreMatching.slicedVarianceReduced(projections, Projection.GAUSSIAN);
            default -> throw new IllegalArgumentException("unknown objective " + objective);
        };
        this.theta = net.glorotUniform(rng);
        this.grad = new double[theta.length];
        this.batch = batch;
        this.x = new double[batch * dim];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian();
        }
    }

    double step(Engine engine) {
        double loss = objective.lossAndGradient(engine, Architecture.energy(net), theta, x, batch, rng, grad);
        adam.step(theta, grad);
        return loss;
    }

    /**
     * Floating-point operations of one step as DESIGN.md §3 counts them: 2 × the multiply-adds of
     * every GEMM the engine issues, plus the elementwise jet work of the activations, leaving out
     * the free first-layer basis tangents. Returns {gemm, elementwise}.
     */
    double[] flops() {
        int dim = net.inputDim();
        boolean exact = objective.kind() == ScoreMatching.Kind.EXACT;
        int k = exact ? dim : objective.projections();
        double b = batch;
        double rows = b * (k + 2);
        double gemm = 0;
        double elementwise = 0;
        int in = dim;
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
                in = a.out();
            } else {
                // forward: ȧ = σ′ż and Σż² (3 per tangent entry); reverse: 8 per tangent entry.
                elementwise += 11 * b * k * in;
            }
        }
        return new double[] {gemm, elementwise};
    }
}
