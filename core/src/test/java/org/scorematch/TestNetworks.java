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

    /** The means and the population (÷ n) covariance of n two-column rows: {m₀, m₁, v₀₀, v₁₁, v₀₁}. */
    public static double[] bivariateMoments(double[] x, int n) {
        double m0 = 0;
        double m1 = 0;
        for (int i = 0; i < n; i++) {
            m0 += x[2 * i] / n;
            m1 += x[2 * i + 1] / n;
        }
        double v0 = 0;
        double v1 = 0;
        double c01 = 0;
        for (int i = 0; i < n; i++) {
            v0 += (x[2 * i] - m0) * (x[2 * i] - m0) / n;
            v1 += (x[2 * i + 1] - m1) * (x[2 * i + 1] - m1) / n;
            c01 += (x[2 * i] - m0) * (x[2 * i + 1] - m1) / n;
        }
        return new double[] {m0, m1, v0, v1, c01};
    }

    public static RandomGenerator rng(long seed) {
        return new SplittableRandom(seed);
    }
}
