package org.scorematch.engine;

import java.util.random.RandomGenerator;

/**
 * How a network's first parameters are drawn, layer by layer in parameter order (each affine
 * map's weights, then its biases), from a generator the caller passes in.
 */
public enum Initialization implements org.scorematch.Identified {
    /**
     * PyTorch's {@code nn.Linear} default (Kaiming-uniform with a = √5): weights and biases
     * {@code U(±1/√fan_in)}. Its weights have variance {@code 1/(3·fan_in)}, so a SiLU stack starts
     * close to linear with a small output, and the random biases spread the first layer's units
     * over the data instead of putting every kink through the origin.
     */
    PYTORCH {
        @Override
        void fill(double[] theta, Op.Affine a, RandomGenerator rng) {
            double bound = 1 / Math.sqrt(a.in());
            uniform(theta, a.weightOffset(), a.in() * a.out(), bound, rng);
            uniform(theta, a.biasOffset(), a.out(), bound, rng);
        }
    },
    /** Glorot-uniform weights {@code U(±√(6/(fan_in+fan_out)))} (Glorot &amp; Bengio 2010) and zero biases. */
    GLOROT {
        @Override
        void fill(double[] theta, Op.Affine a, RandomGenerator rng) {
            uniform(theta, a.weightOffset(), a.in() * a.out(), Math.sqrt(6.0 / (a.in() + a.out())), rng);
        }
    },
    /** He-normal weights {@code N(0, 2/fan_in)} (He et al. 2015) and zero biases. */
    HE {
        @Override
        void fill(double[] theta, Op.Affine a, RandomGenerator rng) {
            double std = Math.sqrt(2.0 / a.in());
            for (int i = 0; i < a.in() * a.out(); i++) {
                theta[a.weightOffset() + i] = std * rng.nextGaussian();
            }
        }
    };

    /** Parses {@link #id()}; the error lists the ids. */
    public static Initialization fromId(String id) {
        return org.scorematch.Identified.parse(Initialization.class, id, "initialisation");
    }

    /** A fresh parameter vector for {@code network}, drawn from {@code rng}. */
    public double[] draw(Network network, RandomGenerator rng) {
        double[] theta = new double[network.parameterCount()];
        for (Op op : network.ops()) {
            if (op instanceof Op.Affine a) {
                fill(theta, a, rng);
            }
        }
        return theta;
    }

    /** Draws the weights and biases of one affine map (biases left at zero unless the scheme says). */
    abstract void fill(double[] theta, Op.Affine a, RandomGenerator rng);

    /** {@code theta[from .. from+count)} drawn from U(−bound, bound). */
    private static void uniform(double[] theta, int from, int count, double bound, RandomGenerator rng) {
        for (int i = 0; i < count; i++) {
            theta[from + i] = rng.nextDouble(-bound, bound);
        }
    }
}
