package org.scorematch;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.scorematch.engine.Network;
import org.scorematch.engine.Activation;

/** Seeded random networks and inputs for the property tests. */
public final class TestNetworks {
    private static final Activation[] SMOOTH = {Activation.SILU, Activation.SOFTPLUS, Activation.TANH, Activation.GELU};

    private TestNetworks() {
    }

    /** A random smooth MLP of 1–3 hidden layers with widths 2–7. */
    public static Network randomMlp(int dim, RandomGenerator rng) {
        int depth = 1 + rng.nextInt(3);
        int[] hidden = new int[depth];
        for (int i = 0; i < depth; i++) {
            hidden[i] = 2 + rng.nextInt(6);
        }
        return Network.mlp(dim, hidden, SMOOTH[rng.nextInt(SMOOTH.length)]);
    }

    /** Parameters of order one, biases included, so every activation regime is visited. */
    public static double[] randomParameters(Network net, RandomGenerator rng) {
        double[] theta = new double[net.parameterCount()];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = 0.8 * rng.nextGaussian();
        }
        return theta;
    }

    public static double[] gaussian(int n, RandomGenerator rng) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = rng.nextGaussian();
        }
        return a;
    }

    public static RandomGenerator rng(long seed) {
        return new SplittableRandom(seed);
    }
}
