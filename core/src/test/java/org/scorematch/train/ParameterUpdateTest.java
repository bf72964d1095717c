package org.scorematch.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.scorematch.TestEngines;
import org.scorematch.engine.Engine;
import org.scorematch.optim.Adam;
import org.scorematch.optim.Optimizer;
import org.scorematch.optim.Schedule;
import org.scorematch.optim.Sgd;

/**
 * The update's one pass on the engine's threads against its steps written out one after the
 * other on the whole vector, over parameter counts that cut into ranges and blocks unevenly.
 * Every element's arithmetic is the same in any range, so the tolerance is a rounding of the
 * largest value (1e-15 relative would already fail for a missed or doubled element).
 */
class ParameterUpdateTest {
    private static double[] gaussian(int n, SplittableRandom rng, double scale) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = scale * rng.nextGaussian();
        }
        return a;
    }

    /** Element by element (AssertJ's array comparison takes seconds on 70 000 elements). */
    private static void assertClose(String what, double[] actual, double[] expected, double tolerance) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(actual[i] - expected[i]) > tolerance) {
                assertThat(actual[i]).as(what + "[" + i + "]").isCloseTo(expected[i], within(tolerance));
            }
        }
    }

    @Test
    void normIsTheEuclideanNormOnAnyThreadCount() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int n : new int[] {0, 1, 5, 4096, 4097, 50_003}) {
            double[] g = gaussian(n, rng, 2);
            double naive = 0;
            for (double v : g) {
                naive += v * v;
            }
            double serial = ParameterUpdate.norm(g);
            // Summation orders differ from the naive sum's: relative rounding ≲ n·2⁻⁵³.
            assertThat(serial).isCloseTo(Math.sqrt(naive), within(1e-12 * Math.sqrt(naive)));
            try (Engine three = Engine.create(3)) {
                for (Engine e : new Engine[] {TestEngines.TWO_THREADS, three}) {
                    assertThat(ParameterUpdate.norm(e, g)).isCloseTo(serial, within(Math.ulp(serial)));
                }
            }
        }
    }

    @Test
    void onePassOnThreadsIsTheStepsInTurn() {
        SplittableRandom rng = new SplittableRandom(4);
        for (int n : new int[] {7, 20_001, 70_000}) {
            for (boolean adam : new boolean[] {true, false}) {
                double[] theta = gaussian(n, rng, 1);
                double[] ema = gaussian(n, rng, 1);
                double[] expectedTheta = theta.clone();
                double[] expectedEma = ema.clone();
                double clip = 0.5 * Math.sqrt(n);
                double weightDecay = 1e-2;
                Optimizer byHand = adam ? Adam.of(1e-2) : Sgd.of(1e-2, 0.9);
                Optimizer onThreads = adam ? Adam.of(1e-2) : Sgd.of(1e-2, 0.9);
                ParameterUpdate update = ParameterUpdate.of(onThreads, Schedule.cosine(), 10, clip, weightDecay, 0.99);
                for (int step = 1; step <= 3; step++) {
                    double[] grad = gaussian(n, rng, 1);
                    double[] expectedGrad = grad.clone();
                    double norm = ParameterUpdate.norm(grad);
                    double lr = 1e-2 * Schedule.cosine().factor(step, 10);
                    if (norm > clip) {
                        for (int i = 0; i < n; i++) {
                            expectedGrad[i] *= clip / norm;
                        }
                    }
                    for (int i = 0; i < n; i++) {
                        expectedTheta[i] *= 1 - lr * weightDecay;
                    }
                    byHand.step(expectedTheta, expectedGrad, lr);
                    double decay = Math.min(0.99, (1.0 + step) / (10.0 + step));
                    for (int i = 0; i < n; i++) {
                        expectedEma[i] = decay * expectedEma[i] + (1 - decay) * expectedTheta[i];
                    }
                    assertThat(update.apply(TestEngines.TWO_THREADS, theta, grad, norm, step, ema)).isEqualTo(lr);
                    assertClose("grad", grad, expectedGrad, 1e-15);
                    assertClose("theta", theta, expectedTheta, 1e-14);
                    assertClose("ema", ema, expectedEma, 1e-14);
                }
            }
        }
    }
}
