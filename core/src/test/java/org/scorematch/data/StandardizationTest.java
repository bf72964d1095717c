package org.scorematch.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.scorematch.ScorematchException;
import org.scorematch.linalg.Matrix;

class StandardizationTest {
    private static Dataset table(List<String> names, int rows, double... values) {
        return Dataset.of("t.csv", names, Matrix.of(rows, names.size(), values));
    }

    /**
     * Column means and 1/n standard deviations, worked by hand: (1, 2, 3, 4) has mean 2.5 and
     * variance 1.25; (10, 10, 20, 40) has mean 20 and variance 150. The chain rule of the
     * class doc follows: scores divide by s, energies gain Σ log s.
     */
    @Test
    void fitIsTheColumnMomentsAndTheChainRuleUsesThem() {
        Standardization st = Standardization.fit(table(List.of("a", "b"), 4, 1, 10, 2, 10, 3, 20, 4, 40));
        assertThat(st.mean()).containsExactly(new double[] {2.5, 20}, within(1e-15));
        assertThat(st.scale()).containsExactly(new double[] {Math.sqrt(1.25), Math.sqrt(150)}, within(1e-13));
        assertThat(st.dimension()).isEqualTo(2);
        assertThat(st.apply(new double[] {2.5, 20, 4, 40}, 2))
                .containsExactly(new double[] {0, 0, 1.5 / Math.sqrt(1.25), 20 / Math.sqrt(150)}, within(1e-14));
        double[] rows = {3, 7, -1, 25, 0.5, 0};
        assertThat(st.invert(st.apply(rows, 3), 3)).as("invert undoes apply").containsExactly(rows, within(1e-13));
        assertThat(st.invert(new double[] {1, -1}, 1)).containsExactly(new double[] {2.5 + Math.sqrt(1.25),
                20 - Math.sqrt(150)}, within(1e-14));
        double[] s = {1, 1};
        st.scoreToData(s, 1);
        assertThat(s).containsExactly(new double[] {1 / Math.sqrt(1.25), 1 / Math.sqrt(150)}, within(1e-15));
        assertThat(st.logScaleSum()).isCloseTo(0.5 * Math.log(1.25 * 150), within(1e-14));
        double[] shared = st.mean();
        shared[0] = 99;
        assertThat(st.mean()[0]).as("defensive copies").isEqualTo(2.5);
    }

    /**
     * In place, the same numbers as a new array, written over the first n rows only and into the
     * array given (the callers hand it a fresh copy of their data and keep the result).
     */
    @Test
    void inPlaceGivesTheSameRowsOverTheGivenArray() {
        Standardization st = Standardization.of(new double[] {1, -2}, new double[] {4, 0.25}, List.of("a", "b"), "t");
        double[] x = {3, -1.5, -1, 0, 7, 7};
        double[] expected = st.apply(x, 2);
        double[] out = st.applyInPlace(x, 2);
        assertThat(out).isSameAs(x);
        assertThat(x).containsExactly(expected[0], expected[1], expected[2], expected[3], 7, 7);
        assertThat(expected).containsExactly(1, 1, -1, 4);
    }

    /**
     * Zero variance is judged relative to the column's magnitude: a spread of 1e-10 around 1000
     * is below 1e-12·1000 and refused, while the same spread around 0 is above
     * 1e-12·max(1, |m|) = 1e-12 and kept. The message names every refused column, in the singular
     * or the plural.
     */
    @Test
    void constantColumnsAreRefusedByName() {
        assertThatThrownBy(() -> Standardization.fit(table(List.of("a", "b"), 2, 1000, 0, 1000 + 2e-10, 1)))
                .isInstanceOf(ScorematchException.class)
                .hasMessage("t.csv: column [a] has zero variance; leave it out (setting 'drop') or train without "
                        + "standardisation (setting 'no-standardize')");
        assertThatThrownBy(() -> Standardization.fit(table(List.of("a", "b", "c"), 2, 5, 0, 1, 5, 7, 1)))
                .isInstanceOf(ScorematchException.class)
                .hasMessageContaining("columns [a, c] have zero variance; leave them out");
        Standardization small = Standardization.fit(table(List.of("a"), 2, 0, 2e-10));
        assertThat(small.scale()[0]).isCloseTo(1e-10, within(1e-20));
    }

