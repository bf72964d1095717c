package org.scorematch.model;

import java.util.random.RandomGenerator;
import org.scorematch.engine.Engine;
import org.scorematch.engine.EnergyDerivatives;
import org.scorematch.engine.Network;
import org.scorematch.linalg.Cholesky;
import org.scorematch.linalg.Matrix;

/**
 * An energy-based model {@code p(x) ∝ exp(−E_θ(x))} on {@code ℝᴰ}: a network structure and
 * one value of its parameters. Immutable; training returns new instances.
 *
 * <p>The score is {@code ∇ₓ log p = −∇ₓE}; the partition function never appears.
 */
public final class EnergyModel {
    private final Network network;
    private final double[] theta;
    private final String description;

    private EnergyModel(Network network, double[] theta, String description) {
        if (theta.length != network.parameterCount()) {
            throw new IllegalArgumentException("expected " + network.parameterCount() + " parameters, got " + theta.length);
        }
        this.network = network;
        this.theta = theta;
        this.description = description;
    }

    /**
     * An MLP energy with the given hidden widths and activation, Glorot-uniform initialised from
     * {@code rng}.
     */
    public static EnergyModel mlp(int dim, int[] hidden, Activation activation, RandomGenerator rng) {
        Network net = Network.mlp(dim, hidden, activation);
        return new EnergyModel(net, net.glorotUniform(rng), describeMlp(dim, hidden, activation));
    }

    /** An MLP energy with explicit parameters, in {@link Network#mlp} order. */
    public static EnergyModel mlp(int dim, int[] hidden, Activation activation, double[] parameters) {
        return new EnergyModel(Network.mlp(dim, hidden, activation), parameters.clone(),
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
        return new EnergyModel(net, theta, "gaussian(D=" + d + ")");
    }

    private static String describeMlp(int dim, int[] hidden, Activation activation) {
        StringBuilder sb = new StringBuilder("mlp(D=").append(dim).append(", hidden=");
        for (int i = 0; i < hidden.length; i++) {
            sb.append(i == 0 ? "" : ",").append(hidden[i]);
        }
        return sb.append(", ").append(activation.id()).append(')').toString();
    }

    public Network network() {
        return network;
    }

    public int dimension() {
        return network.inputDim();
    }

    /** A copy of the parameter vector θ. */
    public double[] parameters() {
        return theta.clone();
    }

    /** The same structure with other parameters. */
    public EnergyModel withParameters(double[] parameters) {
        return new EnergyModel(network, parameters.clone(), description);
    }

    /** {@code E(xᵢ)} for each row of {@code x}. */
    public double[] energy(Matrix x) {
        return EnergyDerivatives.energies(Engine.shared(), network, theta, checked(x), x.rows());
    }

    /** The score {@code ∇ₓ log p(xᵢ) = −∇ₓE(xᵢ)}, one row per row of {@code x}. */
    public Matrix score(Matrix x) {
        double[] g = EnergyDerivatives.inputGradients(Engine.shared(), network, theta, checked(x), x.rows());
        for (int i = 0; i < g.length; i++) {
            g[i] = -g[i];
        }
        return Matrix.of(x.rows(), x.cols(), g);
    }

    /** The Laplacian {@code ΔE(xᵢ) = tr ∇ₓ²E(xᵢ)} for each row (so {@code tr ∇ₓs = −ΔE}). */
    public double[] laplacian(Matrix x) {
        return EnergyDerivatives.laplacians(Engine.shared(), network, theta, checked(x), x.rows());
    }

    private double[] checked(Matrix x) {
        if (x.cols() != dimension()) {
            throw new IllegalArgumentException("data have " + x.cols() + " columns, the model expects " + dimension());
        }
        return x.toArray();
    }

    @Override
    public String toString() {
        return description;
    }
}
