package org.scorematch.model;

import org.scorematch.engine.Activation;
import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.scorematch.engine.EnergyDerivatives;
import org.scorematch.engine.Engine;
import org.scorematch.engine.Initialization;
import org.scorematch.engine.Network;
import org.scorematch.linalg.Cholesky;
import org.scorematch.linalg.Matrix;

/**
 * An energy-based model {@code p(x) ∝ exp(−E_θ(x))} on {@code ℝᴰ}: an energy
 * {@link Architecture} and one value of its parameters. Immutable; training returns new
 * instances. The score is {@code ∇ₓ log p = −∇ₓE}; the partition function never appears. A
 * noise-conditional energy is {@code E(x, σ) = net(x, log σ)/σ}, evaluated at σ_L by default.
 */
public final class EnergyModel implements Model {
    private final Architecture architecture;
    private final double[] theta;
    private final String description;

    private EnergyModel(Architecture architecture, double[] theta, String description) {
        if (architecture.kind() != Architecture.Kind.ENERGY) {
            throw new IllegalArgumentException("an EnergyModel needs an energy architecture");
        }
        if (theta.length != architecture.network().parameterCount()) {
            throw new IllegalArgumentException("expected " + architecture.network().parameterCount() + " parameters, got "
                    + theta.length);
        }
        this.architecture = architecture;
        this.theta = theta;
        this.description = description;
    }

    /** An energy model with Glorot-uniform initial parameters drawn from {@code rng}. */
    public static EnergyModel of(Architecture architecture, RandomGenerator rng) {
        return new EnergyModel(architecture, Initialization.GLOROT.draw(architecture.network(), rng), architecture.toString());
    }

    /** An energy model with the given parameters. */
    public static EnergyModel of(Architecture architecture, double[] parameters) {
        return new EnergyModel(architecture, parameters.clone(), architecture.toString());
    }

    /**
     * An MLP energy with the given hidden widths and activation, Glorot-uniform initialised from
     * {@code rng}.
     */
    public static EnergyModel mlp(int dim, int[] hidden, Activation activation, RandomGenerator rng) {
        Network net = Network.mlp(dim, hidden, activation);
        return new EnergyModel(Architecture.energy(net), Initialization.GLOROT.draw(net, rng), describeMlp(dim, hidden, activation));
    }

    /** An MLP energy with explicit parameters, in {@link Network#mlp} order. */
    public static EnergyModel mlp(int dim, int[] hidden, Activation activation, double[] parameters) {
        return new EnergyModel(Architecture.energy(Network.mlp(dim, hidden, activation)), parameters.clone(),
                describeMlp(dim, hidden, activation));
    }

    /**
     * The Gaussian energy {@code ½(x−μ)ᵀK(x−μ)} for a mean and a symmetric positive-definite
     * precision {@code K}, stored as {@code ½‖W x + c‖²} with {@code W = Lᵀ}, {@code K = LLᵀ},
     * {@code c = −Wμ}.
     */
    public static EnergyModel gaussian(double[] mean, Matrix precision) {
        int d = mean.length;
        if (precision.rows() != d || precision.cols() != d) {
            throw new IllegalArgumentException("precision must be " + d + "×" + d);
        }
        double[] l = Cholesky.lower(precision.toArray(), d);
        Network net = Network.quadratic(d);
        double[] theta = new double[net.parameterCount()];
        for (int i = 0; i < d; i++) {
            double c = 0;
            for (int j = 0; j < d; j++) {
                theta[i * d + j] = l[j * d + i];
                c -= l[j * d + i] * mean[j];
            }
            theta[d * d + i] = c;
        }
        return new EnergyModel(Architecture.energy(net), theta, "gaussian(D=" + d + ")");
    }

    private static String describeMlp(int dim, int[] hidden, Activation activation) {
        StringBuilder sb = new StringBuilder("mlp(D=").append(dim).append(", hidden=");
        for (int i = 0; i < hidden.length; i++) {
            sb.append(i == 0 ? "" : ",").append(hidden[i]);
        }
        return sb.append(", ").append(activation.id()).append(')').toString();
    }

    @Override
    public Architecture architecture() {
        return architecture;
    }

    /** The network that computes E. */
    public Network network() {
        return architecture.network();
    }

    @Override
    public double[] parameters() {
        return theta.clone();
    }

    @Override
    public EnergyModel withParameters(double[] parameters) {
        return new EnergyModel(architecture, parameters.clone(), description);
    }

    /** {@code E(xᵢ)} for each row of {@code x} (at σ_L for a noise-conditional energy), on one thread. */
    public double[] energy(Matrix x) {
        try (Engine engine = Engine.create(1)) {
            return energy(x, engine);
        }
    }

    /** {@code E(xᵢ)} for each row of {@code x} (at σ_L for a noise-conditional energy), on {@code engine}. */
    public double[] energy(Matrix x, Engine engine) {
        double sigma = sigmaForEvaluation();
        double[] e = EnergyDerivatives.energies(engine, network(), theta, input(x, sigma), x.rows());
        return divide(e, sigma);
    }

    /**
     * The Laplacian {@code ΔₓE(xᵢ) = tr ∇ₓ²E(xᵢ)} for each row (so {@code tr ∇ₓs = −ΔE}), at σ_L
     * for a noise-conditional energy, on one thread.
     */
    public double[] laplacian(Matrix x) {
        double sigma = sigmaForEvaluation();
        try (Engine engine = Engine.create(1)) {
            double[] lap = EnergyDerivatives.laplacians(engine, network(), theta, input(x, sigma), x.rows(), dimension());
            return divide(lap, sigma);
        }
    }

    private double sigmaForEvaluation() {
        return architecture.isConditional() ? architecture.ladder().min() : 1.0;
    }

    private double[] input(Matrix x, double sigma) {
        if (x.cols() != dimension()) {
            throw new IllegalArgumentException("data have " + x.cols() + " columns, the model expects " + dimension());
        }
        double[] sigmas = new double[x.rows()];
        Arrays.fill(sigmas, sigma);
        return architecture.networkInput(x.toArray(), x.rows(), sigmas);
    }

    private static double[] divide(double[] values, double sigma) {
        for (int i = 0; i < values.length; i++) {
            values[i] /= sigma;
        }
        return values;
    }

    @Override
    public String toString() {
        return description;
    }
}
