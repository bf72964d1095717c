package org.scorematch.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each SDE's closed-form kernel is the solution of its own moment equations: {@code m′ = a m} and
 * {@code (σ²)′ = 2aσ² + g²}, by central differences (h = 1e-5, relative error of order h² ≈ 1e-10;
 * bound 1e-6). A kernel, drift or diffusion with a wrong factor fails this.
 */
class SdeTest {
    private static final List<Sde> SDES = List.of(Sde.ve(0.01, 50), Sde.ve(0.1, 3), Sde.vp(0.1, 20), Sde.vp(1, 5),
            Sde.subVp(0.1, 20), Sde.subVp(0.5, 8));

    @Test
    void kernelsSolveTheMomentEquations() {
        double h = 1e-5;
        for (Sde sde : SDES) {
            for (double t : new double[] {0.02, 0.1, 0.37, 0.7, 0.98}) {
                double dm = (sde.mean(t + h) - sde.mean(t - h)) / (2 * h);
                double m = sde.mean(t);
                assertThat(dm).as("%s m′ at %s", sde, t).isCloseTo(sde.driftRate(t) * m, within(1e-6 * Math.max(1, Math.abs(dm))));
                double var = sde.sigma(t) * sde.sigma(t);
                double dv = (Math.pow(sde.sigma(t + h), 2) - Math.pow(sde.sigma(t - h), 2)) / (2 * h);
                double g = sde.diffusion(t);
                assertThat(dv).as("%s (σ²)′ at %s", sde, t)
                        .isCloseTo(2 * sde.driftRate(t) * var + g * g, within(1e-6 * Math.max(1, Math.abs(dv))));
                assertThat(sde.meanForSigma(sde.sigma(t))).as("%s m from σ at %s", sde, t)
                        .isCloseTo(m, within(1e-9 * Math.max(1, m)));
            }
        }
    }

    /** At t = 0 the kernel is (nearly) the identity; at t = 1 it has forgotten the data into the prior. */
    @Test
    void kernelsStartAtTheDataAndEndAtThePrior() {
        Sde ve = Sde.ve(0.01, 50);
        assertThat(ve.sigma(0)).isCloseTo(0.01, within(1e-15));
        assertThat(ve.sigma(1)).isCloseTo(ve.priorSigma(), within(1e-12));
        for (Sde vp : List.of(Sde.vp(0.1, 20), Sde.subVp(0.1, 20))) {
            assertThat(vp.mean(0)).isEqualTo(1);
            assertThat(vp.sigma(0)).isEqualTo(0);
            // B(1) = 0.1 + 9.95 = 10.05: the data's share e^{−B/2} = 0.0066, σ within 5e-5 of 1.
            assertThat(vp.mean(1)).isCloseTo(Math.exp(-0.5 * 10.05), within(1e-15));
            assertThat(vp.sigma(1)).isCloseTo(vp.priorSigma(), within(5e-5));
        }
        double[] x = {0.3, -1.2};
        assertThat(ve.priorLogDensity(x, 0, 2)).isCloseTo(
                -(0.09 + 1.44) / (2 * 2500) - 2 * Math.log(50) - Math.log(2 * Math.PI), within(1e-12));
    }

    /** An SDE's text round-trips, and bad text is refused with what is wrong. */
    @Test
    void specsRoundTrip() {
        for (Sde sde : SDES) {
            assertThat(Sde.parse(sde.spec())).isEqualTo(sde);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Sde.parse("vp 0.1")).hasMessageContaining("written as");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Sde.parse("cld 1 2")).hasMessageContaining("unknown SDE");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Sde.parse("ve 5 1")).hasMessageContaining("σ_min < σ_max");
    }
}
