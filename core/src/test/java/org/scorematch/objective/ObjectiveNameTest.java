package org.scorematch.objective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.scorematch.ScorematchException;
import org.scorematch.model.Architecture;

/** Names parsed in one place: objectives, model kinds and hidden widths. */
class ObjectiveNameTest {
    @Test
    void objectivesAreMadeFromTheirNames() {
        for (ObjectiveName name : ObjectiveName.values()) {
            Objective o = name.create(3, Projection.GAUSSIAN, 0.4, org.scorematch.model.Sde.vp(0.1, 20), Weighting.SIGMA2);
            assertThat(ObjectiveName.fromId(name.id())).isSameAs(name);
            assertThat(o.id()).as("the objective answers to its name").isEqualTo(name.id());
        }
        assertThat(((DenoisingScoreMatching) ObjectiveName.DENOISING.create(1, Projection.GAUSSIAN, 0.4)).sigma())
                .isEqualTo(0.4);
        assertThatThrownBy(() -> ObjectiveName.DIFFUSION.create(3, Projection.GAUSSIAN, 0.4))
                .hasMessageContaining("needs an SDE");
        assertThatThrownBy(() -> ObjectiveName.fromId("magic")).isInstanceOf(ScorematchException.class)
                .hasMessageContaining("unknown objective 'magic'").hasMessageContaining("sliced-vr");
    }

    @Test
    void kindsAndWidthsParse() {
        assertThat(Architecture.Kind.fromId("energy")).isEqualTo(Architecture.Kind.ENERGY);
        assertThat(Architecture.Kind.fromId("score")).isEqualTo(Architecture.Kind.SCORE);
        assertThatThrownBy(() -> Architecture.Kind.fromId("flow")).hasMessageContaining("expected energy or score");
        assertThat(Architecture.parseWidths("128, 64,1")).containsExactly(128, 64, 1);
        assertThat(Architecture.parseWidths("65536")).containsExactly(65536);
        assertThatThrownBy(() -> Architecture.parseWidths("0")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> Architecture.parseWidths("65537")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> Architecture.parseWidths("12,x")).hasMessageContaining("'x' is not an integer");
    }
}