    @Test
    void scalesMustBePositiveAndFinite() {
        assertThatThrownBy(() -> new Standardization(new double[] {0}, new double[] {0}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Standardization(new double[] {0}, new double[] {Double.POSITIVE_INFINITY}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Standardization(new double[] {0, 1}, new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
        Standardization id = Standardization.identity(2);
        assertThat(id.mean()).containsExactly(0, 0);
        assertThat(id.scale()).containsExactly(1, 1);
    }

    /** Value semantics over the arrays' contents (records compare arrays by reference). */
    @Test
    void equalityIsByValue() {
        Standardization a = new Standardization(new double[] {1, 2}, new double[] {3, 4});
        Standardization b = new Standardization(new double[] {1, 2}, new double[] {3, 4});
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(new Standardization(new double[] {1, 2}, new double[] {3, 5}));
        assertThat(a).isNotEqualTo(new Standardization(new double[] {1, 0}, new double[] {3, 4}));
        assertThat(a.hashCode()).isNotEqualTo(new Standardization(new double[] {1, 2}, new double[] {4, 3}).hashCode());
        assertThat(a).isNotEqualTo("a");
        assertThat(a.toString()).isEqualTo("Standardization[1.0, 2.0]/[3.0, 4.0]");
    }

    /**
     * Moments merged from parts equal the two-pass moments of the whole (means 1e-12 relative,
     * scales 1e-8: around an offset of 1e8 each method carries rounding of ε·1e8 into the
     * deviations), also where {@code E[x²] − E[x]²} cancels (values near 1e8 with unit spread lose
     * all their digits to it);
     * the standardisation built from them is {@link Standardization#fit}'s, with the same refusal.
     */
    @Test
    void mergedMomentsAreTheWholeTablesMoments() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(4);
        int n = 1000;
        double[] v = new double[n * 2];
        for (int i = 0; i < n; i++) {
            v[2 * i] = 1e8 + rng.nextGaussian();
            v[2 * i + 1] = -3 + 0.01 * rng.nextGaussian();
        }
        Dataset data = table(List.of("a", "b"), n, v);
        Standardization whole = Standardization.fit(data);
        ColumnMoments merged = ColumnMoments.empty(2);
        for (int part = 0; part < 7; part++) {
            ColumnMoments m = ColumnMoments.empty(2);
            for (int i = part * n / 7; i < (part + 1) * n / 7; i++) {
                m.add(new double[] {v[2 * i], v[2 * i + 1]});
            }
            merged.merge(m);
        }
        merged.merge(ColumnMoments.empty(2));
        assertThat(merged.count()).isEqualTo(n);
        Standardization fromParts = merged.standardization(List.of("a", "b"), "t.csv");
        for (int c = 0; c < 2; c++) {
            assertThat(fromParts.mean()[c]).isCloseTo(whole.mean()[c], within(1e-12 * Math.abs(whole.mean()[c])));
            assertThat(fromParts.scale()[c]).isCloseTo(whole.scale()[c], within(1e-8 * whole.scale()[c]));
        }
        ColumnMoments constant = ColumnMoments.empty(1).add(new double[] {5}).add(new double[] {5});
        assertThatThrownBy(() -> constant.standardization(List.of("k"), "t.csv"))
                .hasMessageContaining("t.csv: column [k] has zero variance");
        assertThatThrownBy(() -> ColumnMoments.empty(1).standardization(List.of("k"), "t.csv"))
                .hasMessageContaining("no rows");
    }
}
